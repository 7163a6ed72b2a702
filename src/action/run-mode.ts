/**
 * mode: run. The pipeline runs on this runner with the same code as `albs run`: the action starts
 * dist/action/albs.js (`albs run`) as a child with a clean environment (no INPUT_*, no runner
 * tokens), hands it the signing key over a pipe, and turns what it leaves in OUT (pipeline.json,
 * logs/) into log groups, outputs and the job summary.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { machine } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { buildPlan } from '../plan/build-plan.js';
import { type ChildSecrets, SECRETS_FD, SECRETS_FD_ENV } from './child-secrets.js';
import { defaultOut, readPackageConfig } from './config-file.js';
import { allowUserNamespaces, ensureTools } from './host-setup.js';
import { InputError, readInput } from './inputs.js';
import { duration, type JobOutcome, summaryMarkdown } from './job-summary.js';
import type { Workflow } from './workflow-commands.js';
import { readWorkflowContext, workflowTrigger } from './workflow-event.js';

/** What OUT/pipeline.json holds (src/cli/run-pipeline.ts writes it). */
interface PipelineJson {
  id: string;
  result: 'success' | 'failure' | 'cancelled';
  jobs: (JobOutcome & { id: string; name: string; stage: string; artifacts: string[]; log: string | null })[];
  missing: { labels: string[]; jobs: string[] }[];
  repos: { repo: string; family: 'rpm' | 'deb'; path: string; repoFile: string }[];
}

/** The only variables the child gets: what a shell and the package tools need, nothing of the runner's. */
const CHILD_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'TZ'];

export interface RunModeOptions {
  env: NodeJS.ProcessEnv;
  workflow: Workflow;
  /** The action's checkout: action.yml, dist/action/, scripts/setup. */
  actionRoot: string;
  euid: number;
  setOutputs: (
    outputs: Partial<Record<'status' | 'pipeline-id' | 'out' | 'repos' | 'packages', string>>,
  ) => void;
}

function keepInput(env: NodeJS.ProcessEnv): string {
  const keep = readInput(env, 'keep') || '3';
  if (!/^[1-9][0-9]*$/.test(keep))
    throw new InputError(`input keep is "${keep}"; give a whole number of 1 or more`);
  return keep;
}

function archInput(env: NodeJS.ProcessEnv): string[] {
  return readInput(env, 'arch')
    .split(/[\s,]+/)
    .filter((a) => a !== '');
}

/** Returns whether the pipeline succeeded; throws for what kept it from starting. */
export async function runMode(options: RunModeOptions): Promise<boolean> {
  const { env, workflow } = options;
  const context = readWorkflowContext(env);
  const trigger = workflowTrigger(context, readInput(env, 'event'), readInput(env, 'ref'));
  const keep = keepInput(env);
  const arches = archInput(env);
  // action.yml's default is ${{ runner.temp }}/albs-out; an expression the runner left unexpanded
  // (a runner that does not evaluate it in action defaults) means the same default.
  const given = readInput(env, 'out');
  const out = resolve(
    context.workspace,
    given && !given.includes('${{') ? given : defaultOut(env, context.workspace),
  );
  const key = readInput(env, 'signing-key');
  const passphrase = readInput(env, 'passphrase');
  if (passphrase !== '' && key === '') {
    throw new InputError(
      'input passphrase is set but signing-key is not: give the key it unlocks as signing-key',
    );
  }
  options.setOutputs({ out });

  const pkg = await readPackageConfig(context.workspace, readInput(env, 'path') || '.', workflow);
  if (pkg.config === null) {
    throw new InputError(
      `${pkg.file} is invalid: ${pkg.errors} error${pkg.errors === 1 ? '' : 's'}, each annotated at its line; \`albs validate\` shows the same`,
    );
  }
  const plan = buildPlan(pkg.config, trigger);
  workflow.line(`albs-ci: ${trigger.event} ${trigger.ref}: ${plan.jobs.length} jobs`);
  if (plan.skipped) {
    workflow.annotate('notice', `${trigger.event} ${trigger.ref}: no pipeline: ${plan.skipped.reason}`, {
      title: 'albs-ci',
    });
    options.setOutputs({ status: 'success', 'pipeline-id': '', repos: '{}', packages: '[]' });
    return true;
  }
  const signs = plan.jobs.some((j) => j.stage === 'sign');
  if (signs && key === '') {
    workflow.annotate(
      'warning',
      `no signing-key given: the packages are signed with a THROWAWAY key made in ${join(out, 'keys')}, fine for a try, not for users; give the armored private key from a secret as signing-key`,
      { title: 'albs-ci: throwaway signing key' },
    );
  }

  await ensureTools(options.actionRoot, workflow, options.euid);
  await allowUserNamespaces(workflow, options.euid);

  const args = [
    join(options.actionRoot, 'dist', 'action', 'albs.js'),
    'run',
    pkg.dir,
    '--event',
    trigger.event,
    '--ref',
    trigger.ref,
    '--out',
    out,
    '--keep',
    keep,
    ...(arches.length > 0 ? ['--arch', ...arches] : []),
  ];
  // A pipeline.json left by an earlier run in the same OUT must not pass for this one's.
  rmSync(join(out, 'pipeline.json'), { force: true });
  workflow.line(`albs-ci: albs run ${args.slice(2).join(' ')}`);
  const secrets = signs && key !== '' ? { key, ...(passphrase ? { passphrase } : {}) } : {};
  const { code, stderr } = await runChild(args, options, secrets);

  const pipeline = readPipelineJson(out);
  if (!pipeline) {
    const said = stderr.trim().split('\n').filter(Boolean).pop() ?? `exit ${code}`;
    throw new InputError(`albs run could not start the pipeline: ${said}`);
  }
  logGroups(pipeline, out, workflow);
  for (const gap of pipeline.missing) {
    workflow.annotate(
      'warning',
      `no runner here has the labels [${gap.labels.join(', ')}]: skipped ${gap.jobs.join(', ')} (this runner is ${machine()}; run those arches on a runner of their own, or narrow the matrix with the arch input)`,
      { title: 'albs-ci: jobs skipped' },
    );
  }
  const repos = Object.fromEntries(pipeline.repos.map((r) => [r.repo, join(out, r.path)]));
  const packages = pipeline.jobs
    .filter((j) => j.stage === 'build')
    .flatMap((j) => j.artifacts.map((a) => join(out, a)));
  const success = code === 0 && pipeline.result === 'success';
  options.setOutputs({
    status: success ? 'success' : 'failure',
    'pipeline-id': pipeline.id ?? '',
    repos: JSON.stringify(repos),
    packages: JSON.stringify(packages),
  });
  workflow.summary(
    summaryMarkdown({
      title: 'albs-ci',
      plan,
      matrix: pkg.config.matrix,
      outcomes: Object.fromEntries(pipeline.jobs.map((j) => [j.id, j])),
      result: success ? 'success' : pipeline.result === 'success' ? 'failure' : pipeline.result,
      repos: pipeline.repos.map((r) => ({
        repo: r.repo,
        family: r.family,
        location: join(out, r.path),
        repoFile: join(out, r.repoFile),
      })),
      notes: [
        ...pipeline.missing.map(
          (g) => `no runner here for [${g.labels.join(', ')}]: skipped ${g.jobs.join(', ')}`,
        ),
        ...(signs && key === ''
          ? ['signed with a throwaway key: give signing-key for packages users can trust']
          : []),
      ],
    }),
  );
  if (!success) {
    const failed = pipeline.jobs.filter((j) => j.state === 'failure');
    throw new PipelineFailed(
      failed.length > 0
        ? `the pipeline failed: ${failed.map((j) => `${j.name}: ${j.reason ?? 'failed'}`).join('; ')}`
        : `the pipeline ended ${pipeline.result} (albs run exited ${code})`,
    );
  }
  return true;
}

/** The pipeline ran and did not succeed: the outputs are set already. */
export class PipelineFailed extends Error {
  override name = 'PipelineFailed';
}

function readPipelineJson(out: string): PipelineJson | undefined {
  const file = join(out, 'pipeline.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as PipelineJson;
}

/** One log group per job that ran, its log as the job wrote it (commands in it not obeyed). */
function logGroups(pipeline: PipelineJson, out: string, workflow: Workflow): void {
  for (const job of pipeline.jobs) {
    if (job.log === null) continue;
    const took = job.durationMs === null ? '' : ` in ${duration(job.durationMs)}`;
    workflow.group(`${job.name}: ${job.state}${took}`);
    const file = join(out, job.log);
    workflow.untrusted(existsSync(file) ? readFileSync(file, 'utf8') : `(no log at ${file})\n`);
    workflow.endGroup();
  }
}

/**
 * Starts `albs run`, shows its progress lines as they come, and resolves with its exit code and
 * stderr. The runner's cancel (SIGINT, then SIGTERM) is passed on, so that albs stops its builds.
 */
function runChild(
  args: string[],
  options: RunModeOptions,
  secrets: ChildSecrets,
): Promise<{ code: number; stderr: string }> {
  const env: NodeJS.ProcessEnv = { [SECRETS_FD_ENV]: String(SECRETS_FD) };
  for (const name of CHILD_ENV) if (options.env[name] !== undefined) env[name] = options.env[name];
  const child = spawn(process.execPath, args, {
    env,
    cwd: options.actionRoot,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  // The secrets go down the pipe and the pipe is closed: the child reads them to the end at once.
  const pipe = child.stdio[SECRETS_FD] as Writable;
  pipe.on('error', () => undefined); // a child that died first: its exit says why
  pipe.end(JSON.stringify(secrets));
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const stops = (['SIGINT', 'SIGTERM'] as const).map((s) => [s, forward(s)] as const);
  for (const [signal, handler] of stops) process.on(signal, handler);
  let stderr = '';
  lines(child.stdout!, (text) => options.workflow.untrusted(text));
  lines(child.stderr!, (text) => {
    stderr += text;
    options.workflow.untrusted(text);
  });
  return new Promise((resolve) => {
    child.on('error', (error) => {
      stderr += `${error.message}\n`;
    });
    child.on('close', (code, signal) => {
      for (const [s, handler] of stops) process.off(s, handler);
      resolve({ code: code ?? (signal ? 128 : 1), stderr });
    });
  });
}

/** Calls `take` with whole lines only, so that a command-stop never splits a line. */
function lines(stream: Readable, take: (text: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const text = rest + chunk;
    const end = text.lastIndexOf('\n');
    if (end === -1) {
      rest = text;
      return;
    }
    rest = text.slice(end + 1);
    take(text.slice(0, end + 1));
  });
  stream.on('end', () => {
    if (rest !== '') take(`${rest}\n`);
  });
}
