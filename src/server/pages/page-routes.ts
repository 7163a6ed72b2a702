/**
 * The pipeline pages of `albs serve`: /pipelines, /pipelines/ID, /pipelines/ID/jobs/JOB, their
 * event streams (…/events: the record's changes, and a job's log as it grows), a job's artifacts,
 * the style sheet and script under /assets/, and /sign-in. A private repository's pages are never
 * rendered for a visitor who may not read it: they redirect to /sign-in.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { CommandName } from '../../forge/forge.js';
import { insideDir } from '../../sources/inside-dir.js';
import { readBody } from '../http-server.js';
import type { JobRecord, PipelineRecord, PipelineRecords } from '../pipeline-records.js';
import { AnsiRenderer } from './ansi.js';
import { CSS, SCRIPT } from './assets.js';
import { CONTENT_SECURITY_POLICY, sendPage } from './layout.js';
import type { SignIn } from './sign-in.js';
import {
  type ArtifactView,
  finished,
  jobPage,
  type LogView,
  listPage,
  liveRecord,
  notFoundPage,
  pipelinePage,
  signInPage,
} from './views.js';

const JOB_ID = /^[a-z0-9][a-z0-9._-]*$/;
const PIPELINE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** How much of a log one page shows: the end of it, with a link to what came before. */
export const LOG_PAGE_BYTES = 64 * 1024;
/** How many pipelines /pipelines shows: the newest that match its filter (it says when there are more). */
export const LIST_PAGE = 200;
/** How many artifacts' sha256 sums are remembered (by path, size and mtime), so a page is not hashed twice. */
const HASHES_KEPT = 2000;
/** How often a followed log file is looked at for more. */
const TAIL_INTERVAL_MS = 250;
/** A comment on an idle event stream, so that proxies keep it open. */
const HEARTBEAT_MS = 15_000;

export interface PageRoutesOptions {
  records: PipelineRecords;
  /** Read tokens (token → NAME): a private repository's pages answer a request that carries one. */
  readTokens: ReadonlyMap<string, string>;
  /** Sign-in with the forges (oauth: in the config), when configured. */
  signIn?: SignIn;
  /** The clock, for the duration of a running pipeline. */
  now?: () => number;
  /** The comment commands, for the pipeline page's buttons (signed-in users with write access). */
  commands?: PageCommands;
}

/** What the pipeline page's buttons reach: the comment commands' checks and effects. */
export interface PageCommands {
  mayCommand(record: PipelineRecord, login: string): Promise<boolean>;
  fromPage(
    record: PipelineRecord,
    command: CommandName,
    login: string,
  ): Promise<{ message: string; pipelineId?: string }>;
}

const COMMANDS: readonly CommandName[] = ['rebuild', 'retry-failed', 'cancel'];

export interface Routes {
  /** Resolves true when it answered the request. */
  (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Ends every event stream still open: a server closing waits for its open responses. */
  close(): void;
}

/** The page routes. */
export function pageRoutes(options: PageRoutesOptions): Routes {
  const hashes = new Map<string, string>();
  const streams = new Set<ServerResponse>();
  const routes = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const command = /^\/pipelines\/([^/]+)\/commands$/.exec(url.pathname);
    if (req.method === 'POST' && command) {
      await commandRoute(options, req, res, command[1]!);
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const head = req.method === 'HEAD';
    const path = url.pathname;
    if (path === '/') {
      res.writeHead(302, { location: '/pipelines' });
      res.end();
      return true;
    }
    if (path === '/assets/albs.css') return asset(res, 'text/css; charset=utf-8', CSS, head);
    if (path === '/assets/pipeline.js') return asset(res, 'text/javascript; charset=utf-8', SCRIPT, head);
    if (path === '/sign-in' || path.startsWith('/sign-in/') || path === '/sign-out') {
      await signInRoute(options, req, res, url, head);
      return true;
    }
    if (path === '/pipelines' || path === '/pipelines/') {
      await listRoute(options, req, res, url, head);
      return true;
    }
    const match =
      /^\/pipelines\/([^/]+)(?:\/(events)|\/jobs\/([^/]+)(?:\/(events)|\/artifacts\/([^/]+))?)?\/?$/.exec(
        path,
      );
    if (!match) return false;
    const [, id, pipelineEvents, jobId, jobEvents, artifact] = match;
    const record = PIPELINE_ID.test(id!) ? await options.records.fetch(id!) : undefined;
    if (!record) {
      sendPage(res, 404, notFoundPage(`No pipeline ${id}.`), head);
      return true;
    }
    if (!(await mayRead(options, req, record))) {
      // Signed in, and the forge says no: the pipeline is not there for this user.
      if (options.signIn?.session(req)) {
        sendPage(res, 404, notFoundPage(`No pipeline ${id}.`), head);
        return true;
      }
      // Never the record: the sign-in page says how to sign in, or that sign-in is not configured.
      res.writeHead(302, {
        location: `/sign-in?next=${encodeURIComponent(path)}`,
        'cache-control': 'no-store',
      });
      res.end();
      return true;
    }
    if (jobId === undefined) {
      if (pipelineEvents) recordEvents(options, streams, res, record);
      else {
        const session = options.signIn?.session(req);
        const mayCommand =
          session !== undefined &&
          session.forge === record.source.forge &&
          options.commands !== undefined &&
          (await options.commands.mayCommand(record, session.login));
        sendPage(
          res,
          200,
          pipelinePage(record, (options.now ?? Date.now)(), {
            said: url.searchParams.get('said'),
            commandsAs: mayCommand ? session.login : undefined,
          }),
          head,
        );
      }
      return true;
    }
    const job = JOB_ID.test(jobId) ? record.jobs.find((j) => j.id === jobId) : undefined;
    if (!job) {
      sendPage(res, 404, notFoundPage(`Pipeline ${id} has no job ${jobId}.`), head);
      return true;
    }
    if (jobEvents) await jobEventsRoute(options, streams, res, url, record, job);
    else if (artifact !== undefined) await artifactRoute(options, res, record, job, artifact, head);
    else await jobRoute(options, res, url, record, job, hashes, head);
    return true;
  };
  return Object.assign(routes, {
    close: () => {
      for (const res of streams) res.end();
      streams.clear();
    },
  });
}

function asset(res: ServerResponse, type: string, text: string, head: boolean): true {
  res.writeHead(200, {
    'content-type': type,
    'content-length': Buffer.byteLength(text),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  res.end(head ? undefined : text);
  return true;
}

/** A path on this server only: never a redirect elsewhere. */
function safeNext(next: string | null): string {
  return next !== null && /^\/[^/\\]/.test(next) ? next : '/pipelines';
}

/**
 * Public repositories are open; a private one's pages need a read token, or a user signed in with
 * the repository's forge who may read it there.
 */
async function mayRead(
  options: PageRoutesOptions,
  req: IncomingMessage,
  record: PipelineRecord,
): Promise<boolean> {
  if (!record.source.private) return true;
  const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (token !== undefined && options.readTokens.has(token)) return true;
  return options.signIn ? options.signIn.mayRead(options.signIn.session(req), record) : false;
}

async function signInRoute(
  options: PageRoutesOptions,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  head: boolean,
): Promise<void> {
  const signIn = options.signIn;
  const next = safeNext(url.searchParams.get('next'));
  const forges = signIn?.providers.map((p) => p.forge) ?? [];
  if (url.pathname === '/sign-out') {
    if (signIn) signIn.signOut(res);
    else sendPage(res, 404, notFoundPage('Sign-in is not configured on this server.'), head);
    return;
  }
  const step = /^\/sign-in\/([a-z]+)(\/callback)?$/.exec(url.pathname);
  const provider = step ? signIn?.provider(step[1]!) : undefined;
  if (url.pathname !== '/sign-in' && (!signIn || !provider)) {
    sendPage(res, 404, notFoundPage(`No sign-in at ${url.pathname}.`), head);
    return;
  }
  if (signIn && provider && !step![2]) return signIn.start(res, provider, next);
  if (signIn && provider) {
    try {
      return await signIn.finish(req, res, provider, url);
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      sendPage(res, 400, signInPage(next, forges, undefined, problem), head);
      return;
    }
  }
  sendPage(res, 200, signInPage(next, forges, signIn?.session(req)), head);
}

async function listRoute(
  options: PageRoutesOptions,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  head: boolean,
): Promise<void> {
  const param = (name: string) => (url.searchParams.get(name) ?? '').trim();
  const filter = { repo: param('repo'), ref: param('ref'), state: param('state') };
  const all = options.records.list({ limit: Number.MAX_SAFE_INTEGER });
  // The forge is asked once per private repository (and its answer kept a minute), not per pipeline.
  const allowed = new Map<string, boolean>();
  for (const r of all) {
    const key = `${r.source.forge}\n${r.source.repository}`;
    if (!r.source.private || allowed.has(key)) continue;
    allowed.set(key, await mayRead(options, req, r));
  }
  const readable = all.filter(
    (r) => !r.source.private || allowed.get(`${r.source.forge}\n${r.source.repository}`) === true,
  );
  const repos = [...new Set(readable.map((r) => r.source.repository))].sort();
  const ref = filter.ref.replace(/^refs\/(heads|tags)\//, '');
  const shown = readable
    .filter((r) => !filter.repo || r.source.repository === filter.repo)
    .filter(
      (r) =>
        !ref ||
        r.trigger.ref === ref ||
        r.source.ref === filter.ref ||
        r.source.ref.replace(/^refs\/(heads|tags)\//, '') === ref,
    )
    .filter((r) => !filter.state || r.result === filter.state);
  const page = listPage(shown.slice(0, LIST_PAGE), filter, repos, (options.now ?? Date.now)(), shown.length);
  sendPage(res, 200, page, head);
}

/** Starts an event stream; its end (the client gone, the job over, the server closing) calls `res`'s 'close'. */
function startEvents(
  streams: Set<ServerResponse>,
  res: ServerResponse,
): (event: string, data: unknown) => void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    // nginx would otherwise hold the stream back in its buffer.
    'x-accel-buffering': 'no',
  });
  res.write(': albs\n\n');
  const heartbeat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
  streams.add(res);
  res.on('close', () => {
    clearInterval(heartbeat);
    streams.delete(res);
  });
  return (event, data) => {
    if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
}

/** The record's changes, as liveRecord, until the pipeline ends. */
function recordEvents(
  options: PageRoutesOptions,
  streams: Set<ServerResponse>,
  res: ServerResponse,
  record: PipelineRecord,
): void {
  const send = startEvents(streams, res);
  const update = (latest: PipelineRecord) => {
    send('record', liveRecord(latest, (options.now ?? Date.now)()));
    if (finished(latest)) {
      send('end', {});
      stop();
      res.end();
    }
  };
  const stop = options.records.listen((changed) => {
    if (changed.id === record.id) update(changed);
  });
  res.on('close', stop);
  update(options.records.get(record.id) ?? record);
}

function logFile(options: PageRoutesOptions, record: PipelineRecord, job: JobRecord): string {
  return join(options.records.pipelineDir(record.id), 'logs', `${job.id}.log`);
}

async function readRange(file: string, from: number, to: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.max(0, to - from));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The end of the log (or the page from `from`), rendered. */
async function logView(file: string, fromParam: string | null): Promise<LogView | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const size = info.size;
  let from: number;
  let to: number;
  if (fromParam !== null && /^\d+$/.test(fromParam)) {
    from = Math.min(Number(fromParam), size);
    to = Math.min(size, from + LOG_PAGE_BYTES);
  } else {
    from = Math.max(0, size - LOG_PAGE_BYTES);
    to = size;
  }
  let bytes = await readRange(file, from, to);
  if (fromParam === null && from > 0) {
    // The tail starts at a whole line.
    const newline = bytes.indexOf(10);
    if (newline !== -1) {
      bytes = bytes.subarray(newline + 1);
      from += newline + 1;
    }
  }
  return {
    html: new AnsiRenderer().render(bytes.toString('utf8')),
    from,
    to,
    size,
    pageBytes: LOG_PAGE_BYTES,
  };
}

async function artifactViews(
  options: PageRoutesOptions,
  record: PipelineRecord,
  job: JobRecord,
  hashes: Map<string, string>,
): Promise<ArtifactView[]> {
  const views: ArtifactView[] = [];
  for (const rel of job.artifacts) {
    const file = join(options.records.pipelineDir(record.id), rel);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) continue;
    const key = `${file}\n${info.size}\n${info.mtimeMs}`;
    let sha256 = hashes.get(key);
    if (sha256 === undefined) {
      sha256 = await new Promise<string>((resolve, reject) => {
        const hash = createHash('sha256');
        createReadStream(file)
          .on('data', (chunk) => hash.update(chunk))
          .on('end', () => resolve(hash.digest('hex')))
          .on('error', reject);
      });
      hashes.set(key, sha256);
      // The oldest go first: a Map iterates in insertion order.
      if (hashes.size > HASHES_KEPT) hashes.delete(hashes.keys().next().value!);
    }
    views.push({ name: basename(rel), size: info.size, sha256 });
  }
  return views;
}

async function jobRoute(
  options: PageRoutesOptions,
  res: ServerResponse,
  url: URL,
  record: PipelineRecord,
  job: JobRecord,
  hashes: Map<string, string>,
  head: boolean,
): Promise<void> {
  const from = url.searchParams.get('from');
  const log = await logView(logFile(options, record, job), from);
  const tail = from === null || (log !== undefined && log.to >= log.size);
  const artifacts = await artifactViews(options, record, job, hashes);
  sendPage(res, 200, jobPage(record, job, log, artifacts, tail), head);
}

/**
 * The record's changes and the log's new bytes from `offset` (rendered), until the job has ended
 * and its log has been read to the end.
 */
async function jobEventsRoute(
  options: PageRoutesOptions,
  streams: Set<ServerResponse>,
  res: ServerResponse,
  url: URL,
  record: PipelineRecord,
  job: JobRecord,
): Promise<void> {
  const send = startEvents(streams, res);
  const file = logFile(options, record, job);
  const offsetParam = url.searchParams.get('offset') ?? '';
  let offset = /^\d+$/.test(offsetParam) ? Number(offsetParam) : 0;
  let decoder = new StringDecoder('utf8');
  let renderer = new AnsiRenderer();
  let closed = false;
  let reading = false;
  const jobEnded = () => {
    const latest = options.records.get(record.id) ?? record;
    const state = latest.jobs.find((j) => j.id === job.id)?.state;
    return finished(latest) || (state !== undefined && !['pending', 'queued', 'running'].includes(state));
  };
  const stop = options.records.listen((changed) => {
    if (changed.id === record.id) send('record', liveRecord(changed, (options.now ?? Date.now)()));
  });
  const tail = async () => {
    if (reading || closed) return;
    reading = true;
    try {
      // Looked at before reading: a job that had ended has written its whole log.
      const ended = jobEnded();
      const info = await stat(file).catch(() => undefined);
      if (info?.isFile()) {
        if (info.size < offset) {
          // A new attempt's log (a farm's JOB.log links to the latest): start again.
          offset = 0;
          decoder = new StringDecoder('utf8');
          renderer = new AnsiRenderer();
          send('log', '\n— a new attempt —\n');
        }
        while (offset < info.size && !closed) {
          const bytes = await readRange(file, offset, Math.min(info.size, offset + LOG_PAGE_BYTES));
          if (bytes.length === 0) break;
          offset += bytes.length;
          const rendered = renderer.render(decoder.write(bytes));
          if (rendered) send('log', rendered);
        }
      }
      if (ended && !closed) {
        send('end', {});
        finish();
      }
    } finally {
      reading = false;
    }
  };
  const timer = setInterval(() => void tail().catch(() => {}), TAIL_INTERVAL_MS);
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    stop();
    res.end();
  };
  res.on('close', finish);
  send('record', liveRecord(options.records.get(record.id) ?? record, (options.now ?? Date.now)()));
  await tail().catch(() => {});
}

/**
 * One of a job's artifacts, by file name: only a file the record lists for this job, and only
 * when its real path stays inside the pipeline's directory.
 */
async function artifactRoute(
  options: PageRoutesOptions,
  res: ServerResponse,
  record: PipelineRecord,
  job: JobRecord,
  name: string,
  head: boolean,
): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    decoded = '';
  }
  const rel = job.artifacts.find((a) => basename(a) === decoded);
  const dir = await realpath(options.records.pipelineDir(record.id)).catch(() => undefined);
  const real = rel && dir ? await realpath(join(dir, rel)).catch(() => undefined) : undefined;
  const info = real ? await stat(real).catch(() => undefined) : undefined;
  if (!dir || !real || !insideDir(dir, real) || !info?.isFile()) {
    sendPage(res, 404, notFoundPage(`Job ${job.id} has no artifact ${decoded || name}.`), head);
    return;
  }
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': info.size,
    'content-disposition': `attachment; filename="${decoded.replace(/["\\\r\n]/g, '_')}"`,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
  });
  if (head) return void res.end();
  createReadStream(real).pipe(res);
}

/**
 * A button of the pipeline page: a signed-in user of the record's forge with write access, from
 * a page of this server (the Origin header, or Sec-Fetch-Site, says so: no other site's form can
 * post here with the user's cookie). Answers with the pipeline's page and what the command said.
 */
async function commandRoute(
  options: PageRoutesOptions,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
): Promise<void> {
  const refuse = (status: number, what: string) => sendPage(res, status, notFoundPage(what), false);
  const origin = req.headers.origin;
  const sameOrigin =
    origin !== undefined
      ? (() => {
          try {
            return new URL(origin).host === req.headers.host;
          } catch {
            return false;
          }
        })()
      : req.headers['sec-fetch-site'] === 'same-origin';
  if (!sameOrigin) return refuse(403, "A command comes from this server's pages only.");
  const record = PIPELINE_ID.test(id) ? await options.records.fetch(id) : undefined;
  if (!record || !(await mayRead(options, req, record))) return refuse(404, `No pipeline ${id}.`);
  const session = options.signIn?.session(req);
  if (!options.commands || !session || session.forge !== record.source.forge)
    return refuse(403, `Sign in with ${record.source.forge} to command this pipeline.`);
  const body = await readBody(req);
  const command = new URLSearchParams(body?.toString('utf8') ?? '').get('command');
  if (!COMMANDS.includes(command as CommandName)) return refuse(400, `No command ${command ?? ''}.`);
  const { message, pipelineId } = await options.commands.fromPage(
    record,
    command as CommandName,
    session.login,
  );
  res.writeHead(303, {
    location: `/pipelines/${pipelineId ?? record.id}?said=${encodeURIComponent(message)}`,
    'cache-control': 'no-store',
  });
  res.end();
}
