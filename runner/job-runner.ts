import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Outcome } from '../src/pipeline/pipeline-state.js';
import type { Stage } from '../src/plan/types.js';
import type { JobHandler, JobResult, QueuedJob } from '../src/queue/job-queue.js';
import { queuedJobProblem } from './check-queued-job.js';
import { FileJobLog } from './job-log.js';
import { plainPaths } from './plain-paths.js';
import { timerDelay } from './timer-delay.js';
import type { HostFacts, Step, StepResult } from './types.js';

/** Where one runner keeps its jobs' files: OUT/work/<id>, OUT/artifacts/<id>, OUT/logs/<id>.log. */
export interface JobDirs {
  work: string;
  artifacts: string;
  logs: string;
}

export function jobDirs(out: string): JobDirs {
  return { work: join(out, 'work'), artifacts: join(out, 'artifacts'), logs: join(out, 'logs') };
}

export interface JobRunnerSetup {
  dirs: JobDirs;
  /** The package repository being built. */
  repoDir: string;
  host: HostFacts;
  steps: Record<Stage, Step>;
  /** Every log line of every job, as it is written. */
  onLogLine?: (jobId: string, line: string) => void;
}

class CancelledError extends Error {
  override name = 'CancelledError';
}

/**
 * Runs one queued job: a fresh workspace and artifact directory, its log file, its stage's step
 * under the job's timeout. A failed job keeps its workspace, log and whatever artifacts it made;
 * a successful one frees its workspace. A job that fails queuedJobProblem (another plan version,
 * an id, repo or key that is not a safe name) fails before anything touches the disk.
 *
 * When OUT or the repository has a path rpm would not take literally (a `%`, a space), the step
 * gets plain aliases of them (see plainPaths), and the log says so.
 */
export function jobRunner(setup: JobRunnerSetup): JobHandler {
  const stages = Object.keys(setup.steps) as Stage[];
  return async (item: QueuedJob, signal: AbortSignal): Promise<JobResult> => {
    const started = performance.now();
    const problem = queuedJobProblem(item, stages);
    if (problem !== undefined) {
      const id: unknown = (item.job as { id?: unknown } | undefined)?.id;
      return {
        pipelineId: item.pipelineId,
        jobId: typeof id === 'string' ? id : String(id),
        outcome: { state: 'failure', reason: problem },
        artifacts: [],
        durationMs: performance.now() - started,
      };
    }
    const { job } = item;
    const workspace = join(setup.dirs.work, job.id);
    const artifacts = join(setup.dirs.artifacts, job.id);
    await Promise.all([
      rm(workspace, { recursive: true, force: true }),
      rm(artifacts, { recursive: true, force: true }),
    ]);
    await Promise.all([mkdir(workspace, { recursive: true }), mkdir(artifacts, { recursive: true })]);
    const log = await FileJobLog.open(join(setup.dirs.logs, `${job.id}.log`), (line) =>
      setup.onLogLine?.(job.id, line),
    );

    const paths = await plainPaths({
      work: setup.dirs.work,
      artifacts: setup.dirs.artifacts,
      repo: setup.repoDir,
    });
    let outcome: Outcome;
    try {
      log.info(`${job.name}: ${job.stage} on ${setup.host.rpmArch} (labels ${setup.host.labels.join(', ')})`);
      for (const a of paths.aliases) {
        log.info(
          `this job sees ${a.real} as ${a.alias}: rpm does not take that path literally (a % in it starts a macro, %(…) runs a command; a space splits rpmbuild's scripts)`,
        );
      }
      const timeout = AbortSignal.timeout(timerDelay(job.timeout * 1000));
      const jobSignal = AbortSignal.any([signal, timeout]);
      outcome = await runStep(setup.steps[job.stage], {
        job,
        workspace: paths.map(workspace),
        artifacts: paths.map(artifacts),
        repoDir: paths.map(setup.repoDir),
        inputs: Object.fromEntries(
          Object.entries(item.inputs).map(([id, files]) => [id, files.map((f) => paths.map(f))]),
        ),
        log,
        host: setup.host,
        signal: jobSignal,
      }).then(
        (result) => toOutcome(result, signal, timeout, job.timeout),
        (error: unknown) => {
          if (signal.aborted) return { state: 'cancelled', reason: abortReason(signal) } as const;
          return {
            state: 'failure',
            reason: error instanceof Error ? error.message : String(error),
          } as const;
        },
      );
      log.info(`${job.id}: ${outcome.state}${outcome.state === 'success' ? '' : `: ${outcome.reason}`}`);
    } finally {
      await paths.close();
    }
    await log.close();
    if (outcome.state === 'success') await rm(workspace, { recursive: true, force: true });
    const files = await readdir(artifacts).catch(() => []);
    return {
      pipelineId: item.pipelineId,
      jobId: job.id,
      outcome,
      artifacts: files.sort().map((f) => join(artifacts, f)),
      durationMs: performance.now() - started,
    };
  };
}

async function runStep(step: Step, context: Parameters<Step>[0]): Promise<StepResult> {
  if (context.signal.aborted) throw new CancelledError(abortReason(context.signal));
  return step(context);
}

/** A step that failed after its signal fired was stopped: cancelled, or timed out. */
function toOutcome(result: StepResult, cancel: AbortSignal, timeout: AbortSignal, seconds: number): Outcome {
  // A step that finished its work before it saw the signal (a publish past its switch) did it.
  if (result.state === 'success' && !timeout.aborted) return result;
  if (cancel.aborted) return { state: 'cancelled', reason: abortReason(cancel) };
  if (timeout.aborted) return { state: 'failure', reason: `timed out after ${seconds} s` };
  return result;
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason ?? 'cancelled');
}
