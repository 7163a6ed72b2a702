/**
 * What the server tests share: a package repository served by `git daemon`, a fake Gitea that
 * records the statuses it is sent, a server config with its secrets and keys, and `albs serve`
 * started as the real CLI on a free port.
 */

import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, execaSync, type ResultPromise } from 'execa';
import { ALBS_BIN } from '../helpers/cli.js';
import { freePort } from '../support/free-port.js';
import { httpBackend } from '../support/git-http-backend.js';
import { NAME, OWNER } from '../support/gitea-push.js';

export { freePort } from '../support/free-port.js';
export { httpBackend } from '../support/git-http-backend.js';
export { giteaPush, NAME, OWNER } from '../support/gitea-push.js';

const git = (cwd: string, ...args: string[]) =>
  execaSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', ...args], { cwd }).stdout;

export interface PackageRepo {
  /** The directory git daemon serves from (base path). */
  base: string;
  /** The work tree of OWNER/NAME. */
  work: string;
  /** The bare repository git daemon serves. */
  bare: string;
  commit(files: Record<string, string>, message: string): string;
  /** Tags HEAD and returns the commit; an annotated tag's object id is `tagObject(name)`. */
  tag(name: string, annotated?: boolean): string;
  tagObject(name: string): string;
  push(): void;
}

export const TINY_SPEC = `Name: ${NAME}
Version: 1.0
Release: 1
Summary: A tiny package built by albs serve
License: MIT
BuildArch: noarch
AutoReqProv: no

%description
A tiny package built by albs serve.

%install
mkdir -p %{buildroot}/usr/share/${NAME}
echo ${NAME} > %{buildroot}/usr/share/${NAME}/${NAME}.txt

%files
/usr/share/${NAME}/${NAME}.txt
`;

export function packageRepo(albsYml: string): PackageRepo {
  const base = mkdtempSync(join(tmpdir(), 'albs-serve-git-'));
  const work = join(base, 'work');
  const bare = join(base, OWNER, `${NAME}.git`);
  mkdirSync(work);
  mkdirSync(join(base, OWNER));
  git(base, 'init', '-q', '--bare', bare);
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'remote', 'add', 'origin', bare);
  const repo: PackageRepo = {
    base,
    work,
    bare,
    commit(files, message) {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text);
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '-m', message);
      return git(work, 'rev-parse', 'HEAD');
    },
    tag(name, annotated = false) {
      git(work, 'tag', ...(annotated ? ['-a', '-m', `release ${name}`] : []), name);
      return git(work, 'rev-parse', `${name}^{commit}`);
    },
    tagObject(name) {
      return git(work, 'rev-parse', name);
    },
    push() {
      git(work, 'push', '-q', '--tags', 'origin', 'main');
    },
  };
  repo.commit({ [`${NAME}.spec`]: TINY_SPEC, '.albs.yml': albsYml }, 'first');
  repo.push();
  return repo;
}

export interface PostedStatus {
  sha: string;
  context: string;
  state: string;
  description: string;
  target_url: string;
  authorization: string | undefined;
}

/** A comment albs posted on a pull request (POST /api/v1/repos/O/R/issues/N/comments). */
export interface PostedComment {
  repo: string;
  number: number;
  body: string;
}

/**
 * A Gitea that records the commit statuses it is sent (POST /api/v1/repos/O/R/statuses/SHA) and
 * the pull request comments, answers GET …/collaborators/USER/permission from `permissions` (a
 * user not in it is unknown: 404), and serves the repositories under `gitRoot` over git's smart
 * HTTP (`git http-backend`, as Gitea's clone URLs are http(s)).
 */
export async function fakeGitea(
  gitRoot?: string,
  permissions: Record<string, string> = {},
): Promise<{
  url: string;
  statuses: PostedStatus[];
  comments: PostedComment[];
  /** Every permission question, as USER. */
  permissionAsks: string[];
  server: Server;
  gitAuth: (string | undefined)[];
}> {
  const comments: PostedComment[] = [];
  const permissionAsks: string[] = [];
  const statuses: PostedStatus[] = [];
  const gitAuth: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gitea.invalid');
    if (gitRoot && /^\/[^/]+\/[^/]+\.git\//.test(url.pathname)) {
      gitAuth.push(req.headers.authorization);
      httpBackend(gitRoot, url, req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const asked = /^\/api\/v1\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/.exec(
        url.pathname,
      );
      if (req.method === 'GET' && asked) {
        const user = decodeURIComponent(asked[3]!);
        permissionAsks.push(user);
        const permission = permissions[user];
        if (permission === undefined) res.writeHead(404).end('{"message":"user does not exist"}');
        else
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ permission, role_name: permission, user: { id: 1, login: user } }));
        return;
      }
      const commented = /^\/api\/v1\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
      if (req.method === 'POST' && commented) {
        const { body } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { body: string };
        comments.push({ repo: `${commented[1]}/${commented[2]}`, number: Number(commented[3]), body });
        res
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: comments.length, body }));
        return;
      }
      const match = /^\/api\/v1\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]+)$/.exec(url.pathname);
      if (req.method !== 'POST' || !match) {
        res.writeHead(404).end('{}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      statuses.push({ sha: match[3]!, ...body, authorization: req.headers.authorization });
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: statuses.length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    statuses,
    comments,
    permissionAsks,
    server,
    gitAuth,
  };
}

/** The latest state of each context for `sha`. */
export function latestStatuses(statuses: PostedStatus[], sha: string): Record<string, PostedStatus> {
  const latest: Record<string, PostedStatus> = {};
  for (const s of statuses) if (s.sha === sha) latest[s.context] = s;
  return latest;
}

export const WEBHOOK_SECRET = 'gitea-webhook-secret';
export const GITEA_TOKEN = 'gitea-token-abc123';

export interface Farm {
  dir: string;
  /** The release key's directory (keys-dir, or the signer's --keys-dir in a farm). */
  keysDir: string;
  /** In a farm: each runner's and the signer's token file, by name. */
  tokenFiles: Record<string, string>;
  configFile: string;
  dataDir: string;
  port: number;
  publicUrl: string;
}

/**
 * A data dir, secrets (mode 0600), a release key made by `albs keygen`, and the config file. With
 * `redis`, a farm's config: no keys-dir and no runner section, a runner-tokens-file naming
 * `workers` (NAME → ROLE) instead.
 */
export async function farmConfig(
  giteaUrl: string,
  extra = '',
  options: { redis?: string; workers?: Record<string, 'runner' | 'signer'> } = {},
): Promise<Farm> {
  const dir = mkdtempSync(join(tmpdir(), 'albs-serve-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const secret = (name: string, text: string) => {
    writeFileSync(join(dir, name), `${text}\n`, { mode: 0o600 });
    return join(dir, name);
  };
  const keys = join(dir, 'keys');
  execaSync(process.execPath, [
    ALBS_BIN,
    'keygen',
    '--name',
    'Release',
    '--email',
    'release@example.org',
    '--type',
    'ed25519',
    '--out',
    join(dir, 'keygen'),
  ]);
  mkdirSync(keys, { mode: 0o700 });
  execaSync('cp', [join(dir, 'keygen', 'signing-key.asc'), join(keys, 'release.asc')]);
  const configFile = join(dir, 'server.yml');
  const tokenFiles: Record<string, string> = {};
  const lines: string[] = [];
  for (const [name, role] of Object.entries(options.workers ?? {})) {
    const token = `${name}-token-${randomBytes(12).toString('hex')}`;
    lines.push(`${name} ${token} ${role}`);
    tokenFiles[name] = secret(`${name}.token`, token);
  }
  const where = options.redis
    ? `redis: ${options.redis}\nrunner-tokens-file: ${secret('runner-tokens', lines.join('\n'))}`
    : `keys-dir: ${keys}`;
  writeFileSync(
    configFile,
    `listen: 127.0.0.1:${port}
public-url: ${publicUrl}
data-dir: ${join(dir, 'data')}
${where}
gitea:
  url: ${giteaUrl}
  token-file: ${secret('gitea.token', GITEA_TOKEN)}
  webhook-secret-file: ${secret('gitea.secret', WEBHOOK_SECRET)}
allow:
  - repos: ["${OWNER}/*"]
    keys: [release]
    publish: ["*"]
${options.redis ? '' : 'runner: {concurrency: 2}'}
${extra}`,
  );
  return { dir, keysDir: keys, tokenFiles, configFile, dataDir: join(dir, 'data'), port, publicUrl };
}

/** `albs serve --config FILE`, the built CLI, as a child; resolves once /healthz answers. */
export type Serve = ResultPromise<{ reject: false; all: true; buffer: true }>;

/** Wrapped: an async function returning the subprocess (a thenable) would resolve to its result. */
export async function startServe(farm: Farm): Promise<{ child: Serve }> {
  const child = execa(process.execPath, [ALBS_BIN, 'serve', '--config', farm.configFile], {
    reject: false,
    all: true,
    buffer: true,
  });
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`${farm.publicUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  const result = await child;
  throw new Error(`albs serve did not come up: ${result.all}`);
}

/** POSTs a webhook signed as Gitea signs (X-Gitea-Signature, bare hex, and X-Hub-Signature-256). */
export async function sendGitea(
  url: string,
  event: string,
  payload: unknown,
  delivery: string,
  secret = WEBHOOK_SECRET,
): Promise<Response> {
  const body = JSON.stringify(payload);
  const hex = createHmac('sha256', secret).update(body).digest('hex');
  return fetch(`${url}/api/gitea/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-gitea-event': event,
      'x-gitea-delivery': delivery,
      'x-gitea-signature': hex,
      'x-github-event': event,
      'x-github-delivery': delivery,
      'x-hub-signature-256': `sha256=${hex}`,
    },
    body,
  });
}

/** Waits until `check` returns a value, polling; throws with `what` after `ms`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  ms = 120_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `albs runner` or `albs signer` (the built CLI) as a child, against `server`, with Redis from REDIS_URL. */
export type FarmWorker = ResultPromise<{
  reject: false;
  all: true;
  buffer: true;
  forceKillAfterDelay: false;
}>;

export function startWorker(farm: Farm, redis: string, args: string[], server = farm.publicUrl): FarmWorker {
  return execa(process.execPath, [ALBS_BIN, ...args, '--server', server], {
    reject: false,
    all: true,
    buffer: true,
    env: { REDIS_URL: redis },
    cwd: farm.dir,
    // A runner told SIGTERM drains (its build finishes): no SIGKILL after execa's default 5 s.
    forceKillAfterDelay: false,
  });
}

/** A runner NAME with its own work dir, or the signer when NAME is `signer`. */
export function startFarmWorker(
  farm: Farm,
  redis: string,
  name: string,
  server = farm.publicUrl,
): FarmWorker {
  const token = farm.tokenFiles[name];
  if (token === undefined) throw new Error(`no token for ${name} in the farm config`);
  return name.startsWith('signer')
    ? startWorker(
        farm,
        redis,
        ['signer', '--name', name, '--keys-dir', farm.keysDir, '--token-file', token],
        server,
      )
    : startWorker(
        farm,
        redis,
        ['runner', '--name', name, '--token-file', token, '--work-dir', join(farm.dir, `work-${name}`)],
        server,
      );
}

/** The farm's connected runners and signers, as GET /api/v1/runners lists them. */
export async function connectedRunners(
  url: string,
): Promise<{ name: string; role: string; running: unknown[] }[]> {
  const res = await fetch(`${url}/api/v1/runners`);
  return ((await res.json()) as { runners: { name: string; role: string; running: unknown[] }[] }).runners;
}
