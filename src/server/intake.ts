import type { Logger } from 'pino';
import { ulid } from 'ulid';
import { formatProblem, loadConfig } from '../config/index.js';
import {
  type CommandEvent,
  type Forge,
  type ForgeEvent,
  type ForgeName,
  isCommandEvent,
} from '../forge/forge.js';
import { buildPlan } from '../plan/build-plan.js';
import type { Plan } from '../plan/types.js';
import type { DeliveryJournal, JournalEntry } from './delivery-journal.js';
import { type PipelineRecord, type PipelineRecords, pipelineKey } from './pipeline-records.js';
import { jobRecords, type PipelineRunner } from './pipeline-service.js';

/** What intake needs of the git cache (src/sources/git-cache.ts). */
export interface GitSource {
  fetch(url: string, ref: string, sha: string, authHeader?: string): Promise<void>;
  readFile(url: string, sha: string, path: string): Promise<Buffer | undefined>;
  commitOf(url: string, sha: string): Promise<string>;
  exportTree(url: string, sha: string, dest: string): Promise<void>;
}

export interface IntakeOptions {
  journal: DeliveryJournal;
  records: PipelineRecords;
  git: GitSource;
  forges: Partial<Record<ForgeName, Forge>>;
  service: PipelineRunner;
  /** Statuses (and metrics) for a record's current state. */
  onChange: (record: PipelineRecord) => void;
  /** Carries out a comment command (./comment-commands.ts); without it commands are ignored. */
  commands?: (event: CommandEvent) => Promise<{ pipelineId?: string; ignored?: string }>;
  log: Logger;
}

/** What intake made of a delivery: the pipeline it made or found, or why none. */
export interface IntakeOutcome {
  pipelineId?: string;
  ignored?: string;
}

export const CONFIG_FILE = '.albs.yml';

/**
 * Turns recorded deliveries into pipelines after the webhook was answered: fetch the commit into
 * the git cache, read `.albs.yml` at that exact sha (a pull request's from its base branch: a pull
 * request cannot change what is enforced), plan, record, post the pending statuses, hand the
 * pipeline to the service. One pipeline per (repository, sha, event, ref): a tag's `create` and
 * its `push`, or a redelivery, make one.
 *
 * Deliveries of one repository and ref are taken in one at a time, in order of arrival (a newer
 * push must supersede an older one, not race it); different refs and repositories go side by side,
 * so one slow fetch holds up only its own ref.
 */
export class Intake {
  /** The last work queued per lane (repository and ref); a lane is dropped once it is idle. */
  private readonly lanes = new Map<string, Promise<void>>();

  constructor(private readonly options: IntakeOptions) {}

  /** Resumes what a previous run of the server recorded but did not take in. */
  async resume(): Promise<void> {
    for (const entry of await this.options.journal.pending()) this.take(entry);
    await this.idle();
  }

  /** Takes `entry` in after the earlier deliveries of its repository and ref. */
  take(entry: JournalEntry): void {
    const { event } = entry;
    this.enqueue(
      () => this.process(entry),
      isCommandEvent(event)
        ? `${event.forge}\n${event.fullName}\ncommands`
        : `${event.forge}\n${event.fullName}\n${event.trigger.event}\n${event.trigger.ref}`,
    );
  }

  /** Runs `work` after the work queued before it in the same lane. */
  enqueue(work: () => Promise<void>, lane = 'submissions'): void {
    const next = (this.lanes.get(lane) ?? Promise.resolve()).then(() =>
      work().catch((error: unknown) => {
        this.options.log.error({ err: error }, 'intake failed');
      }),
    );
    this.lanes.set(lane, next);
    void next.then(() => {
      if (this.lanes.get(lane) === next) this.lanes.delete(lane);
    });
  }

  /** Resolves once everything taken so far is taken in (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.lanes.size > 0) await Promise.all(this.lanes.values());
  }

  private async process(entry: JournalEntry): Promise<void> {
    const { event } = entry;
    let outcome: IntakeOutcome;
    if (isCommandEvent(event)) {
      outcome = this.options.commands
        ? await this.options.commands(event)
        : { ignored: 'this server carries out no comment commands' };
    } else {
      outcome = await this.start(event, entry.receivedAt);
    }
    await this.options.journal.done(entry, outcome);
  }

  /**
   * Makes the pipeline of `event`: fetch, config, plan, record, statuses, run. Without `rebuildOf`
   * a (repository, commit, event, ref) that has a pipeline makes none; with it (`/albs rebuild` of
   * that pipeline) a new one is made all the same.
   */
  async start(event: ForgeEvent, receivedAt: string, rebuildOf?: string): Promise<IntakeOutcome> {
    const { records, git, forges } = this.options;
    const log = this.options.log.child({
      deliveryId: event.deliveryId,
      forge: event.forge,
      repo: event.fullName,
      sha: event.sha,
    });
    const done = async (outcome: IntakeOutcome) => outcome;
    const forge = forges[event.forge];
    if (!forge) return done({ ignored: `no ${event.forge} in the server config` });

    // The commit first: a pipeline is one per (repository, commit, event, ref), and an annotated
    // tag's create event names the tag object where its push names the commit.
    let sha = event.sha;
    let configText: Buffer | undefined;
    let fetchError: unknown;
    try {
      const auth = await forge.cloneAuthHeader(event.repo);
      await git.fetch(event.cloneUrl, event.fetchRef, event.sha, auth);
      sha = await git.commitOf(event.cloneUrl, event.sha);
      const pr = event.pullRequest;
      if (pr) await git.fetch(event.cloneUrl, `refs/heads/${pr.baseRef}`, pr.baseSha, auth);
      configText = await git.readFile(event.cloneUrl, pr ? pr.baseSha : sha, CONFIG_FILE);
    } catch (error) {
      fetchError = error;
    }

    const id = ulid();
    const existing =
      rebuildOf === undefined
        ? await records.claim(pipelineKey(event.forge, event.fullName, sha, event.trigger), id)
        : undefined;
    if (existing !== undefined) {
      log.info({ pipelineId: existing }, 'delivery for a pipeline that exists: nothing new');
      return done({ pipelineId: existing, ignored: 'a pipeline for this commit and ref exists' });
    }
    const record: PipelineRecord = {
      version: 1,
      id,
      source: {
        forge: event.forge,
        repository: event.fullName,
        cloneUrl: event.cloneUrl,
        sha,
        ref: event.fetchRef,
        event: event.event,
        deliveryId: event.deliveryId,
        sender: event.sender,
        private: event.private,
        owner: event.repo.owner,
        name: event.repo.name,
        ...(event.repo.installationId !== undefined ? { installationId: event.repo.installationId } : {}),
        ...(event.pullRequest
          ? {
              pullRequest: {
                number: event.pullRequest.number,
                baseRef: event.pullRequest.baseRef,
                baseSha: event.pullRequest.baseSha,
                fromFork: event.pullRequest.fromFork,
              },
            }
          : {}),
        ...(rebuildOf !== undefined ? { rebuildOf } : {}),
      },
      trigger: event.trigger,
      result: 'queued',
      reason: null,
      createdAt: receivedAt,
      startedAt: null,
      finishedAt: null,
      jobs: [],
      repos: [],
    };
    const fail = async (result: 'failure' | 'error', reason: string) => {
      await records.update(id, (r) => {
        r.result = result;
        r.reason = reason;
        r.finishedAt = new Date().toISOString();
      });
      log.info({ pipelineId: id, result, reason }, 'pipeline ended before it started');
      this.options.onChange(records.get(id)!);
      return done({ pipelineId: id });
    };
    if (fetchError !== undefined) {
      await records.create(record);
      return fail('error', `could not fetch ${event.fetchRef} (${event.sha}): ${messageOf(fetchError)}`);
    }
    if (configText === undefined) {
      // A repository without .albs.yml does not use albs: nothing to report.
      await records.create({ ...record, result: 'cancelled', reason: `no ${CONFIG_FILE} at ${sha}` });
      log.info({ pipelineId: id }, `no ${CONFIG_FILE}: no pipeline`);
      return done({ pipelineId: id, ignored: `no ${CONFIG_FILE}` });
    }
    const loaded = loadConfig(configText.toString('utf8'), CONFIG_FILE);
    if (loaded.config === null) {
      await records.create(record);
      const first = loaded.problems.find((p) => p.severity === 'error') ?? loaded.problems[0];
      return fail(
        'failure',
        first ? formatProblem(first).replace(/: error:/, ':') : `${CONFIG_FILE} is invalid`,
      );
    }
    const config = loaded.config;
    if (event.pullRequest?.fromFork && config.on?.pullRequests !== true) {
      await records.create({
        ...record,
        result: 'cancelled',
        reason: 'a pull request from a fork: the base branch does not say on.pull_requests: true',
      });
      return done({ pipelineId: id, ignored: 'fork pull request without on.pull_requests: true' });
    }
    const plan = buildPlan(config, event.trigger);
    if (plan.skipped) {
      await records.create({ ...record, result: 'cancelled', reason: plan.skipped.reason });
      log.info({ pipelineId: id, reason: plan.skipped.reason }, 'no pipeline');
      return done({ pipelineId: id, ignored: plan.skipped.reason });
    }
    record.jobs = jobRecords(plan);
    await records.create(record);
    log.info({ pipelineId: id, jobs: plan.jobs.length }, 'pipeline queued');
    this.options.onChange(records.get(id)!);
    // The run goes on beside the intake (the runner checks the tree out when the first job starts):
    // the next delivery's pending statuses do not wait for this pipeline.
    void this.options.service
      .run(records.get(id)!, plan, config.concurrency.cancelInProgress)
      .then(() => log.info({ pipelineId: id, result: records.get(id)?.result }, 'pipeline finished'))
      .catch((error: unknown) => log.error({ err: error, pipelineId: id }, 'pipeline crashed'));
    return { pipelineId: id };
  }

  /**
   * The plan a record was run with, made again: its config read at its commit (a pull request's at
   * its base) from the git cache, fetched again if the cache lost it. Plans are deterministic, so
   * job ids are the record's. Throws with the reason when the config cannot be read or no longer
   * plans.
   */
  async planFor(record: PipelineRecord): Promise<{ plan: Plan; cancelInProgress: boolean }> {
    const { git, forges } = this.options;
    const { forge: forgeName, cloneUrl, sha, pullRequest, ref } = record.source;
    if (forgeName === 'submit' || cloneUrl === null || sha === null) {
      throw new Error(`pipeline ${record.id} is a submission: only forge pipelines are planned again`);
    }
    if (record.trigger.event === 'pull_request' && !pullRequest) {
      // Never the head's own config: a pull request cannot change what is enforced.
      throw new Error(`pipeline ${record.id} does not record its pull request's base branch`);
    }
    const configSha = pullRequest ? pullRequest.baseSha : sha;
    let text = await git.readFile(cloneUrl, configSha, CONFIG_FILE).catch(() => undefined);
    if (text === undefined) {
      const forge = forges[forgeName];
      const repo = { owner: record.source.owner ?? '', name: record.source.name ?? '' };
      const installationId = record.source.installationId;
      const auth = await forge?.cloneAuthHeader(
        installationId !== undefined ? { ...repo, installationId } : repo,
      );
      await git.fetch(cloneUrl, ref, sha, auth);
      if (pullRequest)
        await git.fetch(cloneUrl, `refs/heads/${pullRequest.baseRef}`, pullRequest.baseSha, auth);
      text = await git.readFile(cloneUrl, configSha, CONFIG_FILE);
    }
    if (text === undefined) throw new Error(`no ${CONFIG_FILE} at ${configSha}`);
    const loaded = loadConfig(text.toString('utf8'), CONFIG_FILE);
    if (loaded.config === null) throw new Error(`${CONFIG_FILE} at ${configSha} is invalid`);
    const plan = buildPlan(loaded.config, record.trigger);
    if (plan.skipped) throw new Error(plan.skipped.reason);
    return { plan, cancelInProgress: loaded.config.concurrency.cancelInProgress };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
