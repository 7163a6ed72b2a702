/**
 * The action: reads its inputs, masks the secret ones, runs the pipeline (mode run) or submits it
 * (mode submit), and fails the step, with an error annotation that says why and what to change,
 * when the pipeline fails or cannot start. `status` is always set.
 */
import { scrubStartupEnvironment } from '../cli/scrub-environ.js';
import { defaultOut } from './config-file.js';
import { INPUTS, type InputName, inputVariable, type Mode, type OutputName, readInput } from './inputs.js';
import { runMode } from './run-mode.js';
import { submitMode } from './submit-mode.js';
import { Workflow } from './workflow-commands.js';

export interface ActionOptions {
  env: NodeJS.ProcessEnv;
  write: (text: string) => void;
  /** The action's checkout: where action.yml, dist/action/ and scripts/setup are. */
  actionRoot: string;
  euid: number;
}

const MODES: readonly Mode[] = ['run', 'submit'];

/** Runs the action; resolves to the process's exit code. */
export async function runAction(options: ActionOptions): Promise<number> {
  // A copy: the secret inputs are then taken out of the process's own environment.
  const env = { ...options.env };
  const workflow = new Workflow(options.write, env);
  const set = new Set<OutputName>();
  const setOutputs = (outputs: Partial<Record<OutputName, string>>) => {
    for (const [name, value] of Object.entries(outputs) as [OutputName, string | undefined][]) {
      if (value === undefined) continue;
      workflow.setOutput(name, value);
      set.add(name);
    }
  };
  hideSecrets(env, options.env, workflow);
  try {
    const mode = readInput(env, 'mode') || 'run';
    if (!(MODES as readonly string[]).includes(mode)) {
      throw new Error(`input mode is "${mode}"; give run (build here) or submit (send to an albs-ci server)`);
    }
    warnUnused(env, mode as Mode, workflow);
    if (mode === 'run') await runMode({ ...options, env, workflow, setOutputs });
    else await submitMode({ env, workflow, setOutputs });
    return 0;
  } catch (error) {
    if (!set.has('status')) setOutputs({ status: 'failure' });
    workflow.annotate('error', error instanceof Error ? error.message : String(error), { title: 'albs-ci' });
    return 1;
  }
}

/**
 * Masks every secret input in the log, and takes it out of the process's environment (`own`):
 * deleted from process.env, so that no child can inherit it, and blanked in the start-up
 * environment, where /proc/PID/environ would show it to every process of the runner's user.
 * `copy` keeps the values for the action itself.
 */
function hideSecrets(copy: NodeJS.ProcessEnv, own: NodeJS.ProcessEnv, workflow: Workflow): void {
  const names = (Object.keys(INPUTS) as InputName[]).filter((n) => 'secret' in INPUTS[n]);
  for (const name of names) workflow.mask(readInput(copy, name));
  const present = names.map(inputVariable).filter((v) => own[v] !== undefined);
  for (const variable of present) delete own[variable];
  if (own !== process.env) return;
  try {
    scrubStartupEnvironment(present);
  } catch (error) {
    workflow.line(
      `::debug::the secret inputs could not be blanked in /proc/${process.pid}/environ (${error instanceof Error ? error.message : String(error)}); no build sees this process: they run in a pid namespace of their own`,
    );
  }
}

/** An input of the other mode given a value of its own is ignored, and said so. */
function warnUnused(env: NodeJS.ProcessEnv, mode: Mode, workflow: Workflow): void {
  for (const name of Object.keys(INPUTS) as InputName[]) {
    const spec = INPUTS[name];
    if ((spec.modes as readonly Mode[]).includes(mode)) continue;
    const value = readInput(env, name);
    const given =
      name === 'out'
        ? value !== defaultOut(env, env.GITHUB_WORKSPACE || process.cwd())
        : value !== spec.default;
    if (value !== '' && given) {
      workflow.annotate(
        'warning',
        `input ${name} is for mode ${spec.modes.join(', ')}: ignored in mode ${mode}`,
        {
          title: 'albs-ci',
        },
      );
    }
  }
}
