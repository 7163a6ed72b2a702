import { type ChildProcess, spawn } from 'node:child_process';
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
import { createConnection, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dirSize } from '../../src/sources/dir-size.js';
import { GitCache, GitCacheError, GitCacheInputError } from '../../src/sources/git-cache.js';
import { refFormatProblem } from '../../src/sources/git-cache-input.js';

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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** `git daemon` serving every repository below `root` as git://127.0.0.1:PORT/NAME. */
async function startDaemon(root: string): Promise<{ port: number; stop: () => void }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const daemon: ChildProcess = spawn(
      'git',
      [
        'daemon',
        '--reuseaddr',
        '--export-all',
        '--informative-errors',
        `--base-path=${root}`,
        '--listen=127.0.0.1',
        `--port=${port}`,
      ],
      { stdio: 'ignore', env: { ...process.env, ...REPO_ENV } },
    );
    for (let i = 0; i < 100 && daemon.exitCode === null; i++) {
      if (await answers(port)) return { port, stop: () => daemon.kill('SIGTERM') };
      await new Promise((r) => setTimeout(r, 50));
    }
    daemon.kill('SIGTERM');
  }
  throw new Error(`git daemon did not start for ${root}`);
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
  daemon = await startDaemon(served);
  http = await startHttpGit(served, new Set([`token ${TOKEN}`, BASIC]));
});

afterAll(async () => {
  daemon?.stop();
  await http?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A fresh cache dir for one test, with its log lines kept. */
async function newCache(maxBytes = 1024 ** 3): Promise<{ cache: GitCache; dir: string; lines: string[] }> {
  const dir = await mkdtemp(join(work, 'cache-'));
  const lines: string[] = [];
  return { cache: new GitCache({ dir, maxBytes, log: (line) => lines.push(line) }), dir, lines };
}

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
    await small.evict();
    expect((await mirrors(dir)).map(repoOf).sort()).toEqual(['lru-1', 'lru-3']);
    expect(lines.join('\n')).toMatch(/evicted .*lru-2 .*least recently used/);
    expect((await rejection(small.readFile(gitUrl('lru-2'), shas['lru-2']!, '.albs.yml'))).message).toMatch(
      /fetch it first/,
    );

    // With no room at all, a fetch still keeps the mirror it fetched into (in use while it evicts).
    const none = new GitCache({ dir, maxBytes: 0, log: (l) => lines.push(l) });
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
