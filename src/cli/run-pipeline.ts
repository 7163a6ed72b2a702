/** `albs run`: the whole pipeline in this process, over the in-memory queue and the local runner. */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { detectHost, hostArches } from '../../runner/host-facts.js';
import { type JobSandboxSetup, jobDirs, jobRunner } from '../../runner/job-runner.js';
import { BuildUidPool, checkSandbox, SandboxUnavailableError } from '../../runner/sandbox.js';
import { buildStep } from '../../runner/steps/build.js';
import { publishStep } from '../../runner/steps/publish.js';
import { signStep } from '../../runner/steps/sign.js';
import { testStep } from '../../runner/steps/test.js';
import type { PipelineState } from '../pipeline/pipeline-state.js';
import { buildPlan, type Plan } from '../plan/index.js';
import type { JobResult } from '../queue/job-queue.js';
import { MemoryJobQueue } from '../queue/memory/memory-job-queue.js';
import { drivePipeline } from '../scheduler/drive-pipeline.js';
import { writeFileAtomically } from '../store/atomic-write.js';
import type { RunOptions } from './commands/run.js';
import { CliError, EXIT } from './exit-codes.js';
import { localKeyRing } from './local-key-ring.js';
import { lockOut } from './out-lock.js';
import { createProgress, seconds } from './progress.js';
import { readConfig } from './read-config.js';
import { resolveTrigger } from './resolve-trigger.js';
import { keyEnv } from './signing-env.js';
import { stopOnSignals } from './stop-on-signals.js';

/** Milliseconds runProcess gives a stopped command between SIGTERM and SIGKILL (its default killGrace). */
const KILL_GRACE_MS = 5000;

export async function runPipeline(dir: string, options: RunOptions): Promise<number> {
  const { found, result } = await readConfig(dir);
  // A pipeline cannot start from an invalid config: a usage-class failure, like a missing file.
  if (result.config === null) return EXIT.usage;
  // The host's rpm query runs while git (the trigger) and bwrap (the sandbox probe) do, not after them.
  const hostFacts = detectHost(archLabels(options.arch));
  const trigger = await resolveTrigger(found.dir, options);
  const plan = buildPlan(result.config, trigger);
  const progress = createProgress({
    format: options.logFormat,
    verbose: options.verbose === true,
    tty: process.stdout.isTTY === true,
    out: process.stdout,
  });
  if (plan.skipped) {
    progress.say(`${trigger.event} ${trigger.ref}: no pipeline: ${plan.skipped.reason}`);
    progress.stop();
    return EXIT.ok;
  }

  const out = resolve(options.out ?? join(found.dir, '.albs', 'out'));
  const sandbox = sandboxSetup(options, out, (message) => progress.say(message, 'warn'));
  const host = await hostFacts;
  const dirs = jobDirs(out);
  await mkdir(out, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(
      `--out ${out}: cannot create it (${error.code ?? error.message}); give a writable directory`,
      EXIT.usage,
      {
        cause: error,
      },
    );
  });
  // Before anything in OUT is touched: a second run on it would remove this one's workspaces.
  const releaseOut = await lockOut(out, (message) => progress.say(message, 'warn'));
  const keys = localKeyRing({
    keyFile: options.key,
    passphraseFile: options.passphraseFile,
    env: keyEnv(),
    throwawayDir: join(out, 'keys'),
    warn: (message) => progress.say(message, 'warn'),
  });
  // Every key the pipeline will sign with is unlocked now: a wrong --key or a missing key file
  // stops the run before anything is built, not after.
  const keyNames = new Set(plan.jobs.flatMap((job) => (job.stage === 'sign' ? [job.key] : [])));
  for (const name of keyNames) {
    await keys.signer(name).catch(async (error: unknown) => {
      await keys.close();
      throw new CliError(error instanceof Error ? error.message : String(error), EXIT.usage, {
        cause: error,
      });
    });
  }
  const queue = new MemoryJobQueue();
  const processor = queue.process(
    host.labels,
    options.jobs,
    jobRunner({
      dirs,
      repoDir: resolve(found.dir),
      host,
      steps: {
        build: buildStep,
        test: testStep,
        sign: signStep(keys),
        publish: publishStep({ reposDir: join(out, 'repos'), keep: options.keep, keys }),
      },
      onLogLine: (jobId, line) => progress.log(jobId, line),
      sandbox,
    }),
  );

  const stop = stopOnSignals({ graceMs: KILL_GRACE_MS, say: (message) => progress.say(message, 'warn') });
  if (!host.rpmDatabaseUsable) {
    progress.say(`this host's rpm database is empty (not an RPM distribution): builds run with --nodeps`);
  }
  const started = new Date();
  const pipelineId = randomUUID();
  // Jobs a runner took: the others (cancelled while queued or pending) have no duration and no log.
  const ran = new Set<string>();
  let outcome: { state: PipelineState; results: Record<string, JobResult> };
  try {
    outcome = await drivePipeline({
      queue,
      plan,
      pipelineId,
      missingLabels: (job) => job.runsOn.filter((label) => !host.labels.includes(label)),
      onChange: (state, jobId) => {
        if (state.jobs[jobId]?.state === 'running') ran.add(jobId);
        progress.change(state, jobId);
      },
      signal: stop.signal,
    });
  } finally {
    await processor.stop();
    await queue.close();
    await keys.close();
  }
  progress.stop();

  const summary = pipelineSummary(pipelineId, plan, outcome.state, outcome.results, ran, out, started);
  await writeFileAtomically(join(out, 'pipeline.json'), `${JSON.stringify(summary, null, 2)}\n`);
  for (const line of summaryLines(summary, out)) progress.say(line);
  await releaseOut();
  stop.dispose();
  return stop.exitCode() ?? (summary.result === 'success' ? EXIT.ok : EXIT.failed);
}

/**
 * The sandbox every job runs in: checked before anything is built, so a host without bubblewrap
 * stops at once with the fix. Hidden from every job: OUT (its other jobs, its repositories, the
 * throwaway keys), the --key file and ALBS_KEYS_DIR, wherever they are.
 */
function sandboxSetup(
  options: RunOptions,
  out: string,
  warn: (message: string) => void,
): JobSandboxSetup | null {
  if (options.sandbox === false) {
    warn(
      "--no-sandbox: builds and tests run unsandboxed, as this user, where the package's own code can read the signing keys and write the published repositories; use it only for packages you trust",
    );
    return null;
  }
  let bwrap: string;
  try {
    bwrap = checkSandbox(process.env.PATH ?? '');
  } catch (error) {
    if (error instanceof SandboxUnavailableError)
      throw new CliError(error.message, EXIT.usage, { cause: error });
    throw error;
  }
  const keysDir = keyEnv().ALBS_KEYS_DIR;
  const hidden = [
    out,
    ...(options.key ? [resolve(options.key)] : []),
    ...(keysDir ? [resolve(keysDir)] : []),
  ];
  return { bwrap, hidden, uids: new BuildUidPool() };
}

/** --arch narrows the runner's labels; it never adds a foreign arch (no cross-labelled packages). */
function archLabels(arches: string[] | undefined): string[] | undefined {
  if (!arches) return undefined;
  const host = hostArches();
  const native = [host.rpm, host.deb];
  for (const a of arches) {
    if (!native.includes(a) && a !== 'noarch' && a !== 'all') {
      throw new CliError(
        `--arch ${a}: this host is ${host.rpm} and albs run never cross-builds (a package built for ${a} here would hold ${host.rpm} code); run it on a ${a} host`,
        EXIT.usage,
      );
    }
  }
  // One machine, two names: --arch x86_64 also runs the host's amd64 (deb) jobs, and the other way round.
  const names = arches.flatMap((a) => (native.includes(a) ? native : [a]));
  return [...new Set([...names, 'noarch', 'all'])];
}

interface Summary {
  version: 1;
  /** The pipeline's id (the GitHub Action's pipeline-id output). */
  id: string;
  trigger: Plan['trigger'];
  result: 'success' | 'failure' | 'cancelled';
  startedAt: string;
  finishedAt: string;
  jobs: {
    id: string;
    name: string;
    stage: string;
    state: string;
    reason: string | null;
    durationMs: number | null;
    artifacts: string[];
    log: string | null;
  }[];
  /** Runner labels no runner here has, and the jobs that needed them. */
  missing: { labels: string[]; jobs: string[] }[];
  /** repoFile: the .repo (dnf) or .sources (apt) file that points a machine at the repository. */
  repos: { repo: string; family: 'rpm' | 'deb'; path: string; repoFile: string }[];
}

function pipelineSummary(
  id: string,
  plan: Plan,
  state: PipelineState,
  results: Record<string, JobResult>,
  ran: ReadonlySet<string>,
  out: string,
  started: Date,
): Summary {
  const states = Object.values(state.jobs).map((j) => j.state);
  const result = states.includes('failure') ? 'failure' : state.cancelled ? 'cancelled' : 'success';
  const missing = new Map<string, string[]>();
  for (const job of plan.jobs) {
    const labels = state.jobs[job.id]?.missingLabels;
    if (!labels?.length || job.stage !== 'build') continue;
    const key = labels.join(', ');
    missing.set(key, [...(missing.get(key) ?? []), job.id]);
  }
  return {
    version: 1,
    id,
    trigger: plan.trigger,
    result,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    jobs: plan.jobs.map((job) => {
      const status = state.jobs[job.id]!;
      const result = ran.has(job.id) ? results[job.id] : undefined;
      return {
        id: job.id,
        name: job.name,
        stage: job.stage,
        state: status.state,
        reason: status.reason,
        durationMs: result ? Math.round(result.durationMs) : null,
        artifacts: (result?.artifacts ?? []).map((a) => relative(out, a)),
        log: result ? `logs/${job.id}.log` : null,
      };
    }),
    missing: [...missing].map(([labels, jobs]) => ({ labels: labels.split(', '), jobs })),
    repos: plan.jobs
      .filter((job) => job.stage === 'publish' && state.jobs[job.id]?.state === 'success')
      .map((job) => {
        const repo = job.stage === 'publish' ? job.repo : '';
        const family = job.stage === 'publish' ? job.family : 'rpm';
        const file = family === 'deb' ? `${repo}.sources` : `${repo}.repo`;
        return { repo, family, path: `repos/${repo}`, repoFile: `repos/${repo}/${file}` };
      }),
  };
}

function summaryLines(summary: Summary, out: string): string[] {
  const counts = new Map<string, number>();
  for (const job of summary.jobs) counts.set(job.state, (counts.get(job.state) ?? 0) + 1);
  const total = summary.jobs.reduce((sum, j) => sum + (j.durationMs ?? 0), 0);
  const lines = [
    `pipeline ${summary.result}: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')} (${seconds(total)} of job time)`,
  ];
  for (const job of summary.jobs.filter((j) => j.state === 'failure')) {
    lines.push(`  ${job.id} failed: ${job.reason}; log: ${join(out, job.log ?? '')}`);
  }
  for (const gap of summary.missing) {
    lines.push(`  no runner here with labels [${gap.labels.join(', ')}]: skipped ${gap.jobs.join(', ')}`);
  }
  for (const repo of summary.repos) {
    lines.push(`  published ${repo.repo}: ${join(out, repo.path)}`);
    lines.push(
      repo.family === 'deb'
        ? `    install from it: sudo cp ${join(out, repo.repoFile)} /etc/apt/sources.list.d/ && sudo apt-get update && sudo apt-get install PACKAGE`
        : `    install from it: sudo cp ${join(out, repo.repoFile)} /etc/yum.repos.d/ && sudo dnf install PACKAGE`,
    );
  }
  lines.push(`  details: ${join(out, 'pipeline.json')}`);
  return lines;
}
