import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { dirSize } from '../src/sources/dir-size.js';
import { GitCache } from '../src/sources/git-cache.js';
import { startGitDaemon } from '../test/support/git-daemon.js';
import { spread } from './spread.js';

const COMMITS = 200;
/** Files the history keeps rewriting, each commit writing random text into one of them. */
const FILES = 20;
/**
 * Bytes of random text per commit: the spec's "a few MB" repository, and one ten times larger
 * (dist-git repositories of big packages, upstream source trees), to show how the gap grows.
 */
const SIZES = [16_000, 160_000] as const;
const ROUNDS = 7;

/** git for the served repository and the clone: none of this machine's config, as the cache runs it. */
function gitEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
  };
}

type Git = (args: string[], input?: string) => Promise<string>;

export async function benchGitCache(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'albs-bench-git-cache-'));
  const env = gitEnv(work);
  const git: Git = async (args, input) =>
    (
      await execa('git', args, {
        env,
        extendEnv: false,
        input,
        stdin: input === undefined ? 'ignore' : 'pipe',
      })
    ).stdout;
  const served = join(work, 'served');
  await mkdir(served);
  const daemon = await startGitDaemon(served, { env });
  try {
    process.stdout.write(
      `git cache: ${COMMITS} commits served by git daemon on 127.0.0.1 (no network in the way); each round pushes one commit and a tag,` +
        " then times the cache's fetch of it against a fresh git clone --bare, wall time, median (lowest-highest)\n",
    );
    for (const bytesPerCommit of SIZES) {
      await benchSize(work, git, `repo-${bytesPerCommit}`, bytesPerCommit, `git://127.0.0.1:${daemon.port}`);
    }
  } finally {
    daemon.stop();
    await rm(work, { recursive: true, force: true });
  }
}

async function benchSize(
  work: string,
  git: Git,
  name: string,
  bytesPerCommit: number,
  base: string,
): Promise<void> {
  const repo = join(work, 'served', `${name}.git`);
  await git(['init', '--bare', '--quiet', repo]);
  let tip = await importCommits(git, repo, COMMITS, bytesPerCommit, undefined, 'base');
  // A served repository is packed, as on a forge: the clone reads one pack, not loose objects.
  await git([`--git-dir=${repo}`, 'repack', '-adq']);
  const packBytes = await dirSize(join(repo, 'objects', 'pack'));

  const url = `${base}/${name}.git`;
  const cache = new GitCache({ dir: join(work, `cache-${name}`), maxBytes: 1024 ** 3 });
  const cold = await timed(() => cache.fetch(url, 'refs/tags/base', tip));
  const cacheTimes: number[] = [];
  const cloneTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const tag = `v${round}`;
    tip = await importCommits(git, repo, 1, bytesPerCommit, tip, tag);
    const clone = join(work, `clone-${name}-${round}`);
    const sides = [
      async () => cacheTimes.push(await timed(() => cache.fetch(url, `refs/tags/${tag}`, tip))),
      async () => cloneTimes.push(await timed(() => git(['clone', '--bare', '--quiet', url, clone]))),
    ];
    // Side by side: which goes first alternates, so a busy spell of a shared machine hits both.
    if (round % 2 === 1) sides.reverse();
    for (const side of sides) await side();
    const read = await cache.readFile(url, tip, '.albs.yml');
    if (read?.toString() !== `tag: ${tag}\n`) {
      throw new Error(`the cache read ${JSON.stringify(read?.toString())} from .albs.yml at ${tip} (${tag})`);
    }
    await git([`--git-dir=${clone}`, 'cat-file', '-e', `${tip}^{commit}`]);
    await rm(clone, { recursive: true, force: true });
  }
  const ratios = cloneTimes.map((c, i) => c / cacheTimes[i]!);
  process.stdout.write(
    `git cache, ${(packBytes / 1024 / 1024).toFixed(1)} MB packed: warm fetch of a new tag ${spread(cacheTimes, ms)},` +
      ` git clone --bare ${spread(cloneTimes, ms)}: ${spread(ratios, (r) => `${r.toFixed(1)}x`)} as fast` +
      ` (${ROUNDS} rounds; the cache's first fetch ${ms(cold)}; every fetched commit read back)\n`,
  );
}

function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * `count` commits on main after `parent` through git fast-import (200 `git commit`s would take
 * longer than the benchmark), each rewriting one of FILES files with random text and .albs.yml;
 * the last gets tag `tag`. Returns its sha.
 */
async function importCommits(
  git: Git,
  repo: string,
  count: number,
  bytesPerCommit: number,
  parent: string | undefined,
  tag: string,
): Promise<string> {
  // The line break that join puts after each text is the one fast-import allows after data.
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}`;
  const stream: string[] = [];
  for (let i = 0; i < count; i++) {
    const time = 1_700_000_000 + i;
    const body = randomBytes((bytesPerCommit * 3) / 4).toString('base64');
    stream.push(
      'commit refs/heads/main',
      `mark :${i + 1}`,
      `committer Bench <bench@example.org> ${time} +0000`,
      data(`commit ${i} of ${tag}`),
      ...(i === 0 && parent !== undefined ? [`from ${parent}`] : []),
      `M 100644 inline src/file-${i % FILES}.txt`,
      data(body),
      'M 100644 inline .albs.yml',
      data(`tag: ${tag}\n`),
    );
  }
  stream.push(`reset refs/tags/${tag}`, `from :${count}`, '');
  await git([`--git-dir=${repo}`, 'fast-import', '--quiet'], stream.join('\n'));
  return git([`--git-dir=${repo}`, 'rev-parse', `refs/tags/${tag}^{commit}`]);
}
