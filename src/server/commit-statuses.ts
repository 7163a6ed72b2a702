import type { CommitState, CommitStatus } from '../forge/forge.js';
import type { JobRecord, PipelineRecord, PipelineResult } from './pipeline-records.js';

/** GitHub answers 422 to a longer description. */
export const MAX_DESCRIPTION = 140;

export function shortDescription(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= MAX_DESCRIPTION ? line : `${line.slice(0, MAX_DESCRIPTION - 1)}…`;
}

/** A job's state as a commit status: excluded is a success that says so, skipped and cancelled are errors. */
export function jobCommitState(job: Pick<JobRecord, 'state'>): CommitState {
  switch (job.state) {
    case 'pending':
    case 'queued':
    case 'running':
      return 'pending';
    case 'success':
    case 'excluded':
      return 'success';
    case 'failure':
      return 'failure';
    default:
      return 'error';
  }
}

function jobDescription(job: JobRecord): string {
  switch (job.state) {
    case 'pending':
      return 'waiting for the jobs it needs';
    case 'queued':
      return job.reason ?? 'queued';
    case 'running':
      return 'running';
    case 'success':
      return job.durationMs === null ? 'success' : `success in ${Math.round(job.durationMs / 1000)} s`;
    case 'excluded':
      return `excluded: ${job.reason ?? ''}`;
    case 'cancelled':
      return `cancelled: ${job.reason ?? ''}`;
    case 'skipped':
      return `skipped: ${job.reason ?? ''}`;
    default:
      return `${job.state}: ${job.reason ?? ''}`;
  }
}

function summaryState(result: PipelineResult): CommitState {
  if (result === 'queued' || result === 'running') return 'pending';
  if (result === 'success') return 'success';
  if (result === 'failure') return 'failure';
  return 'error';
}

function summaryDescription(record: PipelineRecord): string {
  if (record.reason && (record.result === 'failure' || record.result === 'error')) return record.reason;
  const counts = new Map<string, number>();
  for (const job of record.jobs) counts.set(job.state, (counts.get(job.state) ?? 0) + 1);
  const parts = [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
  return `${record.result}${parts ? `: ${parts}` : ''}`;
}

/**
 * Every status a record stands for now: one per job (`albs/<job name>`, the NAME column of `albs
 * plan`), or one per stage (`albs/build` …, with counts) when the pipeline has more jobs than
 * `maxJobContexts`; then the summary `albs`.
 */
export function commitStatuses(
  record: PipelineRecord,
  targetUrl: (jobId?: string) => string,
  maxJobContexts: number,
): CommitStatus[] {
  const statuses: CommitStatus[] = [];
  if (record.jobs.length <= maxJobContexts) {
    for (const job of record.jobs) {
      statuses.push({
        context: `albs/${job.name}`,
        state: jobCommitState(job),
        description: shortDescription(jobDescription(job)),
        targetUrl: targetUrl(job.id),
      });
    }
  } else {
    for (const stage of ['build', 'test', 'sign', 'publish']) {
      const jobs = record.jobs.filter((j) => j.stage === stage);
      if (jobs.length === 0) continue;
      const states = jobs.map(jobCommitState);
      const state: CommitState = states.includes('failure')
        ? 'failure'
        : states.includes('pending')
          ? 'pending'
          : states.includes('error')
            ? 'error'
            : 'success';
      const counts = new Map<string, number>();
      for (const job of jobs) counts.set(job.state, (counts.get(job.state) ?? 0) + 1);
      statuses.push({
        context: `albs/${stage}`,
        state,
        description: shortDescription(
          `${jobs.length} jobs: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')}`,
        ),
        targetUrl: targetUrl(),
      });
    }
  }
  statuses.push({
    context: 'albs',
    state: summaryState(record.result),
    description: shortDescription(summaryDescription(record)),
    targetUrl: targetUrl(),
  });
  return statuses;
}
