import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { Webhooks } from '@octokit/webhooks';
import type { Logger } from 'pino';
import { ulid } from 'ulid';
import type { ForgeName, IgnoredEvent, WebhookEvent } from '../forge/forge.js';
import { insideDir } from '../sources/inside-dir.js';
import type { DeliveryJournal } from './delivery-journal.js';
import type { Intake } from './intake.js';
import type { Metrics } from './metrics.js';
import type { PipelineRecord, PipelineRecords } from './pipeline-records.js';
import { parseSubmission, type Submission } from './submissions.js';

/** A webhook body larger than this is refused (GitHub caps payloads at 25 MB). */
const MAX_BODY_BYTES = 25 * 1024 * 1024;
const JOB_ID = /^[a-z0-9][a-z0-9._-]*$/;
const PIPELINE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export interface WebhookEndpoint {
  /** The webhook secret's verifier: @octokit/webhooks' verify, for Gitea and GitHub alike. */
  webhooks: Webhooks;
  parse: (eventName: string, deliveryId: string, payload: unknown) => WebhookEvent | IgnoredEvent;
}

export interface HttpServerOptions {
  records: PipelineRecords;
  journal: DeliveryJournal;
  intake: Intake;
  endpoints: Partial<Record<ForgeName, WebhookEndpoint>>;
  /** Read tokens: token → NAME; records and logs of private repositories need one. */
  readTokens: ReadonlyMap<string, string>;
  /** Submit tokens: token → NAME, who may POST /api/v1/builds. */
  submitTokens: ReadonlyMap<string, string>;
  /** Starts a submitted pipeline; resolves to its id once its record exists. */
  submit: (submission: Submission, submitter: string) => Promise<string>;
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
  /** The published repositories: served as they are under /repos/. */
  reposDir: string;
  metrics: Metrics;
  log: Logger;
  /** More routes (the runner API of a farm): resolves true when it answered the request. */
  routes?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  /** The pipeline pages (src/server/pages): resolves true when it answered the request. */
  pages?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
}

/** Verifies a webhook secret the way GitHub and Gitea sign: HMAC-SHA256 of the body, `sha256=HEX`. */
export function webhookVerifier(secret: string): Webhooks {
  return new Webhooks({ secret });
}

/**
 * The HTTP side of `albs serve`. A webhook is answered as soon as it is verified and recorded
 * (fsync): 202 for a delivery taken, 200 for one ignored or seen before, 401 for a bad or missing
 * signature (nothing recorded). The work happens after, in the intake.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  return createServer((req, res) => {
    route(options, req, res).catch((error: unknown) => {
      options.log.error({ err: error, url: req.url }, 'request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal error; the server log has the cause' });
      else res.destroy();
    });
  });
}

async function route(options: HttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://albs.invalid');
  const path = url.pathname;
  if (req.method === 'POST' && (path === '/api/gitea/webhooks' || path === '/api/github/webhooks')) {
    return webhook(options, path.includes('gitea') ? 'gitea' : 'github', req, res);
  }
  if (req.method === 'POST' && path === '/api/v1/builds') return builds(options, req, res);
  if (options.routes && (await options.routes(req, res, url))) return;
  if (options.pages && (await options.pages(req, res, url))) return;
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return json(res, 405, { error: `${req.method} is not allowed here` });
  if (path === '/healthz') return json(res, 200, { ok: true });
  if (path === '/metrics') {
    res.writeHead(200, { 'content-type': options.metrics.registry.contentType });
    res.end(await options.metrics.registry.metrics());
    return;
  }
  if (path === '/api/v1/pipelines') return listPipelines(options, req, url, res);
  const one = /^\/api\/v1\/pipelines\/([^/]+)(?:\/jobs\/([^/]+)\/log)?$/.exec(path);
  if (one) return pipelineOrLog(options, req, res, one[1]!, one[2]);
  if (path.startsWith('/repos/')) return staticFile(options.reposDir, path.slice('/repos/'.length), res);
  return json(res, 404, { error: `nothing at ${path}` });
}

async function webhook(
  options: HttpServerOptions,
  forge: ForgeName,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { metrics } = options;
  const endpoint = options.endpoints[forge];
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const event = header('x-gitea-event') ?? header('x-github-event') ?? '';
  const count = (outcome: string) => metrics.deliveries.inc({ forge, event, outcome });
  if (!endpoint) {
    count('not-configured');
    return json(res, 404, { error: `this server has no ${forge} section in its config` });
  }
  const body = await readBody(req);
  if (body === undefined) {
    count('too-large');
    return json(res, 413, { error: `the body is over ${MAX_BODY_BYTES} bytes` });
  }
  // Gitea sends its own bare-hex signature and the GitHub-style one; either is checked, the same way.
  const giteaSignature = header('x-gitea-signature');
  const signature =
    header('x-hub-signature-256') ?? (giteaSignature ? `sha256=${giteaSignature}` : undefined);
  const text = body.toString('utf8');
  if (!signature || !(await verified(endpoint.webhooks, text, signature))) {
    count('bad-signature');
    options.log.warn({ forge, event }, 'webhook refused: bad or missing signature');
    return json(res, 401, { error: 'bad or missing signature: check the webhook secret on both sides' });
  }
  const deliveryId = header('x-gitea-delivery') ?? header('x-github-delivery') ?? '';
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    count('bad-json');
    return json(res, 400, {
      error: 'the body is not JSON: set the webhook content type to application/json',
    });
  }
  const parsed = endpoint.parse(event, deliveryId, payload);
  if ('ignored' in parsed) {
    count('ignored');
    options.log.info({ forge, event, deliveryId, reason: parsed.ignored }, 'delivery ignored');
    return json(res, 200, { ignored: parsed.ignored });
  }
  const entry = { id: ulid(), receivedAt: new Date().toISOString(), event: parsed };
  if (!(await options.journal.record(entry))) {
    count('duplicate');
    options.log.info({ forge, event, deliveryId }, 'delivery seen before: nothing new');
    return json(res, 200, { duplicate: deliveryId });
  }
  count('accepted');
  options.log.info(
    'command' in parsed
      ? { forge, event, deliveryId, repo: parsed.fullName, command: parsed.command, sender: parsed.sender }
      : { forge, event, deliveryId, repo: parsed.fullName, sha: parsed.sha, ref: parsed.trigger.ref },
    'delivery accepted',
  );
  json(res, 202, { accepted: entry.id });
  options.intake.take(entry);
}

/** `POST /api/v1/builds`: a src.rpm, .dsc or git commit from a holder of a submit token. */
async function builds(options: HttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  const submitter = token === undefined ? undefined : options.submitTokens.get(token);
  if (submitter === undefined) {
    json(res, 401, {
      error: 'a submit token is needed: Authorization: Bearer TOKEN, from submit-tokens-file',
    });
    return;
  }
  const body = await readBody(req);
  if (body === undefined) return json(res, 413, { error: `the body is over ${MAX_BODY_BYTES} bytes` });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return json(res, 400, { error: 'the body is not JSON' });
  }
  const submission = parseSubmission(parsed);
  if ('error' in submission) return json(res, 400, { error: submission.error });
  const id = await options.submit(submission, submitter);
  options.log.info({ pipelineId: id, submitter, kind: submission.kind }, 'submission accepted');
  json(res, 201, { id, url: `${options.publicUrl}/api/v1/pipelines/${id}` });
}

/** A malformed signature is a bad one: verify may throw on it, even synchronously. */
async function verified(webhooks: Webhooks, body: string, signature: string): Promise<boolean> {
  try {
    return await webhooks.verify(body, signature);
  } catch {
    return false;
  }
}

export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Whether the request may see `record`: public ones are open, private ones need a read token. */
function mayRead(options: HttpServerOptions, req: IncomingMessage, record: PipelineRecord): boolean {
  if (!record.source.private) return true;
  const auth = req.headers.authorization ?? '';
  const token = /^Bearer (\S+)$/.exec(auth)?.[1];
  return token !== undefined && options.readTokens.has(token);
}

function listPipelines(
  options: HttpServerOptions,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
): void {
  const param = (name: string) => url.searchParams.get(name) ?? undefined;
  const limit = Number(param('limit') ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    json(res, 400, { error: `limit=${param('limit')} is not a whole number from 1 to 1000` });
    return;
  }
  const pipelines = options.records
    .list({ repo: param('repo'), sha: param('sha'), ref: param('ref'), limit: 100_000 })
    .filter((r) => mayRead(options, req, r))
    .slice(0, limit);
  json(res, 200, { pipelines });
}

async function pipelineOrLog(
  options: HttpServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  jobId: string | undefined,
): Promise<void> {
  const record = PIPELINE_ID.test(id) ? options.records.get(id) : undefined;
  // A private record is reported missing, not forbidden: its existence is not for everyone either.
  if (!record || !mayRead(options, req, record)) return json(res, 404, { error: `no pipeline ${id}` });
  if (jobId === undefined) return json(res, 200, record);
  if (!JOB_ID.test(jobId) || !record.jobs.some((j) => j.id === jobId)) {
    return json(res, 404, { error: `pipeline ${id} has no job ${jobId}` });
  }
  const file = join(options.records.pipelineDir(id), 'logs', `${jobId}.log`);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return json(res, 404, { error: `job ${jobId} has no log (yet)` });
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': info.size });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}

const TYPES: Record<string, string> = {
  '.xml': 'application/xml',
  '.repo': 'text/plain; charset=utf-8',
  '.sources': 'text/plain; charset=utf-8',
  '.asc': 'text/plain; charset=utf-8',
  '.gpg': 'application/pgp-keys',
  '.rpm': 'application/x-rpm',
  '.deb': 'application/vnd.debian.binary-package',
  '.gz': 'application/gzip',
  '.xz': 'application/x-xz',
  '.zst': 'application/zstd',
};

/**
 * A file of a published repository. The repo names are symlinks to their current version: the
 * resolved path must stay inside the repositories' directory, so no URL (`..`, encoded slashes, a
 * link) reads anything else.
 */
async function staticFile(reposDir: string, rel: string, res: ServerResponse): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return json(res, 400, { error: 'a bad %-escape in the path' });
  }
  if (decoded.includes('\0') || decoded.split('/').some((p) => p === '..')) {
    return json(res, 404, { error: 'no such file' });
  }
  const root = await realpath(reposDir).catch(() => undefined);
  const real = root ? await realpath(join(root, decoded)).catch(() => undefined) : undefined;
  if (!root || !real || !insideDir(root, real))
    return json(res, 404, { error: `no such file: /repos/${rel}` });
  const info = await stat(real);
  if (!info.isFile()) return json(res, 404, { error: `/repos/${rel} is a directory` });
  res.writeHead(200, {
    'content-type': TYPES[extname(real)] ?? 'application/octet-stream',
    'content-length': info.size,
    // Metadata changes with every publication; packages never change under one name.
    'cache-control': /\/repodata\/|InRelease|Release|Packages/.test(rel) ? 'no-cache' : 'max-age=3600',
  });
  createReadStream(real).pipe(res);
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
