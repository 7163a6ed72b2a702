/**
 * `albs serve`: the composition root of the all-in-one farm. The webhook side (src/server), the
 * forges' adapters (src/forge), the git cache (src/sources) and the runner of `albs run`
 * (runner/), always sandboxed, in one process; keys from keys-dir, never throwaway ones.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import picomatch from 'picomatch';
import { pino } from 'pino';
import { detectHost } from '../../runner/host-facts.js';
import { jobDirs, jobRunner } from '../../runner/job-runner.js';
import { BuildUidPool, checkSandbox } from '../../runner/sandbox.js';
import { buildStep } from '../../runner/steps/build.js';
import { publishStep } from '../../runner/steps/publish.js';
import { signStep } from '../../runner/steps/sign.js';
import { testStep } from '../../runner/steps/test.js';
import type { Step } from '../../runner/types.js';
import type { CommitStatus, Forge, ForgeName, ForgeRepo } from '../forge/forge.js';
import { parseGiteaEvent } from '../forge/gitea/gitea-events.js';
import { GiteaForge } from '../forge/gitea/gitea-forge.js';
import { parseGithubEvent } from '../forge/github/github-events.js';
import { GithubForge } from '../forge/github/github-forge.js';
import { StatusReporter } from '../forge/status-reporter.js';
import type { Job } from '../plan/types.js';
import { MemoryJobQueue } from '../queue/memory/memory-job-queue.js';
import { CommentCommands } from '../server/comment-commands.js';
import { commitStatuses } from '../server/commit-statuses.js';
import { DeliveryJournal } from '../server/delivery-journal.js';
import { createHttpServer, type WebhookEndpoint, webhookVerifier } from '../server/http-server.js';
import { Intake } from '../server/intake.js';
import { Metrics } from '../server/metrics.js';
import { pageRoutes } from '../server/pages/page-routes.js';
import { oauthProviders, SignIn } from '../server/pages/sign-in.js';
import { type PipelineRecord, PipelineRecords } from '../server/pipeline-records.js';
import { PipelineService } from '../server/pipeline-service.js';
import type { ServerConfig } from '../server/server-config.js';
import type { ServerSecrets } from '../server/server-secrets.js';
import { submit } from '../server/submissions.js';
import { GitCache } from '../sources/git-cache.js';
import { serverKeyRing } from './key-ring-dir.js';
import { connectFarm, startFarm } from './serve-farm.js';

export interface RunningServer {
  /** The port the server listens on (the config's, or the one the kernel chose for port 0). */
  port: number;
  /** Stops taking deliveries and jobs, lets running jobs finish, posts what is left. */
  close(): Promise<void>;
}

export async function startServer(options: {
  config: ServerConfig;
  secrets: ServerSecrets;
}): Promise<RunningServer> {
  const { config, secrets } = options;
  const log = pino({ base: { service: 'albs-serve' } });
  const dataDir = resolve(config.dataDir);
  // A farm's server runs no build unless it has a runner: section: bubblewrap is needed only where jobs run.
  const bwrap = config.embeddedRunner ? checkSandbox(process.env.PATH ?? '') : '';
  const host = await detectHost(config.runner.labels);
  const publicUrl = config.publicUrl.replace(/\/+$/, '');
  // The pipelines not finished yet: /metrics counts their jobs by state when it is scraped.
  const active = new Map<string, PipelineRecord>();
  let farmRunners: (() => Promise<{ name: string; role: string; running: unknown[] }[]>) | undefined;
  const metrics = new Metrics(
    function* () {
      for (const record of active.values()) for (const job of record.jobs) yield job.state;
    },
    async () => (farmRunners ? farmRunners() : []),
  );

  const forges: Partial<Record<ForgeName, Forge>> = {};
  const endpoints: Partial<Record<ForgeName, WebhookEndpoint>> = {};
  if (config.gitea) {
    forges.gitea = new GiteaForge({ url: config.gitea.url, token: secrets.giteaToken });
    endpoints.gitea = {
      webhooks: webhookVerifier(secrets.giteaWebhookSecret ?? ''),
      parse: parseGiteaEvent,
    };
  }
  if (config.github) {
    const github = new GithubForge({
      appId: config.github.appId,
      privateKey: secrets.githubPrivateKey ?? '',
      apiUrl: config.github.apiUrl,
      secret: secrets.githubWebhookSecret ?? '',
    });
    forges.github = github;
    // One verifier for both forges: Probot 14 makes its own Webhooks only once it has loaded an app.
    endpoints.github = {
      webhooks: webhookVerifier(secrets.githubWebhookSecret ?? ''),
      parse: parseGithubEvent,
    };
  }
  const reporters: Partial<Record<ForgeName, StatusReporter>> = {};
  for (const [name, forge] of Object.entries(forges) as [ForgeName, Forge][]) {
    reporters[name] = new StatusReporter({
      forge,
      log,
      // GitHub limits content-creating requests per minute: its posts are paced.
      minIntervalMs: name === 'github' ? 1000 : 0,
      onPost: (outcome) => metrics.statusPosts.inc({ forge: name, outcome }),
    });
  }

  // A farm keeps records and delivery ids in Redis, shared by every replica; each replica keeps a
  // journal of its own (deliveries it answered 202 for) on the shared data-dir.
  const farmRedis = config.redis ? await connectFarm(config.redis, dataDir, log) : undefined;
  const records = await PipelineRecords.open(join(dataDir, 'pipelines'), farmRedis?.shared);
  const journal = farmRedis
    ? await DeliveryJournal.open(
        join(dataDir, 'deliveries', `${hostname()}-${config.listen.port}`),
        Date.now(),
        (name) => farmRedis.shared.firstDelivery(name),
      )
    : await DeliveryJournal.open(join(dataDir, 'deliveries'));
  // A job's status links to the job's page, the summary `albs` to the pipeline's.
  const targetUrl = (id: string) => (jobId?: string) =>
    `${publicUrl}/pipelines/${id}${jobId === undefined ? '' : `/jobs/${jobId}`}`;
  // What was last posted per pipeline and context: a change posts only the statuses it changed.
  const posted = new Map<string, Map<string, string>>();
  const report = (record: PipelineRecord) => {
    const { forge, owner, name, installationId, sha } = record.source;
    if (forge === 'submit' || owner === undefined || name === undefined || sha === null) return;
    const reporter = reporters[forge];
    if (!reporter) return;
    const repo: ForgeRepo = { owner, name, ...(installationId !== undefined ? { installationId } : {}) };
    const seen = posted.get(record.id) ?? new Map<string, string>();
    posted.set(record.id, seen);
    for (const status of commitStatuses(record, targetUrl(record.id), config.statuses.maxJobContexts)) {
      const key = `${status.state}\n${status.description}`;
      if (seen.get(status.context) === key) continue;
      seen.set(status.context, key);
      reporter.report(repo, sha, status satisfies CommitStatus);
    }
    if (record.finishedAt !== null) posted.delete(record.id);
  };
  const onChange = (record: PipelineRecord) => {
    report(record);
    if (record.finishedAt === null) active.set(record.id, record);
    else if (active.delete(record.id) || record.startedAt === null) {
      metrics.pipelines.inc({ result: record.result });
      for (const job of record.jobs) {
        if (job.durationMs !== null) {
          metrics.jobDuration.observe({ stage: job.stage, arch: job.arch ?? 'none' }, job.durationMs / 1000);
        }
      }
    }
  };

  const keys = serverKeyRing(config.keysDir);
  const uids = new BuildUidPool();
  const reposDir = join(dataDir, 'repos');
  const repoUrl = (repo: string) => `${publicUrl}/repos/${encodeURIComponent(repo)}/`;
  const git = new GitCache({
    dir: join(dataDir, 'cache', 'git'),
    maxBytes: config.cache.maxSize,
    log: (line) => log.debug(line),
  });
  // The commit's tree is written when the pipeline's first job needs it, not at intake: a
  // delivery's pending statuses never wait for a checkout.
  const checkouts = new Map<string, Promise<string>>();
  const checkout = (record: PipelineRecord): Promise<string> => {
    let done = checkouts.get(record.id);
    if (!done) {
      const src = join(records.pipelineDir(record.id), 'src');
      done = (async () => {
        const { cloneUrl, sha } = record.source;
        if (existsSync(src) || cloneUrl === null || sha === null) await mkdir(src, { recursive: true });
        else await git.exportTree(cloneUrl, sha, src);
        return src;
      })();
      done.catch(() => checkouts.delete(record.id));
      checkouts.set(record.id, done);
    }
    return done;
  };
  const farm = farmRedis
    ? await startFarm({
        config,
        secrets,
        farmRedis,
        records,
        dataDir,
        reposDir,
        host,
        source: checkout,
        refused: (record, job) => allowProblem(config, record, job),
        allowed: (record, what, step) => allowed(config, record, what, step),
        onChange,
        repoUrl,
        log,
      })
    : undefined;
  if (farm) farmRunners = () => farm.runners.list();

  // A pipeline that was running when the server stopped: in a farm another replica, or this one
  // now, carries it on from its state in Redis. Otherwise it ends in error: its jobs are gone with
  // the process, and a repository is switched whole or not at all, so nothing is half-published.
  for (const record of records.list({ limit: Number.MAX_SAFE_INTEGER })) {
    if (record.result !== 'queued' && record.result !== 'running') continue;
    if (farm && (await farm.pipelines.resume(record))) {
      log.info(
        { pipelineId: record.id, repo: record.source.repository },
        'pipeline carried on after a restart',
      );
      continue;
    }
    await records.update(record.id, (r) => {
      r.result = 'error';
      r.reason = 'server restarted';
      r.finishedAt = new Date().toISOString();
      for (const job of r.jobs) {
        if (['pending', 'queued', 'running'].includes(job.state)) {
          job.state = 'error';
          job.reason = 'server restarted';
        }
      }
    });
    log.warn({ pipelineId: record.id, repo: record.source.repository }, 'pipeline ended by a restart');
    onChange(records.get(record.id)!);
  }

  const hidden = [
    dataDir,
    resolve(config.file),
    ...(config.keysDir ? [resolve(config.keysDir)] : []),
    ...[
      config.gitea?.tokenFile,
      config.gitea?.webhookSecretFile,
      config.github?.privateKeyFile,
      config.github?.webhookSecretFile,
      config.submitTokensFile,
      config.readTokensFile,
      config.sessionSecretFile,
      config.oauth?.gitea?.clientSecretFile,
      config.oauth?.github?.clientSecretFile,
      config.runnerTokensFile,
      config.redis !== undefined && typeof config.redis !== 'string' ? config.redis.passwordFile : undefined,
    ]
      .filter((f): f is string => f !== undefined)
      .map((f) => resolve(f)),
  ];
  const queue = new MemoryJobQueue();
  const service = new PipelineService({
    records,
    queue,
    labels: host.labels,
    concurrency: config.runner.concurrency,
    repoUrl,
    log,
    signedBy: async (key) => ({ key, fingerprint: (await keys.signer(key)).key.fingerprint }),
    onChange: (record) => onChange(record),
    handlerFor: (record) => {
      const dir = records.pipelineDir(record.id);
      const src = join(dir, 'src');
      const run = jobRunner({
        dirs: { ...jobDirs(dir), cache: join(dataDir, 'cache') },
        repoDir: src,
        host,
        steps: {
          build: buildStep,
          test: testStep,
          sign: allowed(config, record, 'sign', signStep(keys)),
          publish: allowed(
            config,
            record,
            'publish',
            publishStep({ reposDir, keep: config.keep, keys, baseUrl: repoUrl }),
          ),
        },
        sandbox: { bwrap, hidden, uids },
      });
      return async (item, signal) => {
        try {
          await checkout(record);
        } catch (error) {
          return {
            pipelineId: item.pipelineId,
            jobId: item.job.id,
            outcome: {
              state: 'failure',
              reason: `could not check out the commit: ${error instanceof Error ? error.message : String(error)}`,
            },
            artifacts: [],
            durationMs: 0,
          };
        }
        return run(item, signal);
      };
    },
  });
  const pipelines = farm?.pipelines ?? service;
  const intake: Intake = new Intake({
    journal,
    records,
    git,
    forges,
    service: pipelines,
    onChange,
    commands: (event) => commands.handle(event),
    log,
  });
  const commands: CommentCommands = new CommentCommands({
    records,
    forges,
    intake,
    service: pipelines,
    retries: true,
    // A farm's jobs wait for a runner with their labels (runner-wait); the server's own labels decide nothing.
    missingLabels: farm ? () => [] : (job) => job.runsOn.filter((label) => !host.labels.includes(label)),
    pipelineUrl: (id) => targetUrl(id)(),
    onChange,
    log,
  });
  const submissions = {
    records,
    git,
    service: pipelines,
    onChange,
    enqueue: (work: () => Promise<void>) => intake.enqueue(work),
    log,
  };
  // Sign-in to the pages of private repositories, with each forge of oauth: (and session-secret-file).
  const signIn =
    config.oauth && secrets.sessionSecret
      ? new SignIn(oauthProviders(config, secrets), secrets.sessionSecret, publicUrl)
      : undefined;
  const pages = pageRoutes({
    records,
    readTokens: secrets.readTokens,
    ...(signIn ? { signIn } : {}),
    // The page's buttons: the comment commands, for signed-in users with write access.
    commands,
  });
  const server = createHttpServer({
    records,
    journal,
    intake,
    endpoints,
    readTokens: secrets.readTokens,
    submitTokens: secrets.submitTokens,
    submit: (submission, submitter) => submit(submissions, submission, submitter),
    publicUrl,
    reposDir,
    metrics,
    log,
    ...(farm ? { routes: farm.routes } : {}),
    pages,
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.listen.port;
  const stopRunner =
    farm && config.embeddedRunner
      ? farm.startRunner(
          `http://${config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host}:${port}`,
          {
            host,
            sandbox: { bwrap, hidden, uids },
            workDir: join(dataDir, 'runners', `${hostname()}-${port}`),
          },
        )
      : undefined;
  log.info({ listen: `${config.listen.host}:${port}`, publicUrl, labels: host.labels }, 'albs serve is up');
  void intake.resume();
  return {
    port,
    close: async () => {
      // The server's own runner reports through this server: it drains before the server closes.
      await stopRunner?.();
      // Open event streams of the pipeline pages would keep the server from closing.
      pages.close();
      await new Promise<void>((done) => server.close(() => done()));
      await intake.idle();
      await service.stop();
      await queue.close();
      await farm?.close();
      await Promise.all(Object.values(reporters).map((r) => r.flush()));
      await records.flush();
      await keys.close();
      await git.close();
      await journal.close();
    },
  };
}

/**
 * A sign or publish step that runs only where an `allow` rule grants the pipeline's source its
 * key (and, to publish, the repo name); otherwise the job fails naming the rule to add.
 */
function allowed(config: ServerConfig, record: PipelineRecord, what: 'sign' | 'publish', step: Step): Step {
  return async (context) => {
    const problem = context.job.stage === what ? allowProblem(config, record, context.job) : null;
    return problem === null ? step(context) : { state: 'failure', reason: problem };
  };
}

/** Why no allow rule lets this pipeline run a sign or publish job, or null when one does. */
function allowProblem(config: ServerConfig, record: PipelineRecord, job: Job): string | null {
  if (job.stage !== 'sign' && job.stage !== 'publish') return null;
  const source = record.source.repository;
  const rules = config.allow.filter((rule) => rule.repos.some((glob) => picomatch.isMatch(source, glob)));
  const keyOk = rules.some((rule) => rule.keys.includes(job.key));
  const repoOk = rules.some(
    (rule) => rule.keys.includes(job.key) && rule.publish.some((glob) => picomatch.isMatch(job.repo, glob)),
  );
  if (keyOk && (job.stage === 'sign' || repoOk)) return null;
  return (
    `no allow rule of the server config grants ${source} the key "${job.key}"${job.stage === 'publish' ? ` and the repo "${job.repo}"` : ''}: ` +
    `add to ${config.file}: allow: [{repos: ["${source}"], keys: [${job.key}], publish: ["${job.repo}"]}]`
  );
}
