import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ulid } from 'ulid';
import type {
  CommandEvent,
  CommandName,
  Forge,
  ForgeEvent,
  ForgeName,
  ForgeRepo,
  Permission,
} from '../forge/forge.js';
import { type MissingLabels, retryState } from '../pipeline/pipeline-state.js';
import type { JobResult } from '../queue/job-queue.js';
import type { Intake, IntakeOutcome } from './intake.js';
import type { PipelineRecord, PipelineRecords } from './pipeline-records.js';
import type { PipelineRunner } from './pipeline-service.js';

export interface CommentCommandsOptions {
  records: PipelineRecords;
  forges: Partial<Record<ForgeName, Forge>>;
  intake: Pick<Intake, 'start' | 'planFor'>;
  service: PipelineRunner;
  /** Whether `service` can start a retry (both the embedded runner and a farm can). */
  retries: boolean;
  /** The runner labels nobody has for a job (a retry skips those jobs again, as a start does). */
  missingLabels: MissingLabels;
  /** The page a reply links a pipeline to. */
  pipelineUrl: (id: string) => string;
  /** Statuses and metrics for a record's new state. */
  onChange: (record: PipelineRecord) => void;
  log: Logger;
  /** How long a forge's answer about a user's permission is kept. Default 60 s. */
  permissionTtlMs?: number;
  /** Milliseconds since the epoch; tests pass their own. */
  now?: () => number;
}

const NEEDED: readonly Permission[] = ['write', 'admin'];

/**
 * Carries out `/albs rebuild`, `/albs retry-failed` and `/albs cancel` from pull request and commit
 * comments. The commenter's permission is asked from the forge (kept for a minute: a burst of
 * commands asks once); only write and admin may command, anyone else gets a reply saying why. The
 * command acts on the latest pipeline albs recorded for the pull request (or the commented commit):
 *
 * - rebuild: a new pipeline for the same commit, event and ref (not deduplicated), linked to it;
 * - retry-failed: a new attempt of that pipeline, once it ended: its failed, cancelled and skipped
 *   jobs run again, the others keep their results and packages (retryState); the record keeps every
 *   job's attempts (and the earlier attempt's log as logs/JOB.attempt-N.log);
 * - cancel: stops it if it runs.
 *
 * Every accepted command is answered with a comment linking the pipeline. Replies that fail are
 * logged, never retried forever: the command's effect does not depend on them.
 */
export class CommentCommands {
  private readonly permissions = new Map<string, { permission: Permission; at: number }>();
  private readonly now: () => number;

  constructor(private readonly options: CommentCommandsOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * A command from the pipeline page's buttons, by a user signed in with the record's forge: the
   * same checks (their write access, asked from the forge) and effects as the comment, on this
   * pipeline; what a comment would have been answered comes back as `message` for the page.
   */
  async fromPage(
    record: PipelineRecord,
    command: CommandName,
    login: string,
  ): Promise<{ message: string; pipelineId?: string }> {
    const { source } = record;
    if (
      source.forge === 'submit' ||
      source.owner === undefined ||
      source.name === undefined ||
      source.sha === null
    )
      return { message: 'commands act on pipelines of a forge repository only' };
    const event: CommandEvent = {
      forge: source.forge,
      deliveryId: `page-${ulid()}`,
      event: 'page',
      repo: {
        owner: source.owner,
        name: source.name,
        ...(source.installationId !== undefined ? { installationId: source.installationId } : {}),
      },
      fullName: source.repository,
      cloneUrl: source.cloneUrl ?? '',
      htmlUrl: '',
      private: source.private,
      command,
      sender: login,
      on: source.pullRequest ? { pullRequest: source.pullRequest.number } : { commit: source.sha },
      commentId: 0,
    };
    let message = '';
    const outcome = await this.handle(event, {
      record,
      reply: async (body) => {
        message = body.replace(/^@\S+ /, '');
      },
    });
    return { message, ...(outcome.pipelineId !== undefined ? { pipelineId: outcome.pipelineId } : {}) };
  }

  /** Whether `login` may command pipelines of the record's repository (write or admin on the forge). */
  async mayCommand(record: PipelineRecord, login: string): Promise<boolean> {
    const { source } = record;
    const forge = source.forge === 'submit' ? undefined : this.options.forges[source.forge];
    if (!forge || source.owner === undefined || source.name === undefined) return false;
    const repo: ForgeRepo = {
      owner: source.owner,
      name: source.name,
      ...(source.installationId !== undefined ? { installationId: source.installationId } : {}),
    };
    const permission = await this.permission(forge, repo, source.repository, login).catch(
      () => 'none' as const,
    );
    return NEEDED.includes(permission);
  }

  async handle(
    event: CommandEvent,
    /** From the page: the pipeline it is about, and where its answer goes instead of a comment. */
    page?: { record: PipelineRecord; reply: (body: string) => Promise<void> },
  ): Promise<IntakeOutcome> {
    const log = this.options.log.child({
      deliveryId: event.deliveryId,
      forge: event.forge,
      repo: event.fullName,
      command: event.command,
      sender: event.sender,
    });
    const forge = this.options.forges[event.forge];
    if (!forge) return { ignored: `no ${event.forge} in the server config` };
    const reply = (body: string) =>
      page
        ? page.reply(`@${event.sender} ${body}`)
        : forge.comment(event.repo, event.on, `@${event.sender} ${body}`).catch((error: unknown) => {
            log.warn({ err: error }, 'could not reply to a comment command');
          });
    const command = `\`/albs ${event.command}\``;

    let permission: Permission;
    try {
      permission = await this.permission(forge, event.repo, event.fullName, event.sender);
    } catch (error) {
      log.error({ err: error }, 'could not ask the forge for the commenter’s permission');
      await reply(
        `${command} was not carried out: albs could not ask ${forgeTitle(event.forge)} for your permission on ${event.fullName} (the server's log says why). Try again later.`,
      );
      return { ignored: `the permission of ${event.sender} could not be asked` };
    }
    if (!NEEDED.includes(permission)) {
      log.info({ permission }, 'comment command refused: no write access');
      await reply(
        `${command} needs write access to ${event.fullName}; ${forgeTitle(event.forge)} says you have ${permission === 'none' ? 'no access' : `${permission} access`}. Ask a maintainer to run it.`,
      );
      return { ignored: `${event.sender} has ${permission} access, not write` };
    }

    const where = 'pullRequest' in event.on ? 'this pull request' : 'this commit';
    const record = page?.record ?? this.latest(event);
    if (!record) {
      await reply(`${command}: albs has no pipeline of ${where} to act on.`);
      return { ignored: `no pipeline for ${where}` };
    }
    const link = `[${record.id}](${this.options.pipelineUrl(record.id)})`;
    log.info({ pipelineId: record.id }, 'comment command accepted');

    switch (event.command) {
      case 'cancel': {
        if (record.finishedAt !== null) {
          await reply(`pipeline ${link} has already ended (${record.result}): nothing to cancel.`);
          return { pipelineId: record.id, ignored: 'the pipeline had ended' };
        }
        await this.options.service.cancel(record.id, `cancelled by ${event.sender} (/albs cancel)`);
        await reply(`cancelling pipeline ${link}.`);
        return { pipelineId: record.id };
      }
      case 'rebuild': {
        if (record.trigger.event === 'pull_request' && !record.source.pullRequest) {
          // A record from before albs kept a pull request's base: its config's commit is unknown.
          await reply(
            `pipeline ${link} predates comment commands: push to the pull request to build it again.`,
          );
          return { pipelineId: record.id, ignored: 'the record does not name the pull request base' };
        }
        const outcome = await this.options.intake.start(
          rebuildEvent(event, record),
          new Date(this.now()).toISOString(),
          record.id,
        );
        if (outcome.pipelineId === undefined || outcome.ignored !== undefined) {
          await reply(
            `${command} of pipeline ${link} made no pipeline: ${outcome.ignored ?? 'see the server log'}.`,
          );
          return outcome;
        }
        const fresh = `[${outcome.pipelineId}](${this.options.pipelineUrl(outcome.pipelineId)})`;
        await reply(
          `rebuilding ${record.source.sha?.slice(0, 12) ?? ''}: pipeline ${fresh} (a rebuild of ${link}).`,
        );
        return outcome;
      }
      case 'retry-failed':
        return this.retry(event, record, link, reply);
    }
  }

  private async retry(
    event: CommandEvent,
    record: PipelineRecord,
    link: string,
    reply: (body: string) => Promise<void>,
  ): Promise<IntakeOutcome> {
    const { records } = this.options;
    if (record.finishedAt === null) {
      await reply(
        `pipeline ${link} is still running: \`/albs retry-failed\` retries the jobs of a pipeline that has ended (\`/albs cancel\` ends it).`,
      );
      return { pipelineId: record.id, ignored: 'the pipeline is still running' };
    }
    if (!this.options.retries) {
      await reply(
        `this albs farm cannot retry the failed jobs of a pipeline yet; \`/albs rebuild\` builds ${link}'s commit again.`,
      );
      return { pipelineId: record.id, ignored: 'retries are not supported by this server' };
    }
    let planned: Awaited<ReturnType<Intake['planFor']>>;
    try {
      planned = await this.options.intake.planFor(record);
    } catch (error) {
      await reply(
        `\`/albs retry-failed\` of pipeline ${link}: its plan cannot be made again (${messageOf(error)}).`,
      );
      return { pipelineId: record.id, ignored: `no plan: ${messageOf(error)}` };
    }
    const { plan } = planned;
    const previous = Object.fromEntries(record.jobs.map((j) => [j.id, j]));
    const unknown = plan.jobs.filter((j) => previous[j.id] === undefined).map((j) => j.id);
    if (unknown.length > 0 || plan.jobs.length !== record.jobs.length) {
      await reply(
        `\`/albs retry-failed\` of pipeline ${link}: its jobs are no longer those its config plans now (${unknown.join(', ') || 'jobs were removed'}); \`/albs rebuild\` runs it whole.`,
      );
      return { pipelineId: record.id, ignored: 'the plan changed' };
    }
    const state = retryState(plan, previous, this.options.missingLabels);
    const again = plan.jobs.filter((j) => state.jobs[j.id]?.state === 'pending').map((j) => j.id);
    if (again.length === 0) {
      await reply(`pipeline ${link} has no failed, cancelled or skipped job to retry.`);
      return { pipelineId: record.id, ignored: 'nothing to retry' };
    }
    const dir = records.pipelineDir(record.id);
    const results: Record<string, JobResult> = {};
    for (const job of record.jobs) {
      if (state.jobs[job.id]?.state !== 'success' || job.state !== 'success') continue;
      results[job.id] = {
        pipelineId: record.id,
        jobId: job.id,
        outcome: { state: 'success' },
        artifacts: job.artifacts.map((a) => join(dir, a)),
        durationMs: job.durationMs ?? 0,
      };
    }
    const attempt = (record.attempt ?? 1) + 1;
    // The earlier attempt's logs of the jobs that run again are kept beside theirs.
    await Promise.all(
      again.map((id) =>
        rename(join(dir, 'logs', `${id}.log`), join(dir, 'logs', `${id}.attempt-${attempt - 1}.log`)).catch(
          () => undefined,
        ),
      ),
    );
    await records.update(record.id, (r) => {
      r.attempt = attempt;
      r.retries = [
        ...(r.retries ?? []),
        {
          attempt,
          requestedBy: event.sender,
          deliveryId: event.deliveryId,
          at: new Date(this.now()).toISOString(),
        },
      ];
      r.result = 'queued';
      r.reason = null;
      r.repos = [];
      for (const job of r.jobs) {
        const status = state.jobs[job.id];
        if (!status || status.state === 'success' || status.state === 'excluded') continue;
        job.state = status.state;
        job.reason = status.reason;
        job.durationMs = null;
        job.artifacts = [];
        job.log = null;
      }
    });
    const fresh = records.get(record.id)!;
    this.options.onChange(fresh);
    // A retry supersedes nothing: with cancel-in-progress it would cancel a newer pipeline of the
    // same ref when the comment is on an older commit.
    void this.options.service
      .run(fresh, plan, false, { state, results })
      .catch((error: unknown) =>
        this.options.log.error({ err: error, pipelineId: record.id }, 'retry crashed'),
      );
    const kept = plan.jobs.length - again.length;
    await reply(
      `retrying pipeline ${link} (attempt ${attempt}): ${again.map((id) => `\`${id}\``).join(', ')} run again; ${kept} job${kept === 1 ? '' : 's'} keep${kept === 1 ? 's' : ''} ${kept === 1 ? 'its' : 'their'} result.`,
    );
    return { pipelineId: record.id };
  }

  /** The forge's answer, kept for permissionTtlMs: a burst of commands asks once. */
  private async permission(
    forge: Forge,
    repo: ForgeRepo,
    fullName: string,
    user: string,
  ): Promise<Permission> {
    const key = `${forge.name}\n${fullName.toLowerCase()}\n${user.toLowerCase()}`;
    const ttl = this.options.permissionTtlMs ?? 60_000;
    const cached = this.permissions.get(key);
    if (cached && this.now() - cached.at < ttl) return cached.permission;
    const permission = await forge.permission(repo, user);
    this.permissions.set(key, { permission, at: this.now() });
    // Old answers go: the map never outgrows the commenters of the last minute by much.
    for (const [k, v] of this.permissions) if (this.now() - v.at >= ttl) this.permissions.delete(k);
    return permission;
  }

  /** The newest pipeline (with jobs) of the pull request or commit the comment is on. */
  private latest(event: CommandEvent): PipelineRecord | undefined {
    const all = this.options.records.list({ repo: event.fullName, limit: Number.MAX_SAFE_INTEGER });
    return all.find(
      (r) =>
        r.source.forge === event.forge &&
        r.jobs.length > 0 &&
        ('pullRequest' in event.on
          ? r.source.ref === `refs/pull/${event.on.pullRequest}/head`
          : r.source.sha === event.on.commit),
    );
  }
}

/** The delivery a rebuild stands for: the record's commit, event and ref, asked for by the commenter. */
function rebuildEvent(event: CommandEvent, record: PipelineRecord): ForgeEvent {
  const { source } = record;
  return {
    forge: event.forge,
    deliveryId: event.deliveryId,
    event: source.event,
    repo: event.repo,
    fullName: event.fullName,
    cloneUrl: source.cloneUrl ?? event.cloneUrl,
    htmlUrl: event.htmlUrl,
    private: event.private,
    trigger: record.trigger,
    sha: source.sha ?? '',
    fetchRef: source.ref,
    sender: event.sender,
    ...(source.pullRequest ? { pullRequest: source.pullRequest } : {}),
  };
}

function forgeTitle(forge: ForgeName): string {
  return forge === 'gitea' ? 'Gitea' : 'GitHub';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
