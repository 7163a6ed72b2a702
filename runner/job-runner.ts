import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Outcome } from '../src/pipeline/pipeline-state.js';
import { PLAN_VERSION, type Stage } from '../src/plan/types.js';
import type { JobHandler, JobResult, QueuedJob } from '../src/queue/job-queue.js';
import { FileJobLog } from './job-log.js';
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
 * a successful one frees its workspace.
 */
export function jobRunner(setup: JobRunnerSetup): JobHandler {
  return async (item: QueuedJob, signal: AbortSignal): Promise<JobResult> => {
    const { job } = item;
    const started = performance.now();
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

    const timeout = AbortSignal.timeout(job.timeout * 1000);
    const jobSignal = AbortSignal.any([signal, timeout]);
    let outcome: Outcome;
    if (item.planVersion !== PLAN_VERSION) {
      outcome = {
        state: 'failure',
        reason: `the job was planned with plan version ${item.planVersion}; this runner runs version ${PLAN_VERSION}: upgrade the runner or the server so they match`,
      };
    } else {
      log.info(`${job.name}: ${job.stage} on ${setup.host.rpmArch} (labels ${setup.host.labels.join(', ')})`);
      outcome = await runStep(setup.steps[job.stage], {
        job,
        workspace,
        artifacts,
        repoDir: setup.repoDir,
        inputs: item.inputs,
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

/** A step that returned after its signal fired was stopped, whatever it says. */
function toOutcome(result: StepResult, cancel: AbortSignal, timeout: AbortSignal, seconds: number): Outcome {
  if (cancel.aborted) return { state: 'cancelled', reason: abortReason(cancel) };
  if (timeout.aborted) return { state: 'failure', reason: `timed out after ${seconds} s` };
  return result;
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason ?? 'cancelled');
}
