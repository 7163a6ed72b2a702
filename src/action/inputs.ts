/**
 * The action's inputs and outputs as the code knows them. action.yml describes them to users;
 * test/action/action-yml.test.ts checks that it, this file and the README's table name the same
 * ones with the same defaults.
 */

export type Mode = 'run' | 'submit';

export interface InputSpec {
  /** What action.yml gives when the workflow does not; undefined where it is an expression. */
  default: string;
  /** The modes that read it; given a value of its own in another mode, it is ignored with a warning. */
  modes: readonly Mode[];
  /** Masked in the log as soon as it is read, and never handed on in an environment. */
  secret?: boolean;
}

export const INPUTS = {
  mode: { default: 'run', modes: ['run', 'submit'] },
  path: { default: '.', modes: ['run', 'submit'] },
  event: { default: '', modes: ['run', 'submit'] },
  ref: { default: '', modes: ['run', 'submit'] },
  arch: { default: '', modes: ['run'] },
  'signing-key': { default: '', modes: ['run'], secret: true },
  passphrase: { default: '', modes: ['run'], secret: true },
  keep: { default: '3', modes: ['run'] },
  // action.yml's default is ${{ runner.temp }}/albs-out; the code falls back to $RUNNER_TEMP/albs-out.
  out: { default: '', modes: ['run'] },
  'server-url': { default: '', modes: ['submit'] },
  token: { default: '', modes: ['submit'], secret: true },
  srpm: { default: '', modes: ['submit'] },
  sha256: { default: '', modes: ['submit'] },
  wait: { default: 'true', modes: ['submit'] },
} as const satisfies Record<string, InputSpec>;

export type InputName = keyof typeof INPUTS;

export const OUTPUTS = ['status', 'pipeline-id', 'pipeline-url', 'out', 'repos', 'packages'] as const;
export type OutputName = (typeof OUTPUTS)[number];

/** The variable a runner passes an input in: INPUT_ and the name upper-cased, hyphens kept. */
export function inputVariable(name: InputName): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** An input as the workflow gave it, trimmed (as @actions/core's getInput does); '' when absent. */
export function readInput(env: NodeJS.ProcessEnv, name: InputName): string {
  return (env[inputVariable(name)] ?? '').trim();
}

/** Why a value is not valid for an input, in words naming the input and the fix. */
export class InputError extends Error {
  override name = 'InputError';
}
