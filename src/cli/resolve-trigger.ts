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
  const [tags, branch] = await Promise.all([
    git(dir, ['tag', '--points-at', 'HEAD', '--sort=refname']),
    git(dir, ['symbolic-ref', '--short', '-q', 'HEAD']),
  ]);
  return { tag: tags?.split('\n').find((t) => t !== ''), branch: branch || undefined };
}

/**
 * The one rule every command uses to pick the event and ref: `--event`/`--ref` when given;
 * (`--ref refs/tags/X` alone is a tag, `refs/pull/...` a pull request, anything else a branch);
 * else, at the top of a git work tree, `tag` when HEAD is exactly at a tag, otherwise its branch,
 * and a usage error when HEAD is detached; else branch `main`.
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
    // A forge's pull request refs (refs/pull/7/merge, refs/pull/7/head) are never branches: never published.
    const kind: EventKind = ref.startsWith('refs/tags/')
      ? 'tag'
      : ref.startsWith('refs/pull/')
        ? 'pull_request'
        : 'branch';
    return { event: kind, ref };
  }
  const head = await gitHead(dir);
  if (event === 'tag') {
    if (head?.tag === undefined)
      throw new CliError('--event tag needs --ref TAG: HEAD is not at a tag', EXIT.usage);
    return { event: 'tag', ref: head.tag };
  }
  if (event === 'pull_request') return { event, ref: head?.branch ?? 'HEAD' };
  if (event === undefined && head?.tag !== undefined) return { event: 'tag', ref: head.tag };
  if (head !== undefined && head.branch === undefined) {
    // A detached HEAD is what CI checkouts of pull requests look like: guessing "main" would sign
    // and publish whatever is checked out.
    throw new CliError(
      'HEAD is detached and not at a tag, so albs cannot tell what this build is: give --event and --ref (e.g. --event pull_request --ref my-fix, or --event branch --ref main)',
      EXIT.usage,
    );
  }
  return { event: 'branch', ref: head?.branch ?? 'main' };
}
