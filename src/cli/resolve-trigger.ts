import { realpath } from 'node:fs/promises';
import { execa } from 'execa';
import { EVENT_KINDS, type EventKind, type Trigger } from '../plan/types.js';
import { CliError, EXIT } from './exit-codes.js';

export interface TriggerOptions {
  event?: string;
  ref?: string;
}

/** What HEAD of a git work tree is: the tag it sits exactly on, else its branch. */
interface GitHead {
  tag: string | undefined;
  branch: string | undefined;
}

async function git(dir: string, args: string[]): Promise<string | undefined> {
  const result = await execa('git', ['-C', dir, ...args], { reject: false, stdin: 'ignore' });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** HEAD of `dir` when `dir` is the top of a git work tree; undefined when it is not. */
async function gitHead(dir: string): Promise<GitHead | undefined> {
  const top = await git(dir, ['rev-parse', '--show-toplevel']);
  if (top === undefined) return undefined;
  const [realTop, realDir] = await Promise.all([realpath(top), realpath(dir)]);
  if (realTop !== realDir) return undefined;
  const tags = await git(dir, ['tag', '--points-at', 'HEAD', '--sort=refname']);
  const branch = await git(dir, ['symbolic-ref', '--short', '-q', 'HEAD']);
  return { tag: tags?.split('\n').find((t) => t !== ''), branch: branch || undefined };
}

/**
 * The one rule every command uses to pick the event and ref: `--event`/`--ref` when given;
 * else, at the top of a git work tree, `tag` when HEAD is exactly at a tag, otherwise its branch;
 * else branch `main`.
 */
export async function resolveTrigger(dir: string, options: TriggerOptions): Promise<Trigger> {
  const { event, ref } = options;
  if (event !== undefined && !(EVENT_KINDS as readonly string[]).includes(event)) {
    throw new CliError(`--event is "${event}"; expected one of ${EVENT_KINDS.join(', ')}`, EXIT.usage);
  }
  if (ref !== undefined && ref.trim() === '')
    throw new CliError('--ref is empty; give a tag or branch name', EXIT.usage);
  if (event !== undefined && ref !== undefined) return { event: event as EventKind, ref };
  if (event === undefined && ref !== undefined) {
    return { event: ref.startsWith('refs/tags/') ? 'tag' : 'branch', ref };
  }
  const head = await gitHead(dir);
  if (event === 'tag') {
    if (head?.tag === undefined)
      throw new CliError('--event tag needs --ref TAG: HEAD is not at a tag', EXIT.usage);
    return { event: 'tag', ref: head.tag };
  }
  if (event !== undefined) return { event: event as EventKind, ref: head?.branch ?? 'main' };
  if (head?.tag !== undefined) return { event: 'tag', ref: head.tag };
  return { event: 'branch', ref: head?.branch ?? 'main' };
}
