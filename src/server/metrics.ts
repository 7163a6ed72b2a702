import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The figures `GET /metrics` shows (names frozen by the `albs serve` contract). Jobs by state and the
 * queue depth are counted when scraped, from `jobStates` (the states of the jobs of the pipelines not
 * finished), not kept up to date on every change.
 */
export class Metrics {
  readonly registry = new Registry();

  constructor(
    private readonly jobStates: () => Iterable<string> = () => [],
    /** A farm's connected runners and signers, read when scraped (none without a farm). */
    private readonly runnerList: () => Promise<
      { name: string; role: string; running: unknown[] }[]
    > = async () => [],
  ) {}

  private counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const state of this.jobStates()) counts.set(state, (counts.get(state) ?? 0) + 1);
    return counts;
  }

  readonly deliveries = new Counter({
    name: 'albs_webhook_deliveries_total',
    help: 'Webhook deliveries by forge, event and what became of them',
    labelNames: ['forge', 'event', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly pipelines = new Counter({
    name: 'albs_pipelines_total',
    help: 'Finished pipelines by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly jobs: Gauge<'state'> = new Gauge({
    name: 'albs_jobs',
    help: 'Jobs of running pipelines by state',
    labelNames: ['state'] as const,
    registers: [this.registry],
    collect: () => {
      this.jobs.reset();
      for (const [state, n] of this.counts()) this.jobs.set({ state }, n);
    },
  });
  readonly queueDepth: Gauge = new Gauge({
    name: 'albs_queue_depth',
    help: 'Jobs queued and not yet taken by a runner',
    registers: [this.registry],
    collect: (): void => {
      this.queueDepth.set(this.counts().get('queued') ?? 0);
    },
  });
  readonly jobDuration = new Histogram({
    name: 'albs_job_duration_seconds',
    help: 'How long finished jobs ran, by stage and arch',
    labelNames: ['stage', 'arch'] as const,
    buckets: [1, 5, 15, 60, 300, 900, 1800, 3600, 7200, 14400],
    registers: [this.registry],
  });
  readonly runners: Gauge<'role'> = new Gauge({
    name: 'albs_runners',
    help: 'Connected runners and signers, by role',
    labelNames: ['role'] as const,
    registers: [this.registry],
    collect: async () => {
      const list = await this.runnerList();
      this.runners.reset();
      this.runnerJobs.reset();
      for (const role of ['runner', 'signer'])
        this.runners.set({ role }, list.filter((r) => r.role === role).length);
      for (const runner of list) this.runnerJobs.set({ name: runner.name }, runner.running.length);
    },
  });
  readonly runnerJobs: Gauge<'name'> = new Gauge({
    name: 'albs_runner_jobs',
    help: 'Jobs each connected runner or signer is running',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });
  readonly statusPosts = new Counter({
    name: 'albs_status_posts_total',
    help: 'Commit statuses posted to a forge, by outcome',
    labelNames: ['forge', 'outcome'] as const,
    registers: [this.registry],
  });
}
