import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdir, rename, rm, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import type { QueuedJob } from '../queue/job-queue.js';
import type { PublishedKey } from '../server/remote-signer.js';
import { LOCK_HEADER, QUEUE_HEADER, RUNNER_API, SHA256_HEADER } from '../server/runner-api.js';
import { hashFile } from '../sources/fetch-lookaside.js';
import type { LookasideEntry } from '../sources/lookaside.js';
import { tempPathFor } from '../store/atomic-write.js';

/** A job's lock as the runner shows it to the server: its token, and the queue it holds it in. */
export interface JobLock {
  token: string;
  queue: string;
}

/** The server said this runner no longer holds the job: another runner may have it. */
export class LostJobError extends Error {
  override name = 'LostJobError';
}

/**
 * How long a request is tried again on network errors and 5xx, with pauses growing to 5 s: a
 * server restarting, or a replica failing over, must not cost a finished build its result. The
 * job's lock is kept meanwhile (it is renewed in Redis, not through the server).
 */
const RETRY_FOR_MS = 10 * 60 * 1000;

/**
 * The runner's and signer's side of the runner API: everything they tell the server, over HTTP
 * with their token. A job's calls carry the job's lock token; a 409 means the job is lost.
 */
export class RunnerClient {
  private readonly base: string;

  constructor(
    server: string,
    private readonly token: string,
  ) {
    this.base = `${server.replace(/\/+$/, '')}${RUNNER_API}`;
  }

  heartbeat(body: {
    name: string;
    labels: string[];
    running: { pipeline: string; job: string }[];
    leaving?: boolean;
  }) {
    // A heartbeat comes again in 10 s: one that cannot get through is not tried for long.
    return this.json('POST', '/heartbeat', body, undefined, 5000);
  }

  publishKeys(keys: PublishedKey[]) {
    return this.json('POST', '/keys', { keys });
  }

  /** The job's start: its attempt number, and the job as the server hands it out (run that one). */
  async start(
    pipelineId: string,
    jobId: string,
    lock: JobLock,
  ): Promise<{ attempt: number; job: QueuedJob }> {
    return (await this.json('POST', this.jobPath(pipelineId, jobId, 'start'), {}, lock)) as {
      attempt: number;
      job: QueuedJob;
    };
  }

  /** Sends a log batch at `offset`; resolves with the log's size on the server after it. */
  async log(pipelineId: string, jobId: string, lock: JobLock, attempt: number, offset: number, data: Buffer) {
    const path = `${this.jobPath(pipelineId, jobId, 'log')}?attempt=${attempt}&offset=${offset}`;
    const res = await this.send('POST', path, { body: data, lock, ok: [200, 409] });
    return ((await res.json()) as { size: number }).size;
  }

  async upload(pipelineId: string, jobId: string, lock: JobLock, name: string, file: string, sha256: string) {
    const path = this.jobPath(pipelineId, jobId, `artifacts/${encodeURIComponent(name)}`);
    await this.send('PUT', path, { file, lock, headers: { [SHA256_HEADER]: sha256 } });
  }

  result(pipelineId: string, jobId: string, lock: JobLock, body: unknown) {
    return this.json('POST', this.jobPath(pipelineId, jobId, 'result'), body, lock);
  }

  /** The pipeline's commit, unpacked into `dir` (written beside it, then renamed into place). */
  async source(pipelineId: string, dir: string): Promise<void> {
    const res = await this.send('GET', `/pipelines/${pipelineId}/source.tar`, {});
    const temp = tempPathFor(dir);
    await mkdir(temp, { recursive: true });
    try {
      const tar = spawn('tar', ['-x', '-f', '-', '--no-same-owner', '-C', temp], {
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      let stderr = '';
      tar.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => tar.on('close', resolve));
      await pipeline(Readable.fromWeb(res.body as ReadableStream), tar.stdin);
      const code = await exited;
      if (code !== 0)
        throw new Error(`tar could not unpack the source of pipeline ${pipelineId}: ${stderr.trim()}`);
      await rename(temp, dir);
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw error;
    }
  }

  /** A file of the pipeline (an input artifact) into `dest`, refused unless its sha256 is `sha256`. */
  async download(pipelineId: string, path: string, dest: string, sha256: string): Promise<void> {
    const res = await this.send('GET', `/pipelines/${pipelineId}/files/${path}`, {});
    await mkdir(dirname(dest), { recursive: true });
    const temp = tempPathFor(dest);
    const hash = createHash('sha256');
    const body = Readable.fromWeb(res.body as ReadableStream);
    body.on('data', (chunk: Buffer) => hash.update(chunk));
    try {
      await pipeline(body, createWriteStream(temp, { mode: 0o644 }));
      const got = hash.digest('hex');
      if (got !== sha256) throw new Error(`${path} has sha256 ${got}, but the job says ${sha256}`);
      await rename(temp, dest);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  }

  /** A lookaside file of the job's commit, through the server, into `dest`: refused unless it has the listed digest. */
  async lookaside(
    pipelineId: string,
    jobId: string,
    lock: JobLock,
    entry: LookasideEntry,
    dest: string,
  ): Promise<void> {
    const path = this.jobPath(pipelineId, jobId, `lookaside/${entry.hashType}/${entry.hash}`);
    const res = await this.send('GET', path, { lock });
    await mkdir(dirname(dest), { recursive: true });
    const temp = tempPathFor(dest);
    try {
      await pipeline(Readable.fromWeb(res.body as ReadableStream), createWriteStream(temp, { mode: 0o644 }));
      const got = await hashFile(temp, entry.hashType);
      if (got !== entry.hash)
        throw new Error(
          `${entry.path} from the server has ${entry.hashType} ${got}, but the lookaside list says ${entry.hash}`,
        );
      await rename(temp, dest);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  }

  private jobPath(pipelineId: string, jobId: string, action: string): string {
    return `/jobs/${encodeURIComponent(pipelineId)}/${encodeURIComponent(jobId)}/${action}`;
  }

  private async json(
    method: string,
    path: string,
    body: unknown,
    lock?: JobLock,
    retryForMs = RETRY_FOR_MS,
  ): Promise<unknown> {
    const res = await this.send(method, path, {
      retryForMs,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      ...(lock !== undefined ? { lock } : {}),
    });
    return res.json();
  }

  private async send(
    method: string,
    path: string,
    options: {
      retryForMs?: number;
      body?: string | Buffer;
      file?: string;
      lock?: JobLock;
      headers?: Record<string, string>;
      ok?: number[];
    },
  ): Promise<Response> {
    const ok = options.ok ?? [200];
    const giveUpAt = Date.now() + (options.retryForMs ?? RETRY_FOR_MS);
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(`${this.base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.token}`,
            ...(options.lock !== undefined
              ? { [LOCK_HEADER]: options.lock.token, [QUEUE_HEADER]: options.lock.queue }
              : {}),
            ...options.headers,
          },
          ...(options.file !== undefined
            ? { body: await openAsBlob(options.file) }
            : options.body !== undefined
              ? { body: options.body }
              : {}),
        });
      } catch (error) {
        // The server cannot be reached (restarting, failing over): tried again.
        const code = (error as { cause?: { code?: string } }).cause?.code;
        const failure = `${error instanceof Error ? error.message : String(error)}${code ? ` (${code} at ${this.base})` : ''}`;
        if (Date.now() >= giveUpAt) throw new Error(`the server did not take ${method} ${path}: ${failure}`);
        await pause(attempt);
        continue;
      }
      if (ok.includes(res.status)) return res;
      const failure = `${method} ${path}: ${res.status} ${errorOf(await res.text())}`;
      if (res.status === 409) throw new LostJobError(failure);
      // A refusal is final; a 5xx, a timeout or a rate limit is tried again.
      if (res.status < 500 && res.status !== 408 && res.status !== 429) throw new Error(failure);
      if (Date.now() >= giveUpAt) throw new Error(`the server did not take ${method} ${path}: ${failure}`);
      await pause(attempt);
    }
  }
}

/** The pause before try `attempt + 1`: growing from 250 ms to 5 s. */
function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
}

/** The `error` of a JSON answer, or its text. */
function errorOf(text: string): string {
  try {
    return (JSON.parse(text) as { error?: string }).error ?? text;
  } catch {
    return text;
  }
}
