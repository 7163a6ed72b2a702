import { pino } from 'pino';
import type { JobState, PipelineState } from '../pipeline/pipeline-state.js';

/** How `albs run` shows a pipeline as it goes. */
export interface Progress {
  /** A job changed state. */
  change(state: PipelineState, jobId: string): void;
  /** A job wrote a log line. */
  log(jobId: string, line: string): void;
  /** Anything albs itself has to say (warnings, the summary). */
  say(message: string, level?: 'info' | 'warn' | 'error'): void;
  /** Leave the terminal as a person can read it. */
  stop(): void;
}

export interface ProgressOptions {
  format: 'text' | 'json';
  verbose: boolean;
  /** A live table when the output is a terminal; otherwise a line per change. */
  tty: boolean;
  out: NodeJS.WriteStream | NodeJS.WritableStream;
  columns?: number;
}

const COLOURS: Record<JobState, string> = {
  pending: '2',
  queued: '2',
  running: '36',
  success: '32',
  failure: '31',
  skipped: '33',
  excluded: '35',
  cancelled: '33',
};

export function createProgress(options: ProgressOptions): Progress {
  if (options.format === 'json') return jsonProgress(options);
  return options.tty && !options.verbose ? liveTable(options) : lineProgress(options);
}

/**
 * When each job started running, once: a job reported running again keeps its start, so its
 * duration is the time it ran. A job that ends without having run has none.
 */
class RunTimes {
  private readonly started = new Map<string, number>();
  private readonly ended = new Map<string, number>();

  change(jobId: string, state: JobState): void {
    if (state === 'running') {
      if (!this.started.has(jobId)) this.started.set(jobId, performance.now());
    } else if (this.started.has(jobId) && !this.ended.has(jobId)) {
      this.ended.set(jobId, performance.now());
    }
  }

  ran(jobId: string): boolean {
    return this.started.has(jobId);
  }

  /** Milliseconds the job ran (so far, while it runs); undefined when it never started. */
  took(jobId: string): number | undefined {
    const start = this.started.get(jobId);
    return start === undefined ? undefined : (this.ended.get(jobId) ?? performance.now()) - start;
  }
}

/** "before it started" for a job cancelled while it waited (nothing of it ran); else "". */
function notStarted(state: JobState, ran: boolean): string {
  return state === 'cancelled' && !ran ? 'before it started' : '';
}

/** One pino JSON record per event: for log collectors. */
function jsonProgress(options: ProgressOptions): Progress {
  const logger = pino(
    { base: null, timestamp: pino.stdTimeFunctions.isoTime },
    options.out as NodeJS.WritableStream,
  );
  const times = new RunTimes();
  return {
    change: (state, jobId) => {
      const job = state.jobs[jobId]!;
      times.change(jobId, job.state);
      const took = job.state === 'running' ? undefined : times.took(jobId);
      const before = notStarted(job.state, times.ran(jobId));
      logger.info(
        {
          job: jobId,
          state: job.state,
          reason: job.reason ?? undefined,
          durationMs: took === undefined ? undefined : Math.round(took),
        },
        `${jobId}: ${job.state}${before ? ` ${before}` : ''}`,
      );
    },
    log: (jobId, line) => {
      if (options.verbose) logger.info({ job: jobId, log: line }, line);
    },
    say: (message, level = 'info') => logger[level](message),
    stop: () => logger.flush(),
  };
}

/** A line per state change (and per log line with --verbose): for CI logs and pipes. */
function lineProgress(options: ProgressOptions): Progress {
  const times = new RunTimes();
  const write = (text: string) => options.out.write(`${text}\n`);
  return {
    change: (state, jobId) => {
      const job = state.jobs[jobId]!;
      // Waiting for a runner is not news in a log: the line comes when the job starts.
      if (job.state === 'queued') return;
      const ranBefore = times.ran(jobId);
      times.change(jobId, job.state);
      if (job.state === 'running' && ranBefore) return; // said already
      const ms = job.state === 'running' ? undefined : times.took(jobId);
      const took = ms === undefined ? '' : ` in ${seconds(ms)}`;
      const before = notStarted(job.state, times.ran(jobId));
      write(
        `${jobId}: ${job.state}${before ? ` ${before}` : ''}${took}${job.reason ? `: ${job.reason}` : ''}`,
      );
    },
    log: (jobId, line) => {
      if (options.verbose) write(`${jobId} | ${line}`);
    },
    say: (message) => write(message),
    stop: () => {},
  };
}

/** A table redrawn in place: job, state, duration, last log line. */
function liveTable(options: ProgressOptions): Progress {
  const out = options.out as NodeJS.WriteStream;
  let state: PipelineState | undefined;
  const times = new RunTimes();
  const lastLine = new Map<string, string>();
  let drawn = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const draw = () => {
    if (!state) return;
    // A terminal that reports no size (a bare pty) gets a usual width.
    const width = options.columns || out.columns || 100;
    const ids = state.plan.jobs.map((j) => j.id);
    const idWidth = Math.min(Math.max(...ids.map((id) => id.length), 3), 40);
    const rows = ids.map((id) => {
      const job = state!.jobs[id]!;
      const ms = times.took(id);
      const took = ms === undefined ? '' : seconds(ms);
      const before = notStarted(job.state, times.ran(id));
      const detail =
        job.state === 'running'
          ? (lastLine.get(id) ?? '')
          : [before, job.reason ?? lastLine.get(id) ?? ''].filter(Boolean).join(': ');
      const plain = `${id.padEnd(idWidth)}  ${job.state.padEnd(9)}  ${took.padStart(7)}  `;
      const room = Math.max(0, width - plain.length - 1);
      const label = `\x1b[${COLOURS[job.state]}m${job.state.padEnd(9)}\x1b[0m`;
      return `${id.padEnd(idWidth)}  ${label}  ${took.padStart(7)}  ${detail.slice(0, room)}`;
    });
    const up = drawn ? `\x1b[${drawn}A` : '';
    out.write(`${up}\r\x1b[J${rows.join('\n')}\n`);
    drawn = rows.length;
  };
  const schedule = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      draw();
    }, 100);
  };
  // Running jobs' durations move even when nothing else does.
  const tick = setInterval(draw, 1000);
  tick.unref();

  return {
    change: (next, jobId) => {
      state = next;
      times.change(jobId, next.jobs[jobId]!.state);
      schedule();
    },
    log: (jobId, line) => {
      // A build's own colours and cursor moves would tear the table: keep printable text only.
      const text = stripControl(line).replace(/\s+/g, ' ').trim();
      if (text) lastLine.set(jobId, text);
      schedule();
    },
    // Messages scroll above the table: clear it, print, draw it again below.
    say: (message) => {
      out.write(`${drawn ? `\x1b[${drawn}A` : ''}\r\x1b[J${message}\n`);
      drawn = 0;
      if (!stopped) draw();
    },
    stop: () => {
      clearInterval(tick);
      if (timer) clearTimeout(timer);
      timer = undefined;
      draw();
      drawn = 0;
      stopped = true;
    },
  };
}

/** A line without escape sequences (CSI, OSC) and control characters. */
export function stripControl(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === 27) {
      const kind = line[i + 1];
      if (kind === '[') {
        // CSI: parameters, then one final byte in @..~.
        i += 2;
        while (i < line.length && !/[@-~]/.test(line[i]!)) i++;
      } else if (kind === ']') {
        // OSC: up to BEL or ESC \.
        i += 2;
        while (
          i < line.length &&
          line.charCodeAt(i) !== 7 &&
          !(line.charCodeAt(i) === 27 && line[i + 1] === '\\')
        )
          i++;
        if (line.charCodeAt(i) === 27) i++;
      } else {
        i++;
      }
      continue;
    }
    if ((code < 32 && code !== 9) || code === 127) continue;
    out += line[i];
  }
  return out;
}

export function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} m ${Math.round(s % 60)} s`;
}
