import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dirSize } from '../../src/sources/dir-size.js';
import { GitCache, GitCacheError, GitCacheInputError } from '../../src/sources/git-cache.js';
import { refFormatProblem } from '../../src/sources/git-cache-input.js';
import { startGitDaemon } from '../support/git-daemon.js';

/** Test repositories are made with git itself, none of this machine's git config in the way. */
const REPO_ENV = {
  GIT_AUTHOR_NAME: 'Albs Test',
  GIT_AUTHOR_EMAIL: 'test@example.org',
  GIT_COMMITTER_NAME: 'Albs Test',
  GIT_COMMITTER_EMAIL: 'test@example.org',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await execa('git', args, { cwd, env: REPO_ENV, stdin: 'ignore' });
  return stdout.trim();
}

type Content = string | Buffer | { symlink: string } | { exec: string };

/** Writes `files` into the work tree of `repo` and commits them all; returns the commit's sha. */
async function commit(repo: string, files: Record<string, Content>, message = 'change'): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    const file = join(repo, path);
    await mkdir(dirname(file), { recursive: true });
    await rm(file, { force: true });
    if (typeof content === 'string' || Buffer.isBuffer(content)) await writeFile(file, content);
    else if ('symlink' in content) await symlink(content.symlink, file);
    else {
      await writeFile(file, content.exec);
      await chmod(file, 0o755);
    }
  }
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '--allow-empty', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

async function newRepo(root: string, name: string, files: Record<string, Content>): Promise<string> {
  const repo = join(root, name);
  await mkdir(repo, { recursive: true });
  await git(repo, 'init', '-q', '-b', 'main');
  await commit(repo, files, 'first');
  return repo;
}

/** Every file below `dir` that contains `needle`, binary files included (packs, index, config). */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(needle)) found.push(path);
  }
  return found;
}

/** The mirror directories of a cache (its dot entries are its own housekeeping). */
async function mirrors(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => !name.startsWith('.')).sort();
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

interface HttpGit {
  port: number;
  /** Body bytes of all answers so far: what the clients were sent. */
  bytes: number;
  /** The Authorization header of every request, as received. */
  authorizations: (string | undefined)[];
  /** Requests for a path starting with the key wait for the promise first. */
  holds: Map<string, Promise<void>>;
  close: () => Promise<void>;
}

/**
 * `git http-backend` behind node:http as a CGI, answering 401 to any request whose Authorization
 * header is not one of `accepted`: the only way a fetch through it succeeds is with the header.
 */
async function startHttpGit(root: string, accepted: ReadonlySet<string>): Promise<HttpGit> {
  const state: HttpGit = { port: 0, bytes: 0, authorizations: [], holds: new Map(), close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    const auth = req.headers.authorization;
    state.authorizations.push(auth);
    if (auth === undefined || !accepted.has(auth)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="albs test"' }).end('authorization required\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    for (const [prefix, hold] of state.holds) if (url.pathname.startsWith(prefix)) await hold;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...REPO_ENV,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REMOTE_ADDR: '127.0.0.1',
      REMOTE_USER: 'albs',
      SERVER_PROTOCOL: 'HTTP/1.1',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
    };
    const length = req.headers['content-length'];
    if (length !== undefined) env.CONTENT_LENGTH = length;
    const protocol = req.headers['git-protocol'];
    if (typeof protocol === 'string') env.GIT_PROTOCOL = protocol;
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined) env.HTTP_CONTENT_ENCODING = encoding;
    const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let started = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (started) {
        state.bytes += chunk.length;
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      started = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      const body = head.subarray(end + 4);
      state.bytes += body.length;
      res.write(body);
    });
    cgi.on('close', () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as { port: number }).port;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

let work: string;
/** Repositories served by git daemon and git http-backend. */
let served: string;
let daemon: { port: number; stop: () => void };
let http: HttpGit;
const TOKEN = `albs-test-token-${randomBytes(12).toString('hex')}`;
const PASSWORD = `albs-test-password-${randomBytes(12).toString('hex')}`;
const BASIC = `Basic ${Buffer.from(`albs:${PASSWORD}`).toString('base64')}`;
const gitUrl = (name: string) => `git://127.0.0.1:${daemon.port}/${name}`;
const httpUrl = (name: string) => `http://127.0.0.1:${http.port}/${name}`;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'albs-git-cache-'));
  served = join(work, 'served');
  await mkdir(served);
  daemon = await startGitDaemon(served, {
    env: { ...process.env, ...REPO_ENV },
    args: ['--informative-errors'],
  });
  http = await startHttpGit(served, new Set([`token ${TOKEN}`, BASIC]));
});

afterAll(async () => {
  daemon?.stop();
  await http?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Every cache the tests made, closed by the last test. */
const caches: GitCache[] = [];

interface Spawned {
  args: readonly string[];
  pid: number | undefined;
}

/** A fresh cache dir for one test, with its log lines and the git processes it started kept. */
async function newCache(
  maxBytes = 1024 ** 3,
): Promise<{ cache: GitCache; dir: string; lines: string[]; spawns: Spawned[] }> {
  const dir = await mkdtemp(join(work, 'cache-'));
  const lines: string[] = [];
  const spawns: Spawned[] = [];
  const cache = new GitCache({
    dir,
    maxBytes,
    log: (line) => lines.push(line),
    onSpawn: (args, pid) => spawns.push({ args, pid }),
  });
  caches.push(cache);
  return { cache, dir, lines, spawns };
}

/** The `git cat-file --batch` processes this test process started that still run. */
async function catFiles(): Promise<number[]> {
  const { stdout } = await execa('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], {
    reject: false,
  });
  return stdout
    .split('\n')
    .filter((line) => /\bcat-file --batch\b/.test(line))
    .map((line) => Number.parseInt(line, 10));
}

function running(pid: number | undefined): boolean {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
}

const batchPids = (spawns: Spawned[]) =>
  spawns.filter((s) => s.args.join(' ') === 'cat-file --batch').map((s) => s.pid);

describe('refusing bad input before git runs', () => {
  const sha = 'a'.repeat(40);
  const refused = async (call: (cache: GitCache) => Promise<unknown>) => {
    const dir = join(work, `never-${randomBytes(4).toString('hex')}`);
    const error = await rejection(call(new GitCache({ dir, maxBytes: 1e9 })));
    expect(error).toBeInstanceOf(GitCacheInputError);
    // The cache makes its directory before running its first git: nothing there means no git ran.
    await expect(stat(dir)).rejects.toThrow(/ENOENT/);
    return error.message;
  };

  it.each([
    ['ssh://git@github.com/AlmaLinux/albs.git', /ssh transport/],
    ['ssh://user:hunter2-secret@example.org/repo.git', /ssh transport/],
    ['git@github.com:AlmaLinux/albs.git', /not a URL/],
    ['ext::sh%20-c%20touch%20/tmp/albs-pwned', /ext transport/],
    ['ext::sh -c touch% /tmp/albs-pwned', /spaces or control characters/],
    ['fd::3', /fd transport/],
    ['-uhttps://example.org/repo.git', /not a URL/],
    ['ftp://example.org/repo.git', /ftp transport/],
    ['file://otherhost/srv/repo.git', /names host otherhost/],
    ['https://example.org/repo.git\nX: y', /control characters/],
    ['', /empty/],
  ])('refuses the clone URL %s', async (url, reason) => {
    const message = await refused((cache) => cache.fetch(url, 'refs/heads/main', sha));
    expect(message).toMatch(reason);
    expect(message).not.toContain('hunter2-secret');
  });

  it.each([
    'abc123',
    'g'.repeat(40),
    'a'.repeat(39),
    'a'.repeat(41),
    'a'.repeat(63),
    '--upload-pack=touch',
    'HEAD',
  ])('refuses the commit id %s', async (bad) => {
    expect(
      await refused((cache) => cache.fetch('https://example.org/r.git', 'refs/heads/main', bad)),
    ).toMatch(/not a full commit id/);
    await refused((cache) => cache.readFile('https://example.org/r.git', bad, '.albs.yml'));
    await refused((cache) => cache.exportTree('https://example.org/r.git', bad, join(work, 'unused')));
  });

  it.each([
    'main',
    'v1.0',
    '--upload-pack=touch',
    'refs/heads/a..b',
    'refs/heads/x:y',
    'refs/heads/',
    'refs//heads/x',
    'refs/heads/a.lock',
    'refs/heads/.hidden',
    'refs/heads/has space',
    'refs/heads/x@{1}',
    'refs/tags/v1*',
    'refs/heads/tab\there',
  ])('refuses the ref %j', async (ref) => {
    expect(await refused((cache) => cache.fetch('https://example.org/r.git', ref, sha))).toMatch(/ref/);
  });

  it.each(['', '../etc/passwd', '/etc/passwd', 'SPECS//x.spec', 'SPECS/./x.spec', 'SPECS/', 'a\0b'])(
    'refuses the path %j to read',
    async (path) => {
      expect(await refused((cache) => cache.readFile('https://example.org/r.git', sha, path))).toMatch(
        /path/,
      );
    },
  );

  it('refuses an auth header with a line break, without quoting it', async () => {
    const message = await refused((cache) =>
      cache.fetch(
        'https://example.org/r.git',
        'refs/heads/main',
        sha,
        `Authorization: token ${TOKEN}\r\nX-A: b`,
      ),
    );
    expect(message).toMatch(/"Name: value" line/);
    expect(message).not.toContain(TOKEN);
  });

  it('accepts exactly the ref names git check-ref-format accepts', async () => {
    const char = fc.constantFrom(
      'a',
      'b',
      '.',
      '/',
      '@',
      '{',
      'l',
      'o',
      'c',
      'k',
      '-',
      ' ',
      '~',
      ':',
      '*',
      '\\',
      '\t',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(char, { maxLength: 12 }), async (chars) => {
        const ref = `refs/${chars.join('')}`;
        const byGit = await execa('git', ['check-ref-format', ref], { reject: false, env: REPO_ENV });
        expect(refFormatProblem(ref) === undefined, ref).toBe(byGit.exitCode === 0);
      }),
      { numRuns: 150 },
    );
  });
});

describe('over git://', () => {
  let repo: string;
  let v1: string;

  beforeAll(async () => {
    repo = await newRepo(served, 'hello', {
      '.albs.yml': 'build:\n  targets: [el9]\n',
      'SPECS/hello.spec': 'Name: hello\n',
      'run.sh': { exec: '#!/bin/sh\necho hi\n' },
      link: { symlink: 'SPECS/hello.spec' },
      specs: { symlink: 'SPECS' },
      escape: { symlink: '../../outside-target' },
      absolute: { symlink: '/etc/passwd' },
    });
    v1 = await git(repo, 'rev-parse', 'HEAD');
    await git(repo, 'tag', '-a', '-m', 'v1', 'v1');
  });

  it('fetches a tag and reads .albs.yml at its commit', async () => {
    const { cache, lines } = await newCache();
    await cache.fetch(gitUrl('hello'), 'refs/tags/v1', v1);
    expect((await cache.readFile(gitUrl('hello'), v1, '.albs.yml'))?.toString()).toBe(
      'build:\n  targets: [el9]\n',
    );
    expect(lines.some((l) => l.includes('fetching refs/tags/v1 of git://127.0.0.1'))).toBe(true);
    // Again: the commit is there, nothing is fetched.
    await cache.fetch(gitUrl('hello'), 'refs/tags/v1', v1);
    expect(lines.at(-1)).toMatch(/already in the mirror/);
  });

  it('reads only regular files, up to the cap', async () => {
    const { cache } = await newCache();
    await cache.fetch(gitUrl('hello'), 'refs/tags/v1', v1);
    const read = (path: string, max?: number) => cache.readFile(gitUrl('hello'), v1, path, max);
    expect(await read('missing.yml')).toBeUndefined();
    expect(await read('SPECS/missing.spec')).toBeUndefined();
    // Through a symlinked directory is not inside the tree: nothing is followed.
    expect(await read('specs/hello.spec')).toBeUndefined();
    expect((await read('SPECS/hello.spec'))?.toString()).toBe('Name: hello\n');
    expect((await rejection(read('link'))).message).toMatch(/link at .* is a symlink/);
    expect((await rejection(read('SPECS'))).message).toMatch(/SPECS at .* is a directory/);
    expect(await rejection(read('.albs.yml', -1))).toBeInstanceOf(GitCacheInputError);
    const big = await rejection(read('.albs.yml', 10));
    expect(big).toBeInstanceOf(GitCacheError);
    expect(big.message).toMatch(
      /\.albs\.yml at [0-9a-f]{40} in git:\/\/.* is 24 bytes, more than the 10 bytes/,
    );
  });

  it('reads nothing from a commit it has not fetched', async () => {
    const { cache } = await newCache();
    const error = await rejection(cache.readFile(gitUrl('hello'), v1, '.albs.yml'));
    expect(error.message).toMatch(/is not in the git cache: fetch it first/);
  });

  it('exports a tree with its symlinks as symlinks, nothing outside dest', async () => {
    const { cache } = await newCache();
    await cache.fetch(gitUrl('hello'), 'refs/tags/v1', v1);
    const parent = await mkdtemp(join(work, 'export-'));
    const dest = join(parent, 'a', 'dest');
    await cache.exportTree(gitUrl('hello'), v1, dest);
    expect((await readdir(dest)).sort()).toEqual([
      '.albs.yml',
      'SPECS',
      'absolute',
      'escape',
      'link',
      'run.sh',
      'specs',
    ]);
    expect(await readFile(join(dest, 'SPECS/hello.spec'), 'utf8')).toBe('Name: hello\n');
    expect((await stat(join(dest, 'run.sh'))).mode & 0o111).not.toBe(0);
    for (const [name, target] of [
      ['link', 'SPECS/hello.spec'],
      ['specs', 'SPECS'],
      ['escape', '../../outside-target'],
      ['absolute', '/etc/passwd'],
    ]) {
      expect((await lstat(join(dest, name!))).isSymbolicLink()).toBe(true);
      expect(await readlink(join(dest, name!))).toBe(target);
    }
    expect(await readdir(parent)).toEqual(['a']);
    expect(await readdir(join(parent, 'a'))).toEqual(['dest']);
    const error = await rejection(cache.exportTree(gitUrl('hello'), v1, dest));
    expect(error.message).toMatch(/is not empty .*give a new one/);
  });

  it('refuses a tree with ".." or ".git" paths, writing nothing', async () => {
    const evil = await newRepo(served, 'evil', { README: 'evil\n' });
    const blob = await git(evil, 'rev-parse', 'HEAD:README');
    const inner = (
      await execa('git', ['mktree'], { cwd: evil, env: REPO_ENV, input: `100644 blob ${blob}\tplanted\n` })
    ).stdout.trim();
    for (const [branch, name] of [
      ['dotdot', '..'],
      ['dotgit', '.git'],
    ]) {
      const top = (
        await execa('git', ['mktree'], {
          cwd: evil,
          env: REPO_ENV,
          input: `040000 tree ${inner}\t${name}\n100644 blob ${blob}\tREADME\n`,
        })
      ).stdout.trim();
      const sha = await git(evil, 'commit-tree', '-m', 'evil', top);
      await git(evil, 'update-ref', `refs/heads/${branch}`, sha);
      const { cache } = await newCache();
      await cache.fetch(gitUrl('evil'), `refs/heads/${branch}`, sha);
      const parent = await mkdtemp(join(work, 'evil-'));
      const dest = join(parent, 'deep', 'dest');
      const error = await rejection(cache.exportTree(gitUrl('evil'), sha, dest));
      expect(error).toBeInstanceOf(GitCacheError);
      expect(error.message).toMatch(/invalid path/);
      expect(await readdir(dest)).toEqual([]);
      expect(await readdir(join(parent, 'deep'))).toEqual(['dest']);
    }
  });

  it("yields the event's commit after its branch moved on", async () => {
    const moving = await newRepo(served, 'moving', { '.albs.yml': 'version: 1\n' });
    const event = await git(moving, 'rev-parse', 'HEAD');
    await commit(moving, { '.albs.yml': 'version: 2\n', 'NEW.txt': 'later\n' });
    const { cache, lines } = await newCache();
    await cache.fetch(gitUrl('moving'), 'refs/heads/main', event);
    expect((await cache.readFile(gitUrl('moving'), event, '.albs.yml'))?.toString()).toBe('version: 1\n');
    const dest = join(await mkdtemp(join(work, 'moved-')), 'dest');
    await cache.exportTree(gitUrl('moving'), event, dest);
    expect(await readdir(dest)).toEqual(['.albs.yml']);
    expect(await readFile(join(dest, '.albs.yml'), 'utf8')).toBe('version: 1\n');
    // The branch's new commit holds the old one: no fetch of the commit by id was needed.
    expect(lines.some((l) => l.includes('fetching the commit itself'))).toBe(false);
  });

  it('fetches the commit by id after a force-push, while the server still has it', async () => {
    const forced = await newRepo(served, 'forced', { '.albs.yml': 'version: 1\n' });
    const event = await git(forced, 'rev-parse', 'HEAD');
    // The pull request's head keeps the commit on the server, as GitHub does.
    await git(forced, 'update-ref', 'refs/pull/7/head', event);
    await git(forced, 'commit', '-q', '--amend', '-m', 'rewritten');
    const { cache, lines } = await newCache();
    await cache.fetch(gitUrl('forced'), 'refs/heads/main', event);
    expect(lines.some((l) => l.includes('no longer holds') && l.includes('fetching the commit itself'))).toBe(
      true,
    );
    expect((await cache.readFile(gitUrl('forced'), event, '.albs.yml'))?.toString()).toBe('version: 1\n');

    // A deleted branch is a ref that moved away too.
    const feature = await git(forced, 'commit-tree', '-p', event, '-m', 'feature', `${event}^{tree}`);
    await git(forced, 'update-ref', 'refs/heads/feature', feature);
    await git(forced, 'update-ref', 'refs/pull/8/head', feature);
    await git(forced, 'update-ref', '-d', 'refs/heads/feature');
    await cache.fetch(gitUrl('forced'), 'refs/heads/feature', feature);
    expect(lines.at(-1)).toMatch(/ fetched$/);

    // A commit the server does not have is an error naming it, the ref and the URL.
    const gone = randomBytes(20).toString('hex');
    const error = await rejection(cache.fetch(gitUrl('forced'), 'refs/heads/main', gone));
    expect(error).toBeInstanceOf(GitCacheError);
    expect(error.message).toContain(
      `commit ${gone} is not reachable from refs/heads/main of ${gitUrl('forced')}`,
    );
  });

  it('serialises fetches of one URL: both succeed, one after the other', async () => {
    const busy = await newRepo(served, 'busy', { '.albs.yml': 'n: 0\n' });
    const shas: string[] = [];
    for (const n of [1, 2]) {
      shas.push(await commit(busy, { '.albs.yml': `n: ${n}\n` }));
      await git(busy, 'tag', `t${n}`);
    }
    const { cache, lines } = await newCache();
    await Promise.all([
      cache.fetch(gitUrl('busy'), 'refs/tags/t1', shas[0]!),
      cache.fetch(gitUrl('busy'), 'refs/tags/t2', shas[1]!),
    ]);
    // In the order called, each fetch ending before the next starts: interleaved they would make two
    // mirrors or fail on each other's ref locks.
    const steps = lines.filter((l) => / (fetching|fetched$)/.test(l)).map((l) => l.replace(/ of .*$/, ''));
    expect(steps).toEqual([
      'git cache: fetching refs/tags/t1',
      `git cache: ${shas[0]}`,
      'git cache: fetching refs/tags/t2',
      `git cache: ${shas[1]}`,
    ]);
    expect(lines.filter((l) => l.includes('new mirror'))).toHaveLength(1);
    expect((await cache.readFile(gitUrl('busy'), shas[0]!, '.albs.yml'))?.toString()).toBe('n: 1\n');
    expect((await cache.readFile(gitUrl('busy'), shas[1]!, '.albs.yml'))?.toString()).toBe('n: 2\n');
  });

  it('evicts the least recently used mirror past maxBytes, never one in use', async () => {
    const shas: Record<string, string> = {};
    for (const name of ['lru-1', 'lru-2', 'lru-3']) {
      const repo = await newRepo(served, name, { '.albs.yml': `name: ${name}\n`, data: randomBytes(20_000) });
      shas[name] = await git(repo, 'rev-parse', 'HEAD');
    }
    const repoOf = (mirror: string) => mirror.replace(/^.*-(lru-\d)$/, '$1');
    const { cache, dir } = await newCache();
    const pause = () => new Promise((r) => setTimeout(r, 30));
    for (const name of ['lru-1', 'lru-2', 'lru-3']) {
      await cache.fetch(gitUrl(name), 'refs/heads/main', shas[name]!);
      await pause();
    }
    await cache.readFile(gitUrl('lru-1'), shas['lru-1']!, '.albs.yml');
    const names = await mirrors(dir);
    expect(names).toHaveLength(3);
    const size: Record<string, number> = {};
    for (const name of names) size[repoOf(name)] = await dirSize(join(dir, name));

    const lines: string[] = [];
    const small = new GitCache({ dir, maxBytes: size['lru-1']! + size['lru-3']!, log: (l) => lines.push(l) });
    caches.push(small);
    await small.evict();
    expect((await mirrors(dir)).map(repoOf).sort()).toEqual(['lru-1', 'lru-3']);
    expect(lines.join('\n')).toMatch(/evicted .*lru-2 .*least recently used/);
    expect((await rejection(small.readFile(gitUrl('lru-2'), shas['lru-2']!, '.albs.yml'))).message).toMatch(
      /fetch it first/,
    );

    // With no room at all, a fetch still keeps the mirror it fetched into (in use while it evicts).
    const none = new GitCache({ dir, maxBytes: 0, log: (l) => lines.push(l) });
    caches.push(none);
    await none.fetch(gitUrl('lru-2'), 'refs/heads/main', shas['lru-2']!);
    expect((await mirrors(dir)).map(repoOf).sort()).toEqual(['lru-2']);
    expect(lines.at(-1)).toMatch(/in use, over the 0 bytes allowed/);
    expect((await none.readFile(gitUrl('lru-2'), shas['lru-2']!, '.albs.yml'))?.toString()).toBe(
      'name: lru-2\n',
    );
  });

  it('keeps one mirror per repository however its URL is spelled', async () => {
    const { cache, dir } = await newCache();
    await cache.fetch(gitUrl('hello'), 'refs/tags/v1', v1);
    await cache.fetch(`${gitUrl('hello')}.git/`, 'refs/tags/v1', v1);
    expect(await mirrors(dir)).toHaveLength(1);
    expect((await mirrors(dir))[0]).toMatch(/^[0-9a-f]{16}-127\.0\.0\.1-hello$/);
  });
});

describe('over http with an auth header', () => {
  let secret: string;
  let v1: string;

  beforeAll(async () => {
    secret = await newRepo(served, 'secret.git', { '.albs.yml': 'private: true\n' });
    v1 = await git(secret, 'rev-parse', 'HEAD');
    await git(secret, 'tag', 'v1');
  });

  it('gives git the header through its environment only: never on disk, never logged', async () => {
    const { cache, dir, lines } = await newCache();
    const before = http.authorizations.length;
    await cache.fetch(httpUrl('secret.git'), 'refs/tags/v1', v1, `Authorization: token ${TOKEN}`);
    expect(http.authorizations.slice(before)).toContain(`token ${TOKEN}`);
    expect((await cache.readFile(httpUrl('secret.git'), v1, '.albs.yml'))?.toString()).toBe(
      'private: true\n',
    );
    expect(await filesContaining(dir, TOKEN)).toEqual([]);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('fails without the right header, naming the URL and ref but never the header', async () => {
    const { cache, dir } = await newCache();
    const wrong = `albs-wrong-token-${randomBytes(8).toString('hex')}`;
    const error = await rejection(
      cache.fetch(httpUrl('secret.git'), 'refs/tags/v1', v1, `Authorization: token ${wrong}`),
    );
    expect(error).toBeInstanceOf(GitCacheError);
    expect(error.message).toContain(`git fetch of refs/tags/v1 from ${httpUrl('secret.git')} failed`);
    expect(error.message).not.toContain(wrong);
    expect(await filesContaining(dir, wrong)).toEqual([]);
    // No header at all: git may not ask for a password on a terminal, it fails at once.
    const none = await rejection(cache.fetch(httpUrl('secret.git'), 'refs/tags/v1', v1));
    expect(none.message).toMatch(/Authentication failed|could not read Username/);
  });

  it("sends a URL's user name and password as Basic auth, and keeps them out of the mirror", async () => {
    const { cache, dir, lines } = await newCache();
    const withPassword = `http://albs:${PASSWORD}@127.0.0.1:${http.port}/secret.git`;
    await cache.fetch(withPassword, 'refs/tags/v1', v1);
    expect((await cache.readFile(withPassword, v1, '.albs.yml'))?.toString()).toBe('private: true\n');
    const [mirror] = await mirrors(dir);
    expect(await git(join(dir, mirror!), 'config', 'remote.origin.url')).toBe(httpUrl('secret.git'));
    expect(await filesContaining(dir, PASSWORD)).toEqual([]);
    expect(await filesContaining(dir, BASIC.slice(6))).toEqual([]);
    expect(lines.join('\n')).not.toContain(PASSWORD);

    const wrong = `http://albs:not-${PASSWORD}@127.0.0.1:${http.port}/secret.git`;
    const error = await rejection((await newCache()).cache.fetch(wrong, 'refs/tags/v1', v1));
    expect(error.message).toContain(httpUrl('secret.git'));
    expect(error.message).not.toContain(PASSWORD);
  });

  it('fetches only the new objects of a new tag into a warm mirror', async () => {
    const big = await newRepo(served, 'big.git', { '.albs.yml': 'v: 0\n' });
    // Random bytes do not compress: the pack of a fresh fetch is at least their size.
    for (let i = 0; i < 10; i++) await commit(big, { [`data/${i}.bin`]: randomBytes(40_000) });
    const first = await commit(big, { '.albs.yml': 'v: 1\n' });
    await git(big, 'tag', 'v1');
    const header = `Authorization: token ${TOKEN}`;
    const { cache } = await newCache();
    await cache.fetch(httpUrl('big.git'), 'refs/tags/v1', first, header);

    const second = await commit(big, { '.albs.yml': 'v: 2\n' });
    await git(big, 'tag', 'v2');
    let bytes = http.bytes;
    await cache.fetch(httpUrl('big.git'), 'refs/tags/v2', second, header);
    const warm = http.bytes - bytes;
    bytes = http.bytes;
    await (await newCache()).cache.fetch(httpUrl('big.git'), 'refs/tags/v2', second, header);
    const fresh = http.bytes - bytes;
    expect(fresh).toBeGreaterThan(400_000);
    expect(warm).toBeLessThan(fresh / 50);
    expect((await cache.readFile(httpUrl('big.git'), second, '.albs.yml'))?.toString()).toBe('v: 2\n');
  });

  it('runs fetches of different URLs in parallel', async () => {
    const held = await newRepo(served, 'held.git', { '.albs.yml': 'held\n' });
    const heldSha = await git(held, 'rev-parse', 'HEAD');
    const free = await newRepo(served, 'free', { '.albs.yml': 'free\n' });
    const freeSha = await git(free, 'rev-parse', 'HEAD');
    let release = () => {};
    http.holds.set('/held.git', new Promise<void>((resolve) => (release = resolve)));
    try {
      const { cache } = await newCache();
      // The server answers for held.git only once free's fetch has finished: were the two URLs
      // serialised, neither would end.
      const heldFetch = cache.fetch(
        httpUrl('held.git'),
        'refs/heads/main',
        heldSha,
        `Authorization: token ${TOKEN}`,
      );
      await cache.fetch(gitUrl('free'), 'refs/heads/main', freeSha);
      release();
      await heldFetch;
      expect((await cache.readFile(httpUrl('held.git'), heldSha, '.albs.yml'))?.toString()).toBe('held\n');
    } finally {
      release();
      http.holds.delete('/held.git');
    }
  });
});

describe('over file://', () => {
  it('mirrors a SHA-256 repository', async () => {
    const repo = join(work, 'sha256');
    await mkdir(repo);
    await git(repo, 'init', '-q', '--object-format=sha256', '-b', 'main');
    const sha = await commit(repo, { '.albs.yml': 'format: sha256\n' });
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    const { cache } = await newCache();
    await cache.fetch(`file://${repo}`, 'refs/heads/main', sha);
    expect((await cache.readFile(`file://${repo}`, sha, '.albs.yml'))?.toString()).toBe('format: sha256\n');
  });
});

describe('one git cat-file --batch per mirror', () => {
  let repo: string;
  let v1: string;
  let tag: string;

  beforeAll(async () => {
    repo = await newRepo(served, 'batch', { '.albs.yml': 'v: 1\n', 'SPECS/batch.spec': 'Name: batch\n' });
    v1 = await git(repo, 'rev-parse', 'HEAD');
    await git(repo, 'tag', '-a', '-m', 'v1', 'v1');
    tag = await git(repo, 'rev-parse', 'refs/tags/v1');
  });

  it('starts no git process for a commit already in the mirror: fetch, commitOf, readFile', async () => {
    const { cache, spawns } = await newCache();
    await cache.fetch(gitUrl('batch'), 'refs/tags/v1', v1);
    expect(spawns.map((s) => s.args[0])).toEqual(['init', 'config', 'cat-file', 'fetch']);
    spawns.length = 0;
    for (let i = 0; i < 3; i++) {
      await cache.fetch(gitUrl('batch'), 'refs/tags/v1', v1);
      await cache.fetch(gitUrl('batch'), 'refs/tags/v1', tag);
      expect(await cache.commitOf(gitUrl('batch'), tag)).toBe(v1);
      expect(await cache.commitOf(gitUrl('batch'), v1)).toBe(v1);
      expect((await cache.readFile(gitUrl('batch'), v1, '.albs.yml'))?.toString()).toBe('v: 1\n');
      expect((await cache.readFile(gitUrl('batch'), tag, 'SPECS/batch.spec'))?.toString()).toBe(
        'Name: batch\n',
      );
      expect(await cache.readFile(gitUrl('batch'), v1, 'SPECS/none.spec')).toBeUndefined();
      expect((await rejection(cache.readFile(gitUrl('batch'), v1, 'SPECS'))).message).toMatch(/directory/);
      expect((await rejection(cache.readFile(gitUrl('batch'), v1, '.albs.yml', 2))).message).toMatch(
        /is 5 bytes, more than the 2 bytes/,
      );
      // Requests of calls made at once share the one process, one after the other.
      const all = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          n % 2 === 0
            ? cache.readFile(gitUrl('batch'), v1, '.albs.yml').then(String)
            : cache.commitOf(gitUrl('batch'), tag),
        ),
      );
      expect(all).toEqual(Array.from({ length: 20 }, (_, n) => (n % 2 === 0 ? 'v: 1\n' : v1)));
    }
    // Only the process ended by the oversized read (so as not to read it) is started again.
    expect(spawns.map((s) => s.args.join(' '))).toEqual(Array(3).fill('cat-file --batch'));
    // A commit that is not there, or an object that is no commit, is still told apart.
    const blob = await git(repo, 'rev-parse', `${v1}:.albs.yml`);
    for (const sha of [blob, 'b'.repeat(40)]) {
      expect((await rejection(cache.commitOf(gitUrl('batch'), sha))).message).toMatch(/fetch it first/);
    }
    await cache.close();
  });

  it('reads the objects a later fetch brought through the same process', async () => {
    const { cache, spawns } = await newCache();
    await cache.fetch(gitUrl('batch'), 'refs/tags/v1', v1);
    expect((await cache.readFile(gitUrl('batch'), v1, '.albs.yml'))?.toString()).toBe('v: 1\n');
    const next = await commit(repo, { '.albs.yml': 'v: 2\n', 'NEW/file': 'new\n' });
    await git(repo, 'tag', 'batch-v2');
    // Before the fetch the process says the commit is missing; after it, it finds it.
    expect((await rejection(cache.commitOf(gitUrl('batch'), next))).message).toMatch(/fetch it first/);
    await cache.fetch(gitUrl('batch'), 'refs/tags/batch-v2', next);
    expect(await cache.commitOf(gitUrl('batch'), next)).toBe(next);
    expect((await cache.readFile(gitUrl('batch'), next, '.albs.yml'))?.toString()).toBe('v: 2\n');
    expect((await cache.readFile(gitUrl('batch'), next, 'NEW/file'))?.toString()).toBe('new\n');
    expect(spawns.map((s) => s.args[0])).toEqual(['init', 'config', 'cat-file', 'fetch', 'fetch']);
    // A bigger fetch, kept as a pack rather than loose objects, is found the same way.
    for (let i = 0; i < 3; i++) {
      await commit(
        repo,
        Object.fromEntries(Array.from({ length: 60 }, (_, n) => [`bulk/${i}/${n}`, `${n}\n`])),
      );
    }
    const last = await git(repo, 'rev-parse', 'HEAD');
    await git(repo, 'tag', 'batch-v3');
    await cache.fetch(gitUrl('batch'), 'refs/tags/batch-v3', last);
    expect((await cache.readFile(gitUrl('batch'), last, 'bulk/2/59'))?.toString()).toBe('59\n');
    expect(batchPids(spawns)).toHaveLength(1);
    await cache.close();
  });

  it('starts a new process once a gc in a fetch removed the packs it had open', async () => {
    const { cache, dir, spawns, lines } = await newCache();
    await cache.fetch(gitUrl('batch'), 'refs/tags/v1', v1);
    const mirror = join(dir, (await mirrors(dir))[0]!);
    // Every fetch makes a pack, and two packs are one too many: gc --auto repacks them into one.
    await git(mirror, 'config', 'fetch.unpackLimit', '1');
    await git(mirror, 'config', 'gc.autoPackLimit', '1');
    await git(mirror, 'repack', '-a', '-d', '-q');
    expect((await cache.readFile(gitUrl('batch'), v1, '.albs.yml'))?.toString()).toBe('v: 1\n');
    const [first] = batchPids(spawns);
    const next = await commit(repo, { '.albs.yml': 'v: gc\n' });
    await git(repo, 'tag', 'batch-gc');
    await cache.fetch(gitUrl('batch'), 'refs/tags/batch-gc', next);
    expect(lines.some((l) => /packs of .* were repacked: restarting its cat-file/.test(l))).toBe(true);
    expect((await cache.readFile(gitUrl('batch'), next, '.albs.yml'))?.toString()).toBe('v: gc\n');
    expect((await cache.readFile(gitUrl('batch'), v1, 'SPECS/batch.spec'))?.toString()).toBe('Name: batch\n');
    // The old process, which held the deleted packs, is gone; one new process reads on.
    expect(running(first)).toBe(false);
    expect(batchPids(spawns)).toHaveLength(2);
    await cache.close();
  });

  it('starts the process again after it was killed', async () => {
    const { cache, spawns } = await newCache();
    await cache.fetch(gitUrl('batch'), 'refs/tags/v1', v1);
    const [first] = batchPids(spawns);
    expect(running(first)).toBe(true);
    // Killed while idle, the next request finds it gone (or writes into its closing pipe) and is
    // asked again of a new process.
    process.kill(first!, 'SIGKILL');
    expect((await cache.readFile(gitUrl('batch'), v1, '.albs.yml'))?.toString()).toBe('v: 1\n');
    const [, second] = batchPids(spawns);
    expect(second).not.toBe(first);
    expect(running(second)).toBe(true);
    // Killed once it is known to be gone.
    process.kill(second!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    expect(await cache.commitOf(gitUrl('batch'), tag)).toBe(v1);
    expect(batchPids(spawns)).toHaveLength(3);
    await cache.close();
    expect(batchPids(spawns).filter(running)).toEqual([]);
  });

  it('ends the process of an evicted mirror, and all of them on close()', async () => {
    const other = await newRepo(served, 'batch-other', { '.albs.yml': 'other\n' });
    const otherSha = await git(other, 'rev-parse', 'HEAD');
    const { cache, dir, spawns } = await newCache(0);
    await cache.fetch(gitUrl('batch'), 'refs/tags/v1', v1);
    const [first] = batchPids(spawns);
    expect(running(first)).toBe(true);
    // No room: fetching another repository evicts the first mirror, and its process goes with it.
    await cache.fetch(gitUrl('batch-other'), 'refs/heads/main', otherSha);
    expect((await mirrors(dir)).map((m) => m.replace(/^.*-/, ''))).toEqual(['other']);
    expect(running(first)).toBe(false);
    const [, second] = batchPids(spawns);
    expect(running(second)).toBe(true);

    // close() waits for the calls running, refuses later ones and leaves no process behind.
    const reading = cache.readFile(gitUrl('batch-other'), otherSha, '.albs.yml');
    await cache.close();
    expect((await reading)?.toString()).toBe('other\n');
    expect(running(second)).toBe(false);
    expect((await catFiles()).filter((pid) => pid === first || pid === second)).toEqual([]);
    const refused = await rejection(cache.readFile(gitUrl('batch-other'), otherSha, '.albs.yml'));
    expect(refused.message).toMatch(/closed/);
    expect(batchPids(spawns)).toHaveLength(2);
    await cache.close();
  });

  it('keeps no Node process alive while idle', async () => {
    const { cache, spawns } = await newCache();
    // Handles keeping the event loop alive: a server that forgets close() still exits.
    const alive = () =>
      process.getActiveResourcesInfo().filter((r) => r === 'ProcessWrap' || r === 'PipeWrap').length;
    const before = alive();
    await cache.fetch(gitUrl('batch'), 'refs/tags/v1', v1);
    expect((await cache.readFile(gitUrl('batch'), v1, '.albs.yml'))?.toString()).toBe('v: 1\n');
    expect(running(batchPids(spawns)[0])).toBe(true);
    expect(alive()).toBe(before);
    await cache.close();
  });

  it('finds what git ls-tree finds, for every kind of entry and path', async () => {
    const shapes = await newRepo(served, 'shapes', {
      'a.txt': 'a\n',
      'dir/b.txt': 'b\n',
      'dir/sub/c.txt': 'c\n',
      'dir/link2': { symlink: 'b.txt' },
      'exec.sh': { exec: '#!/bin/sh\n' },
      link: { symlink: 'dir' },
      empty: '',
      'ünï/cödé.txt': 'unicode\n',
      'with space/x y': 'spaced\n',
      'new\nline': 'newline\n',
      'dir.txt': 'dot\n',
    });
    // A submodule, and a tree entry with the old group-writable mode that git reads as 100644.
    await git(shapes, 'update-index', '--add', '--cacheinfo', `160000,${'c'.repeat(40)},mod`);
    await git(shapes, 'commit', '-q', '-m', 'submodule');
    const blob = await git(shapes, 'rev-parse', 'HEAD:a.txt');
    const inner = await git(shapes, 'rev-parse', 'HEAD:dir');
    const entry = (mode: string, name: string, oid: string) =>
      Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.from(oid, 'hex')]);
    const odd = (
      await execa('git', ['hash-object', '-t', 'tree', '--literally', '-w', '--stdin'], {
        cwd: shapes,
        env: REPO_ENV,
        input: Buffer.concat([
          entry('40000', 'd', inner),
          entry('100664', 'g', blob),
          entry('100775', 'x', blob),
        ]),
      })
    ).stdout.trim();
    const oddCommit = await git(shapes, 'commit-tree', '-p', 'HEAD', '-m', 'odd modes', odd);
    await git(shapes, 'update-ref', 'refs/heads/odd', oddCommit);
    const head = await git(shapes, 'rev-parse', 'HEAD');

    const { cache } = await newCache();
    await cache.fetch(gitUrl('shapes'), 'refs/heads/main', head);
    await cache.fetch(gitUrl('shapes'), 'refs/heads/odd', oddCommit);
    const paths = [
      'a.txt',
      'dir/b.txt',
      'dir/sub/c.txt',
      'dir/link2',
      'exec.sh',
      'link',
      'link/b.txt',
      'empty',
      'ünï/cödé.txt',
      'with space/x y',
      'new\nline',
      'dir.txt',
      'dir',
      'dir/sub',
      'di',
      'DIR/b.txt',
      'a.txt/x',
      'dir/b.txt/more',
      'mod',
      'mod/file',
      'missing',
      'dir/missing/deeper',
      'd',
      'd/b.txt',
      'd/sub/c.txt',
      'g',
      'x',
      '*.txt',
      'dir/*',
    ];
    for (const sha of [head, oddCommit]) {
      for (const path of paths) {
        const listed = (
          await execa('git', ['ls-tree', '-l', '-z', '--full-tree', sha, '--', path], {
            cwd: shapes,
            env: { ...REPO_ENV, GIT_LITERAL_PATHSPECS: '1' },
          })
        ).stdout.split('\0')[0]!;
        const [mode, , object] = listed.slice(0, listed.indexOf('\t')).split(/ +/);
        const expected =
          listed === ''
            ? 'undefined'
            : mode === '120000'
              ? 'symlink'
              : mode === '040000'
                ? 'directory'
                : mode === '160000'
                  ? 'submodule'
                  : `content ${JSON.stringify(
                      (await execa('git', ['cat-file', 'blob', object!], { cwd: shapes, env: REPO_ENV }))
                        .stdout,
                    )}`;
        let got: string;
        try {
          const content = await cache.readFile(gitUrl('shapes'), sha, path);
          got =
            content === undefined ? 'undefined' : `content ${JSON.stringify(content.toString().trimEnd())}`;
        } catch (error) {
          got = /is a (symlink|directory|submodule)/.exec((error as Error).message)?.[1] ?? String(error);
        }
        expect(got, `${path} at ${sha === head ? 'main' : 'odd'}`).toBe(expected);
      }
    }
  });
});

describe('at the end', () => {
  it('leaves no git cat-file running once every cache is closed', async () => {
    await Promise.all(caches.map((cache) => cache.close()));
    expect(await catFiles()).toEqual([]);
  });
});
