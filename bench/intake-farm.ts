import { createHmac } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { Agent, createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { execa } from 'execa';
import { httpBackend } from '../test/support/git-http-backend.js';
import { NAME, OWNER } from '../test/support/gitea-push.js';

export { freePort } from '../test/support/free-port.js';
export { giteaPush, NAME, OWNER } from '../test/support/gitea-push.js';

/** The marker the holding job prints before it sleeps: from then on it uses no CPU. */
export const HOLDING = 'albs-bench-holding';

/**
 * A noarch package whose build, if it ever runs, prints HOLDING and sleeps: the runner's one slot
 * stays taken and every later job stays queued. Its src.rpm needs no %build, so making it is quick.
 */
const SPEC = `Name: ${NAME}
Version: 1.0
Release: 1
Summary: A package whose build holds the runner
License: MIT
BuildArch: noarch
AutoReqProv: no

%description
A package whose build holds the runner.

%build
echo ${HOLDING}
sleep 600

%files
`;

/** The build jobs of every pipeline: one per matrix value, none needing another, so all are queued at once. */
export const DISTS = ['el8', 'el9', 'el10', 'el11'] as const;

const ALBS_YML = `version: 1
on:
  tags: ["v*"]
  branches: [main]
matrix:
  dist: [${DISTS.join(', ')}]
build:
  macros: {dist: ".\${{ matrix.dist }}"}
`;

/** The commit statuses each pipeline posts: one per build job, then the summary. */
export const CONTEXTS = [...DISTS.map((d) => `albs/build (${d})`), 'albs'];

export interface PackageRepo {
  /** The directory the fake Gitea serves repositories from. */
  root: string;
  /** refs/heads/main: the newest commit, whose history holds every tagged one. */
  main: string;
  /** The tagged commits in order, tag name and sha. */
  tags: { tag: string; sha: string }[];
}

/**
 * OWNER/NAME as a bare repository with a line of commits, each changing one file, the i-th tagged
 * `tagNames[i]`, and one more on main after them: a fetch of main brings every tagged commit into
 * the git cache, so a delivery of a tag finds its commit there.
 */
export async function packageRepo(root: string, tagNames: string[]): Promise<PackageRepo> {
  const bare = join(root, OWNER, `${NAME}.git`);
  await mkdir(bare, { recursive: true });
  const env = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: root };
  await execa('git', ['init', '-q', '--bare', '-b', 'main', bare], { env });
  const parts: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  parts.push(`blob\nmark :1\n${data(SPEC)}`, `blob\nmark :2\n${data(ALBS_YML)}`);
  const commits = tagNames.length + 1;
  for (let i = 0; i < commits; i++) {
    const mark = 10 + i;
    parts.push(
      `commit refs/heads/main\nmark :${mark}\ncommitter Bench <bench@example.org> ${1_700_000_000 + i} +0000\n` +
        data(`commit ${i}`) +
        (i === 0 ? 'M 100644 :1 tiny.spec\nM 100644 :2 .albs.yml\n' : `from :${mark - 1}\n`) +
        `M 100644 inline serial\n${data(String(i))}\n`,
    );
  }
  tagNames.forEach((tag, i) => {
    parts.push(`reset refs/tags/${tag}\nfrom :${10 + i}\n\n`);
  });
  const marks = join(root, 'marks');
  await execa('git', ['fast-import', '--quiet', `--export-marks=${marks}`], {
    input: parts.join(''),
    env: { ...env, GIT_DIR: bare },
  });
  const shas = new Map<number, string>();
  for (const line of (await readFile(marks, 'utf8')).trim().split('\n')) {
    const [mark, sha] = line.split(' ');
    shas.set(Number(mark!.slice(1)), sha!);
  }
  return {
    root,
    main: shas.get(10 + commits - 1)!,
    tags: tagNames.map((tag, i) => ({ tag, sha: shas.get(10 + i)! })),
  };
}

/** When the first pending status of a commit arrived, per context. */
type Arrivals = Map<string, number>;

export interface FakeGitea {
  url: string;
  server: Server;
  /** Statuses received, all of them. */
  posts: number;
  /**
   * Resolves with the arrival time (performance.now()) of the status that completes `sha`: a
   * pending status for every context of CONTEXTS, whatever its description.
   */
  whenPending(sha: string): Promise<number>;
}

/**
 * A Gitea that notes commit statuses (POST /api/v1/repos/O/R/statuses/SHA) as they arrive and
 * serves the repositories under `root` over git's smart HTTP (`git http-backend`).
 */
export async function fakeGitea(root: string): Promise<FakeGitea> {
  const arrivals = new Map<string, Arrivals>();
  const waiters = new Map<string, (at: number) => void>();
  const settled = new Map<string, number>();
  const check = (sha: string, at: number) => {
    const seen = arrivals.get(sha);
    if (!seen || settled.has(sha) || !CONTEXTS.every((c) => seen.has(c))) return;
    settled.set(sha, at);
    waiters.get(sha)?.(at);
    waiters.delete(sha);
  };
  const gitea: FakeGitea = {
    url: '',
    server: createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://gitea.invalid');
      if (/^\/[^/]+\/[^/]+\.git\//.test(url.pathname)) {
        httpBackend(root, url, req, res);
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = performance.now();
        const match = /^\/api\/v1\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]+)$/.exec(url.pathname);
        if (req.method !== 'POST' || !match) {
          res.writeHead(404).end('{}');
          return;
        }
        gitea.posts++;
        const sha = match[3]!;
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          context: string;
          state: string;
        };
        if (body.state === 'pending') {
          const seen = arrivals.get(sha) ?? new Map<string, number>();
          arrivals.set(sha, seen);
          if (!seen.has(body.context)) seen.set(body.context, at);
          check(sha, at);
        }
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: gitea.posts }));
      });
    }),
    posts: 0,
    whenPending(sha) {
      const done = settled.get(sha);
      if (done !== undefined) return Promise.resolve(done);
      return new Promise((resolve) => waiters.set(sha, resolve));
    },
  };
  await new Promise<void>((resolve) => gitea.server.listen(0, '127.0.0.1', resolve));
  gitea.url = `http://127.0.0.1:${(gitea.server.address() as { port: number }).port}`;
  return gitea;
}

/** A delivery ready to send: the body and its headers, signed before any timing starts. */
export interface Delivery {
  id: string;
  body: Buffer;
  headers: Record<string, string>;
}

/** Signed as Gitea signs (X-Gitea-Signature, bare hex, beside X-Hub-Signature-256) or as GitHub does. */
export function signedDelivery(
  as: 'gitea' | 'github',
  event: string,
  payload: unknown,
  id: string,
  secret: string,
): Delivery {
  const body = Buffer.from(JSON.stringify(payload));
  const hex = createHmac('sha256', secret).update(body).digest('hex');
  const github = {
    'x-github-event': event,
    'x-github-delivery': id,
    'x-hub-signature-256': `sha256=${hex}`,
  };
  const gitea = { 'x-gitea-event': event, 'x-gitea-delivery': id, 'x-gitea-signature': hex };
  return {
    id,
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(body.length),
      ...(as === 'gitea' ? gitea : {}),
      ...github,
    },
  };
}

export interface Answer {
  status: number;
  body: string;
  /** performance.now() when the request was handed to the socket layer, and when the answer ended. */
  sentAt: number;
  answeredAt: number;
  /** How late the request left against its slot in the schedule: the sender's own delay. */
  lateMs: number;
}

/**
 * Sends `deliveries` to `url` open loop at `rate` per second: each leaves at its slot whether or not
 * earlier ones were answered, as a forge sends, over keep-alive connections.
 */
export async function sendAtRate(url: string, deliveries: Delivery[], rate: number): Promise<Answer[]> {
  const agent = new Agent({ keepAlive: true });
  const target = new URL(url);
  const interval = 1000 / rate;
  const start = performance.now() + 5;
  const answers: Promise<Answer>[] = [];
  try {
    for (let i = 0; i < deliveries.length; i++) {
      const slot = start + i * interval;
      const wait = slot - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait - 1));
      while (performance.now() < slot) {
        // Spin the last millisecond: timers fire up to ~1 ms late.
      }
      answers.push(send(agent, target, deliveries[i]!, slot));
    }
    return await Promise.all(answers);
  } finally {
    agent.destroy();
  }
}

function send(agent: Agent, url: URL, delivery: Delivery, slot: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sentAt = performance.now();
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: delivery.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            sentAt,
            answeredAt: performance.now(),
            lateMs: sentAt - slot,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(delivery.body);
  });
}
