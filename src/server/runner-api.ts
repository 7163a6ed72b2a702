import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readlink, rename, stat, symlink, unlink } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import type { Outcome } from '../pipeline/pipeline-state.js';
import type { BuildJob } from '../plan/types.js';
import { sha256File } from '../publish/repo-dirs.js';
import type { LookasideFile } from '../sources/fetch-lookaside.js';
import { tempPathFor } from '../store/atomic-write.js';
import type { FarmPipelines } from './farm-pipelines.js';
import { json, readBody } from './http-server.js';
import type { PipelineRecord, PipelineRecords } from './pipeline-records.js';
import type { PublishedKey } from './remote-signer.js';
import type { RunnerRegistry, RunnerRole } from './runner-registry.js';

/** `/api/v1/runner/…`: what runners and signers reach the server through (see RunnerClient). */
export const RUNNER_API = '/api/v1/runner';
/** The header carrying the job's BullMQ lock token: only its holder may report on the job. */
export const LOCK_HEADER = 'x-albs-lock';
/** The header naming the queue the job was taken from: where the server looks for its lock. */
export const QUEUE_HEADER = 'x-albs-queue';
/** The header carrying an uploaded artifact's sha256. */
export const SHA256_HEADER = 'x-albs-sha256';

const PIPELINE_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const JOB_ID = /^[a-z0-9][a-z0-9._-]*$/;
/** A package file's name: rpm and deb names use these; nothing that could climb out of a directory. */
export const ARTIFACT_NAME = /^[A-Za-z0-9_+~^][A-Za-z0-9._+~^-]*$/;
const MAX_ARTIFACT_BYTES = 8 * 1024 ** 3;
const OUTCOMES = new Set(['success', 'failure', 'excluded', 'cancelled']);

export interface RunnerApiOptions {
  records: PipelineRecords;
  farm: FarmPipelines;
  runners: RunnerRegistry;
  /** token → who: from runner-tokens-file. */
  tokens: ReadonlyMap<string, { name: string; role: RunnerRole }>;
  /** Whether the holder of `token` holds the job's lock in its queue. */
  holdsLock: (
    pipelineId: string,
    jobId: string,
    token: string,
    queue: string | undefined,
    attempt: number,
  ) => Promise<boolean>;
  /** The pipeline's commit checked out on the server (once): its directory. */
  source: (record: PipelineRecord) => Promise<string>;
  /** The lookaside files of a build job's commit, fetched into the server's cache (once a pipeline). */
  lookaside: (record: PipelineRecord, job: BuildJob) => Promise<LookasideFile[]>;
  /** A signer's public keys, by name, for the record's provenance and the repositories' key files. */
  onKeys: (keys: PublishedKey[]) => Promise<void>;
  log: Logger;
}

/**
 * The runner API: heartbeats, a pipeline's source as a tarball, the artifacts a job needs, and for
 * the job a runner holds (its token and the job's lock token): its start, its log in ordered
 * batches, its artifacts with their sha256, its result. Results reach the pipeline only this way.
 */
export function runnerRoutes(options: RunnerApiOptions) {
  const logLocks = new Map<string, Promise<void>>();
  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const who = token === undefined ? undefined : options.tokens.get(token);
    if (!who) {
      json(res, 401, {
        error: 'a runner token is needed (Authorization: Bearer TOKEN, from runner-tokens-file)',
      });
      return;
    }
    const rest = url.pathname.slice(RUNNER_API.length);
    const method = req.method ?? 'GET';
    if (method === 'POST' && rest === '/heartbeat') return await heartbeat(options, req, res, who);
    if (method === 'POST' && rest === '/keys') return await keys(options, req, res, who.role);
    const pipelineMatch = /^\/pipelines\/([^/]+)\/(source\.tar|files\/artifacts\/([^/]+)\/([^/]+))$/.exec(
      rest,
    );
    if (method === 'GET' && pipelineMatch) {
      const [, id, what, job, name] = pipelineMatch;
      const record = PIPELINE_ID.test(id!) ? await options.records.fetch(id!) : undefined;
      if (!record) return json(res, 404, { error: `no pipeline ${id}` });
      if (what === 'source.tar') return await sourceTar(options, record, res);
      if (!JOB_ID.test(job!) || !ARTIFACT_NAME.test(name!))
        return json(res, 400, { error: 'not an artifact path' });
      return await artifact(join(options.records.pipelineDir(id!), 'artifacts', job!, name!), res);
    }
    const jobMatch =
      /^\/jobs\/([^/]+)\/([^/]+)\/(start|log|result|artifacts\/([^/]+)|lookaside\/([a-z0-9]+)\/([0-9a-f]+))$/.exec(
        rest,
      );
    if (!jobMatch) return json(res, 404, { error: `nothing at ${url.pathname}` });
    const [, pipelineId, jobId, action, name] = jobMatch as unknown as [
      string,
      string,
      string,
      string,
      string?,
    ];
    const record = PIPELINE_ID.test(pipelineId) ? await options.records.fetch(pipelineId) : undefined;
    const job = record?.jobs.find((j) => j.id === jobId);
    if (!record || !job) return json(res, 404, { error: `no job ${jobId} in pipeline ${pipelineId}` });
    const role: RunnerRole | null =
      job.stage === 'sign' ? 'signer' : job.stage === 'publish' ? null : 'runner';
    if (role !== who.role) {
      json(res, 403, {
        error: `${who.name} is a ${who.role}; ${job.stage} jobs are ${role === null ? "the server's own" : `for a ${role}`}`,
      });
      return;
    }
    const lock = header(req, LOCK_HEADER);
    if (
      lock === undefined ||
      !(await options.holdsLock(pipelineId, jobId, lock, header(req, QUEUE_HEADER), record.attempt ?? 1))
    ) {
      options.log.warn(
        { runner: who.name, pipelineId, jobId, action },
        'runner refused: it does not hold the job',
      );
      json(res, 409, {
        error: `${who.name} does not hold job ${jobId} of pipeline ${pipelineId} (no lock, or the lock expired)`,
      });
      return;
    }
    const dir = options.records.pipelineDir(pipelineId);
    if (action === 'start' && method === 'POST') {
      const item = await options.farm.jobFor(pipelineId, jobId);
      if (!item) {
        json(res, 409, {
          error: `job ${jobId} of pipeline ${pipelineId} is not one this server hands out now`,
        });
        return;
      }
      const attempt = await options.farm.started(pipelineId, jobId, who.name);
      await mkdir(join(dir, 'logs'), { recursive: true });
      const link = join(dir, 'logs', `${jobId}.log`);
      const target = `${jobId}.${attempt}.log`;
      // logs/JOB.log is the latest attempt's log; the earlier ones stay beside it.
      await (await open(join(dir, 'logs', target), 'a')).close();
      if ((await readlink(link).catch(() => undefined)) !== target) {
        const temp = tempPathFor(link);
        await symlink(target, temp);
        await rename(temp, link);
      }
      json(res, 200, { attempt, job: item });
      return;
    }
    if (action === 'log' && method === 'POST') {
      const attempt = Number(url.searchParams.get('attempt'));
      const offset = Number(url.searchParams.get('offset'));
      if (!Number.isInteger(attempt) || attempt < 1 || !Number.isInteger(offset) || offset < 0)
        return json(res, 400, { error: 'attempt and offset must be whole numbers' });
      const body = await readBody(req);
      if (body === undefined) return json(res, 413, { error: 'log batch too large' });
      const file = join(dir, 'logs', `${jobId}.${attempt}.log`);
      const before = logLocks.get(file) ?? Promise.resolve();
      let size = 0;
      const next = before.then(async () => {
        size = await appendAt(file, offset, body);
      });
      const settled = next.catch(() => {});
      logLocks.set(file, settled);
      await next;
      if (logLocks.get(file) === settled) logLocks.delete(file);
      json(res, size === offset + body.length || size >= offset + body.length ? 200 : 409, { size });
      return;
    }
    if (action.startsWith('lookaside/') && method === 'GET') {
      const [, , , , , hashType, hash] = jobMatch as unknown as string[];
      const item = await options.farm.jobFor(pipelineId, jobId);
      if (item?.job.stage !== 'build' || item.job.source.lookaside === undefined)
        return json(res, 404, { error: `job ${jobId} fetches no lookaside files` });
      let files: LookasideFile[];
      try {
        files = await options.lookaside(record, item.job);
      } catch (error) {
        return json(res, 502, {
          error: `the server could not fetch the lookaside files: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
      // Only a file the commit's list names, by its digest: nothing else of the server's disk.
      const file = files.find((f) => f.entry.hashType === hashType && f.entry.hash === hash);
      if (!file) return json(res, 404, { error: `the lookaside list names no ${hashType} ${hash}` });
      return artifact(file.blob, res);
    }
    if (action === 'result' && method === 'POST') {
      return await result(options, req, res, dir, pipelineId, jobId);
    }
    if (name !== undefined && method === 'PUT') {
      if (!ARTIFACT_NAME.test(name))
        return json(res, 400, { error: `${name} is not an artifact name (a package file's name)` });
      const sha256 = header(req, SHA256_HEADER);
      if (sha256 === undefined || !/^[0-9a-f]{64}$/.test(sha256))
        return json(res, 400, { error: `${SHA256_HEADER} must be the artifact's sha256 in hex` });
      const target = join(dir, 'artifacts', jobId, name);
      await mkdir(join(dir, 'artifacts', jobId), { recursive: true });
      const got = await receive(req, target, sha256);
      if (got !== null) return json(res, 422, { error: got });
      json(res, 200, { name, sha256 });
      return;
    }
    json(res, 405, { error: `${method} is not allowed here` });
  };
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (!url.pathname.startsWith(`${RUNNER_API}/`)) return false;
    await handle(req, res, url);
    return true;
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

async function heartbeat(
  options: RunnerApiOptions,
  req: IncomingMessage,
  res: ServerResponse,
  who: { name: string; role: RunnerRole },
): Promise<void> {
  const body = (await jsonBody(req)) as
    | { name?: unknown; labels?: unknown; running?: unknown; leaving?: unknown }
    | undefined;
  // The token says who the host is; a host that calls itself something else is set up wrongly.
  if (typeof body?.name === 'string' && body.name !== who.name)
    return json(res, 409, {
      error: `this token is ${who.name}'s in runner-tokens-file, but the host calls itself ${body.name}: give --name ${who.name}, or leave --name out`,
    });
  const labels = Array.isArray(body?.labels)
    ? body.labels.filter((l): l is string => typeof l === 'string')
    : [];
  const running = Array.isArray(body?.running)
    ? body.running
        .filter(
          (r): r is { pipeline: string; job: string } =>
            typeof r === 'object' &&
            r !== null &&
            typeof r.pipeline === 'string' &&
            typeof r.job === 'string',
        )
        .map(({ pipeline, job }) => ({ pipeline, job }))
    : [];
  if (body?.leaving === true) await options.runners.leave(who.name);
  else await options.runners.heartbeat({ name: who.name, role: who.role, labels, running });
  json(res, 200, { name: who.name, role: who.role });
}

async function keys(
  options: RunnerApiOptions,
  req: IncomingMessage,
  res: ServerResponse,
  role: RunnerRole,
): Promise<void> {
  if (role !== 'signer') return json(res, 403, { error: 'only a signer publishes signing keys' });
  const body = (await jsonBody(req)) as { keys?: unknown } | undefined;
  const list = Array.isArray(body?.keys) ? (body.keys as PublishedKey[]) : [];
  const valid = list.filter(
    (k) =>
      typeof k?.name === 'string' &&
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(k.name) &&
      typeof k.fingerprint === 'string' &&
      typeof k.publicKeyArmored === 'string' &&
      k.publicKeyArmored.includes('BEGIN PGP PUBLIC KEY BLOCK'),
  );
  await options.onKeys(valid);
  json(res, 200, { keys: valid.map((k) => k.name) });
}

async function sourceTar(
  options: RunnerApiOptions,
  record: PipelineRecord,
  res: ServerResponse,
): Promise<void> {
  let dir: string;
  try {
    dir = await options.source(record);
  } catch (error) {
    return json(res, 502, {
      error: `could not check out the commit: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  const tar = spawn('tar', ['-c', '-f', '-', '--numeric-owner', '--owner=0', '--group=0', '-C', dir, '.'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  tar.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  res.writeHead(200, { 'content-type': 'application/x-tar' });
  tar.stdout.pipe(res);
  await new Promise<void>((resolve) => {
    tar.on('close', (code) => {
      if (code !== 0) {
        options.log.warn({ pipelineId: record.id, stderr }, 'tar of the source failed');
        res.destroy();
      }
      resolve();
    });
  });
}

async function artifact(path: string, res: ServerResponse): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return json(res, 404, { error: 'no such artifact' });
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': info.size });
  await pipeline(createReadStream(path), res);
}

/** Appends `data` at `offset` when the file is that long; returns its size after. A batch sent twice changes nothing. */
async function appendAt(file: string, offset: number, data: Buffer): Promise<number> {
  const handle = await open(file, 'a');
  try {
    const { size } = await handle.stat();
    if (size !== offset) return size;
    await handle.write(data);
    return size + data.length;
  } finally {
    await handle.close();
  }
}

/** Streams the body into `target` through a temp file; null when its sha256 matched, else why not. */
async function receive(req: IncomingMessage, target: string, sha256: string): Promise<string | null> {
  const temp = tempPathFor(target);
  const hash = createHash('sha256');
  let size = 0;
  const handle = await open(temp, 'wx', 0o644);
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_ARTIFACT_BYTES) throw new Error(`the artifact is over ${MAX_ARTIFACT_BYTES} bytes`);
      hash.update(chunk);
      await handle.write(chunk);
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => {});
    return error instanceof Error ? error.message : String(error);
  }
  await handle.close();
  const got = hash.digest('hex');
  if (got !== sha256) {
    await unlink(temp).catch(() => {});
    return `the upload has sha256 ${got}, but ${SHA256_HEADER} says ${sha256}: send it again`;
  }
  await rename(temp, target);
  return null;
}

async function result(
  options: RunnerApiOptions,
  req: IncomingMessage,
  res: ServerResponse,
  dir: string,
  pipelineId: string,
  jobId: string,
): Promise<void> {
  const body = (await jsonBody(req)) as
    | { outcome?: { state?: unknown; reason?: unknown }; durationMs?: unknown; artifacts?: unknown }
    | undefined;
  const state = body?.outcome?.state;
  if (typeof state !== 'string' || !OUTCOMES.has(state))
    return json(res, 400, { error: `outcome.state must be one of ${[...OUTCOMES].join(', ')}` });
  const reason = typeof body?.outcome?.reason === 'string' ? body.outcome.reason : `the runner said ${state}`;
  const outcome = (state === 'success' ? { state } : { state, reason }) as Outcome;
  const list = Array.isArray(body?.artifacts)
    ? (body.artifacts as { name?: unknown; sha256?: unknown }[])
    : [];
  const artifacts: { path: string; sha256: string }[] = [];
  for (const entry of list) {
    if (
      typeof entry?.name !== 'string' ||
      !ARTIFACT_NAME.test(entry.name) ||
      typeof entry.sha256 !== 'string'
    )
      return json(res, 400, { error: 'artifacts must be [{name, sha256}] with package file names' });
    const path = `artifacts/${jobId}/${entry.name}`;
    const got = await sha256File(join(dir, path)).catch(() => undefined);
    if (got !== entry.sha256)
      return json(res, 422, {
        error: `${entry.name}: ${got === undefined ? 'not uploaded' : `the server has sha256 ${got}`}, the result says ${entry.sha256}; upload it again`,
      });
    artifacts.push({ path, sha256: got });
  }
  const durationMs = typeof body?.durationMs === 'number' && body.durationMs >= 0 ? body.durationMs : 0;
  await options.farm.report({ pipelineId, jobId, outcome, durationMs, artifacts });
  json(res, 200, { accepted: true });
}
