import { REPO_NAME } from '../src/config/check-config.js';
import { macroProblem } from '../src/config/check-macros.js';
import { PLAN_VERSION, type Stage } from '../src/plan/types.js';
import type { QueuedJob } from '../src/queue/job-queue.js';

/** What the planner makes every job id match; the id names the job's workspace, artifacts and log. */
export const JOB_ID = /^[a-z0-9][a-z0-9._-]*$/;
/** sign.key, as the schema checks it: the key ring resolves the name to a file (NAME.asc). */
export const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** build.network, or any test step's network. */
function asksForNetwork(job: Record<string, unknown>): boolean {
  if (job.network === true) return true;
  const steps = job.steps;
  return Array.isArray(steps) && steps.some((s) => (s as { network?: unknown } | null)?.network === true);
}

/**
 * Why a runner must not run `item`, or undefined. A queued job comes from outside the runner (a
 * queue, another version of albs, a damaged payload), and its id, repo and key become paths: each
 * is checked before anything touches the disk, and a job that fails here is never worth retrying.
 */
export function queuedJobProblem(item: QueuedJob, stages: readonly Stage[]): string | undefined {
  if (item.planVersion !== PLAN_VERSION) {
    return `the job was planned with plan version ${String(item.planVersion)}; this runner runs version ${PLAN_VERSION}: upgrade the runner or the server so they match`;
  }
  // Typed as a Job, but only as far as whoever queued it is trusted: check what becomes a path.
  const job = item.job as unknown as Record<string, unknown> | undefined;
  if (typeof job !== 'object' || job === null)
    return 'the queued payload holds no job: it was not made by albs plan';
  const { id, stage, timeout } = job;
  if (typeof id !== 'string' || !JOB_ID.test(id)) {
    return `job id ${JSON.stringify(id)} does not match ${JOB_ID} (it names the job's workspace, artifacts and log): the job was not made by albs plan, or the queue holds a damaged payload`;
  }
  if (typeof stage !== 'string' || !(stages as readonly string[]).includes(stage)) {
    return `job ${id} has stage ${JSON.stringify(stage)}, which this runner does not run (${stages.join(', ')})`;
  }
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
    return `job ${id} has timeout ${JSON.stringify(timeout)}; it must be a positive number of seconds`;
  }
  if (item.trigger?.event === 'pull_request' && asksForNetwork(job)) {
    return `job ${id} asks for network in a pull-request pipeline (${item.trigger.ref}); pull requests never get network`;
  }
  if (stage === 'build') {
    const macros = job.macros;
    if (typeof macros !== 'object' || macros === null || Array.isArray(macros)) {
      return `job ${id} has macros ${JSON.stringify(macros)}; a build job carries an object of rpm macros: the job was not made by albs plan`;
    }
    for (const [name, value] of Object.entries(macros)) {
      const problem =
        typeof value === 'string' ? macroProblem(name, value) : `the macro ${name} is not a string`;
      if (problem) return `job ${id}: ${problem}`;
    }
  }
  if (stage === 'sign' || stage === 'publish') {
    // Defence in depth: the planner never makes these for a pull request; a runner never runs one.
    if (item.trigger?.event === 'pull_request') {
      return `job ${id} would ${stage} for a pull request (${item.trigger.ref}); pull requests are never signed or published`;
    }
    const { repo, key } = job;
    if (typeof repo !== 'string' || !REPO_NAME.test(repo)) {
      return `job ${id} names repo ${JSON.stringify(repo)}, which does not match ${REPO_NAME} (it becomes a directory name): the job was not made by albs plan`;
    }
    if (typeof key !== 'string' || !KEY_NAME.test(key)) {
      return `job ${id} names key ${JSON.stringify(key)}, which does not match ${KEY_NAME} (the key ring turns it into a file name): the job was not made by albs plan`;
    }
  }
  return undefined;
}
