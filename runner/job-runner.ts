import { lstat, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { Outcome } from '../src/pipeline/pipeline-state.js';
import type { Stage } from '../src/plan/types.js';
import type { JobHandler, JobResult, QueuedJob } from '../src/queue/job-queue.js';
import type { FetchBlob } from '../src/sources/fetch-lookaside.js';
import { queuedJobProblem } from './check-queued-job.js';
import { copyTree } from './copy-tree.js';
import { FileJobLog } from './job-log.js';
import { plainPaths } from './plain-paths.js';
import {
  type BuildUidPool,
  createSandbox,
  DEFAULT_LIMITS,
  makeReadable,
  readableByOthers,
  type Sandbox,
  watchDiskUse,
} from './sandbox.js';
import { timerDelay } from './timer-delay.js';
import type { HostFacts, JobLog, Step, StepResult } from './types.js';

/**
 * Where one runner keeps its jobs' files: OUT/work/<id>, OUT/artifacts/<id>, OUT/logs/<id>.log, and
 * what its jobs share (OUT/cache: lookaside files by digest).
 */
export interface JobDirs {
  work: string;
  artifacts: string;
  logs: string;
  cache: string;
}

export function jobDirs(out: string): JobDirs {
  return {
    work: join(out, 'work'),
    artifacts: join(out, 'artifacts'),
    logs: join(out, 'logs'),
    cache: join(out, 'cache'),
  };
}

export interface JobRunnerSetup {
  dirs: JobDirs;
  /** The package repository being built. */
  repoDir: string;
  host: HostFacts;
  steps: Record<Stage, Step>;
  /** Every log line of every job, as it is written. */
  onLogLine?: (jobId: string, line: string) => void;
  /** Where lookaside files come from other than their URL (a farm's runner: its server). */
  lookaside?: FetchBlob;
  /**
   * How jobs are sandboxed; null runs them unsandboxed (--no-sandbox, which the composition root
   * warns about). The runner's server and runner commands never pass null.
   */
  sandbox: JobSandboxSetup | null;
}

export interface JobSandboxSetup {
  /** bwrap, as checkSandbox found it. */
  bwrap: string;
  /**
   * What no job may see even where the repository holds it: OUT (albs run keeps it inside the
   * repository), key files, keys directories. Real paths; the job runner maps them to aliases.
   */
  hidden: string[];
  /** Build uids when running as root; one pool per runner process. */
  uids: BuildUidPool;
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
  // The repository does not change while its jobs run: whether the build uid can read it is asked once.
  let repoReadable: Promise<boolean> | undefined;
  const readable = (hidden: string[]) => {
    repoReadable ??= readableByOthers(setup.repoDir, hidden);
    return repoReadable;
  };
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
      const limits = 'limits' in job ? job.limits : DEFAULT_LIMITS;
      const inputs = Object.fromEntries(
        Object.entries(item.inputs).map(([id, files]) => [id, files.map((f) => paths.map(f))]),
      );
      const uid = setup.sandbox && process.geteuid?.() === 0 ? setup.sandbox.uids.take() : undefined;
      let sandbox: Sandbox | null = null;
      if (setup.sandbox) {
        const repo = paths.map(setup.repoDir);
        const repoView =
          uid === undefined || (await readable(setup.sandbox.hidden))
            ? repo
            : {
                from: await readableCopy(setup.repoDir, `${workspace}.repo`, setup.sandbox.hidden, log),
                at: repo,
              };
        sandbox = createSandbox({
          bwrap: setup.sandbox.bwrap,
          workspace: paths.map(workspace),
          readOnly: [repoView, ...Object.values(inputs).flat()],
          hidden: setup.sandbox.hidden.map((h) => paths.map(h)),
          limits,
          buildUid: uid,
        });
      } else if (job.stage === 'build' || job.stage === 'test') {
        // Sign and publish jobs run none of the package's commands: there is nothing to sandbox.
        log.info(
          "running unsandboxed (--no-sandbox): the package's commands can read keys and write the repositories",
        );
      }
      const timeout = AbortSignal.timeout(timerDelay(job.timeout * 1000));
      const disk = watchDiskUse(workspace, limits.disk);
      const jobSignal = AbortSignal.any([signal, timeout, disk.signal]);
      try {
        outcome = await runStep(setup.steps[job.stage], {
          job,
          workspace: paths.map(workspace),
          artifacts: paths.map(artifacts),
          repoDir: paths.map(setup.repoDir),
          cache: setup.dirs.cache,
          inputs,
          lookaside: setup.lookaside,
          log,
          host: setup.host,
          signal: jobSignal,
          sandbox,
        }).then(
          (result) => toOutcome(result, signal, timeout, job.timeout, disk.signal),
          (error: unknown) => {
            if (signal.aborted) return { state: 'cancelled', reason: abortReason(signal) } as const;
            if (disk.signal.aborted) return { state: 'failure', reason: abortReason(disk.signal) } as const;
            return {
              state: 'failure',
              reason: error instanceof Error ? error.message : String(error),
            } as const;
          },
        );
      } finally {
        disk.stop();
        if (uid !== undefined) setup.sandbox?.uids.give(uid);
        await rm(`${workspace}.repo`, { recursive: true, force: true });
      }
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
function toOutcome(
  result: StepResult,
  cancel: AbortSignal,
  timeout: AbortSignal,
  seconds: number,
  disk: AbortSignal,
): Outcome {
  // A step that finished its work before it saw the signal (a publish past its switch) did it.
  if (result.state === 'success' && !timeout.aborted && !disk.aborted) return result;
  if (cancel.aborted) return { state: 'cancelled', reason: abortReason(cancel) };
  if (timeout.aborted) return { state: 'failure', reason: `timed out after ${seconds} s` };
  if (disk.aborted) return { state: 'failure', reason: abortReason(disk) };
  return result;
}

/**
 * A copy of the repository that the build uid can read, for a checkout others cannot read (made
 * with umask 077, or under a private directory): its commands see the copy at the checkout's path.
 */
async function readableCopy(repo: string, copy: string, leaveOut: string[], log: JobLog): Promise<string> {
  log.info(
    `the repository ${repo} is not readable by other users, and builds run as an unprivileged uid: this job's commands see a copy of it (chmod -R o+rX it to save the copy)`,
  );
  await rm(copy, { recursive: true, force: true });
  await copyTree(repo, copy, { leaveOut, leaveOutAtTop: /^\.git$/ });
  // What was left out gets an empty directory in the copy: where the sandbox mounts its hiding
  // place and the job's workspace, in a copy it cannot write to.
  for (const path of leaveOut) {
    const rel = relative(repo, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
    const kind = await lstat(path).catch(() => undefined);
    if (kind?.isDirectory()) await mkdir(join(copy, rel), { recursive: true });
    else if (kind) await writeFile(join(copy, rel), '');
  }
  await makeReadable(copy);
  return copy;
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason ?? 'cancelled');
}
