import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { GitCacheError } from './git-cache-error.js';

/**
 * A long-lived `git cat-file --batch` of one mirror: the objects of a commit are looked up through
 * a pipe instead of a git process each (a spawn blocks the server's event loop for tens of ms).
 * Plain --batch, not --batch-command (git 2.36): one process works with every git a server has.
 */

/** What `git cat-file --batch` answers for a name that is there: the object's id, type and size. */
export interface BatchObject {
  oid: string;
  type: string;
  size: number;
  /** The object's bytes: only when asked for and no larger than the cap. */
  content?: Buffer | undefined;
}

/** The process ended (killed, crashed, never started) before answering. */
class BatchEnded extends Error {}

/** How long a closed process may take to end on its own before it is killed. */
const CLOSE_GRACE_MS = 5000;
/** Kept of the process's stderr, for a message. */
const STDERR_KEPT = 4096;

/**
 * Requests run one at a time, in the order made. The process starts at the first request and
 * again at the next one after it ended (a retry for the request it died under). While it waits for
 * a request it keeps no Node process alive. After a fetch it still finds the new objects: git
 * rescans the packs when an object is not in those it knows.
 */
export class GitBatch {
  private process: BatchProcess | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  /**
   * `start` spawns `git cat-file --batch` on the mirror (stdio all pipes); `what` names the mirror
   * in messages.
   */
  constructor(
    private readonly start: () => ChildProcess,
    private readonly what: string,
  ) {}

  /**
   * The object `name` names (any name cat-file takes: an id, `<id>^{commit}`), undefined when there
   * is none. Its content comes with it when `maxBytes` is given and the object is no larger; a larger
   * one is not read at all (the process is ended rather than made to send it).
   */
  read(name: string, maxBytes?: number): Promise<BatchObject | undefined> {
    return this.queued(() => this.request(name, maxBytes));
  }

  /** Ends the process once the requests made before are answered; the next request starts another. */
  restart(): void {
    void this.queued(() => this.stop());
  }

  /** Ends the process once the requests made before are answered; any request after is refused. */
  close(): Promise<void> {
    return this.queued(() => {
      this.closed = true;
      return this.stop();
    });
  }

  private async stop(): Promise<void> {
    const current = this.process;
    this.process = undefined;
    await current?.end();
  }

  private queued<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.catch(() => {});
    return run;
  }

  private async request(name: string, maxBytes: number | undefined): Promise<BatchObject | undefined> {
    for (let attempt = 1; ; attempt++) {
      if (this.closed) {
        throw new GitCacheError(`the git cache is closed: ${name} is not read from ${this.what}`);
      }
      if (this.process === undefined || this.process.ended) this.process = new BatchProcess(this.start());
      const current = this.process;
      try {
        return await current.ask(name, maxBytes);
      } catch (error) {
        if (!(error instanceof BatchEnded)) throw error;
        // A request only reads: ask it again of a new process, once.
        if (attempt < 2 && current.startError === undefined) continue;
        if (current.startError !== undefined) {
          throw new GitCacheError(
            `git could not be started (${current.startError}): install git on the build server`,
          );
        }
        throw new GitCacheError(
          `git cat-file --batch in ${this.what} ended before answering for ${name} (${current.exit}): ${current.stderr.trim()}`,
        );
      }
    }
  }
}

/** One process and what it has written that no request has taken yet. */
class BatchProcess {
  /** No request may be made of it any more: it ended, or was killed in the middle of an answer. */
  ended = false;
  startError: string | undefined;
  exit = 'still running';
  stderr = '';
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private wake: (() => void) | undefined;
  private readonly closed: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    this.closed = new Promise((resolve) => {
      const done = () => {
        this.ended = true;
        this.signal();
        resolve();
      };
      child.once('error', (error) => {
        this.startError ??= error.message;
        // A process that never started emits no close.
        if (child.pid === undefined) done();
      });
      child.once('close', (code, signal) => {
        this.exit = signal === null ? `exit code ${code}` : `killed by ${signal}`;
        done();
      });
    });
    // Writing to a process that just died fails with EPIPE: the close above says what happened.
    child.stdin?.on('error', () => {});
    child.stdout?.on('data', (chunk: Buffer) => {
      if (this.ended) return;
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      this.signal();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    this.hold(false);
  }

  async ask(name: string, maxBytes: number | undefined): Promise<BatchObject | undefined> {
    if (this.ended) throw new BatchEnded();
    this.hold(true);
    try {
      this.child.stdin?.write(`${name}\n`);
      const header = (await this.line()).toString('utf8');
      // "<name> missing", "<name> ambiguous", or "<oid> <type> <size>" and the content after it.
      const [oid, type, sizeText] = header.split(' ');
      if (header === `${name} missing` || header === `${name} ambiguous`) return undefined;
      const size = Number(sizeText);
      if (oid === undefined || type === undefined || !/^[0-9]+$/.test(sizeText ?? '')) {
        this.kill();
        throw new GitCacheError(`git cat-file --batch answered ${JSON.stringify(header)} for ${name}`);
      }
      if (maxBytes === undefined) {
        await this.skip(size + 1);
        return { oid, type, size };
      }
      if (size > maxBytes) {
        // Not read, not drained: a new process answers the next request.
        this.kill();
        return { oid, type, size };
      }
      const content = await this.take(size);
      await this.skip(1);
      return { oid, type, size, content };
    } finally {
      this.hold(false);
    }
  }

  /** Closes stdin, on which cat-file ends; kills it if it has not ended after a while. */
  async end(): Promise<void> {
    this.hold(true);
    this.child.stdin?.end();
    const timer = setTimeout(() => this.kill(), CLOSE_GRACE_MS);
    await this.closed;
    clearTimeout(timer);
  }

  /** Ends the process at once; what it wrote and no request took is dropped, never read as an answer. */
  private kill(): void {
    this.ended = true;
    this.chunks.length = 0;
    this.buffered = 0;
    this.child.kill('SIGKILL');
  }

  /** While a request waits for an answer the process and its pipes keep Node running; else not. */
  private hold(on: boolean): void {
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr]) {
      const ref = handle as Pick<Socket, 'ref' | 'unref'> | null;
      if (on) ref?.ref?.();
      else ref?.unref?.();
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Waits until `ready` holds, or throws when the process has ended without it holding. */
  private async until(ready: () => boolean): Promise<void> {
    while (!ready()) {
      if (this.ended) throw new BatchEnded();
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** The next line, without its newline. */
  private async line(): Promise<Buffer> {
    let end = -1;
    await this.until(() => {
      end = this.newline();
      return end >= 0;
    });
    const line = await this.take(end);
    await this.skip(1);
    return line;
  }

  private newline(): number {
    let offset = 0;
    for (const chunk of this.chunks) {
      const at = chunk.indexOf(10);
      if (at >= 0) return offset + at;
      offset += chunk.length;
    }
    return -1;
  }

  private async take(bytes: number): Promise<Buffer> {
    await this.until(() => this.buffered >= bytes);
    const parts: Buffer[] = [];
    let wanted = bytes;
    while (wanted > 0) {
      const chunk = this.chunks[0]!;
      if (chunk.length <= wanted) {
        parts.push(chunk);
        this.chunks.shift();
        wanted -= chunk.length;
      } else {
        parts.push(chunk.subarray(0, wanted));
        this.chunks[0] = chunk.subarray(wanted);
        wanted = 0;
      }
    }
    this.buffered -= bytes;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, bytes);
  }

  /** Drops `bytes` as they come, keeping none of them. */
  private async skip(bytes: number): Promise<void> {
    let left = bytes;
    while (left > 0) {
      await this.until(() => this.buffered > 0);
      const dropped = Math.min(left, this.buffered);
      await this.take(dropped);
      left -= dropped;
    }
  }
}
