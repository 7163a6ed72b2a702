import { familyOf } from '../config/arches.js';
import type { PipelineConfig, TestStepConfig } from '../config/types.js';
import { type Combination, expandMatrix } from './expand-matrix.js';
import { interpolate, valueText } from './interpolate.js';
import { JobIds, jobIdFor, repoJobIdFor } from './job-ids.js';
import { matchTrigger, shortRef } from './match-trigger.js';
import {
  type BuildJob,
  type Job,
  PLAN_VERSION,
  type Plan,
  type PublishJob,
  type SignJob,
  type TestJob,
  type TestStep,
  type Trigger,
} from './types.js';

/** Sign and publish jobs get this long. */
const REPO_JOB_TIMEOUT = 30 * 60;

/**
 * Turn a loaded config and a trigger into the jobs to run. Pure and deterministic: the same
 * config and trigger always give the same jobs, ids and order. The config has been checked
 * (loadConfig), so every combination renders to valid names here.
 */
export function buildPlan(config: PipelineConfig, trigger: Trigger): Plan {
  const normalisedTrigger = { event: trigger.event, ref: shortRef(trigger.ref) };
  const plan = (jobs: Job[], skipped: Plan['skipped']): Plan => ({
    version: PLAN_VERSION,
    trigger: normalisedTrigger,
    jobs,
    skipped,
    failFast: config.failFast,
    maxParallel: config.maxParallel,
    concurrency: config.concurrency,
  });
  const reason = matchTrigger(config.on, normalisedTrigger);
  if (reason !== null) return plan([], { reason });

  // No matrix at all builds once; a matrix that expands to nothing is refused by loadConfig.
  const noMatrix = config.matrix.axes.length === 0 && config.matrix.include.length === 0;
  const combinations: Combination[] = noMatrix
    ? [{ values: {}, origins: {} }]
    : expandMatrix(config.matrix).combinations;
  const ids = new JobIds();
  // loadConfig refuses network where pull requests run the pipeline; a pull request's plan never has it.
  const network = trigger.event !== 'pull_request';
  const builds = combinations.map((c) => buildJob(config, c, ids, network));
  const tests = config.test.length ? builds.map((b) => testJob(config, b, ids, network)) : [];

  const jobs: Job[] = [...builds, ...tests];
  if (trigger.event !== 'pull_request') {
    const when = trigger.event;
    const repos = new Map<string, BuildJob[]>();
    for (const target of config.publish.filter((t) => t.when.includes(when))) {
      for (const build of builds) {
        const repo = interpolate(target.repo, build.matrix);
        const list = repos.get(repo) ?? [];
        if (!list.includes(build)) list.push(build);
        repos.set(repo, list);
      }
    }
    const signs: SignJob[] = [];
    const publishes: PublishJob[] = [];
    for (const [repo, repoBuilds] of repos) {
      const gate = repoBuilds.map((b) => tests.find((t) => t.build === b.id)?.id ?? b.id);
      const key = config.sign.key;
      // checkConfig refused a repo that would get builds of both families.
      const family = familyOf(repoBuilds[0]?.builder ?? 'rpmbuild');
      const common = { matrix: {}, runsOn: [], timeout: REPO_JOB_TIMEOUT, env: {}, repo, key, family };
      const builtBy = repoBuilds.map((b) => b.id);
      const sign: SignJob = {
        ...common,
        id: ids.take(repoJobIdFor('sign', repo)),
        stage: 'sign',
        name: `sign (${repo})`,
        needs: gate,
        builds: builtBy,
      };
      signs.push(sign);
      publishes.push({
        ...common,
        id: ids.take(repoJobIdFor('publish', repo)),
        stage: 'publish',
        name: `publish (${repo})`,
        needs: [sign.id],
        builds: builtBy,
        sign: sign.id,
      });
    }
    jobs.push(...signs, ...publishes);
  }
  return plan(jobs, null);
}

function nameFor(stage: string, values: Record<string, unknown>): string {
  const shown = Object.values(values).map(valueText);
  return shown.length ? `${stage} (${shown.join(', ')})` : stage;
}

function renderEnv(env: Record<string, string>, values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v, values)]));
}

function buildJob(
  config: PipelineConfig,
  combination: Combination,
  ids: JobIds,
  networkAllowed: boolean,
): BuildJob {
  const values = combination.values;
  const builder = interpolate(config.build.builder, values) as BuildJob['builder'];
  const labels = config.build.runsOn ?? (Object.hasOwn(values, 'arch') ? ['${{ matrix.arch }}'] : []);
  return {
    id: ids.take(jobIdFor('build', values)),
    stage: 'build',
    name: nameFor('build', values),
    matrix: values,
    runsOn: labels.map((l) => interpolate(l, values)).filter((l) => l !== ''),
    needs: [],
    timeout: config.build.timeout,
    env: renderEnv(config.build.env, values),
    builder,
    source: config.source,
    macros: renderEnv(config.build.macros, values),
    network: networkAllowed && config.build.network,
    limits: { ...config.build.limits },
    mock:
      builder === 'mock'
        ? {
            config: interpolate(config.build.mock.config, values),
            options: config.build.mock.options.map((o) => interpolate(o, values)),
          }
        : null,
    ...(builder === 'dpkg'
      ? {
          dpkg: {
            sbuild: config.build.dpkg.sbuild,
            dist: config.build.dpkg.dist === undefined ? null : interpolate(config.build.dpkg.dist, values),
            options: config.build.dpkg.options.map((o) => interpolate(o, values)),
          },
        }
      : {}),
  };
}

function testJob(config: PipelineConfig, build: BuildJob, ids: JobIds, networkAllowed: boolean): TestJob {
  const steps = config.test.map((step) => renderStep(step, build.matrix, networkAllowed));
  return {
    id: ids.take(`test${build.id.slice('build'.length)}`),
    stage: 'test',
    name: nameFor('test', build.matrix),
    matrix: build.matrix,
    runsOn: build.runsOn,
    needs: [build.id],
    timeout: steps.reduce((sum, s) => sum + s.timeout, 0),
    env: build.env,
    builder: build.builder,
    build: build.id,
    limits: { ...build.limits },
    steps,
  };
}

function renderStep(
  step: TestStepConfig,
  values: Record<string, unknown>,
  networkAllowed: boolean,
): TestStep {
  const common = {
    name: interpolate(step.name, values),
    timeout: step.timeout,
    env: renderEnv(step.env, values),
    network: networkAllowed && step.network,
  };
  switch (step.kind) {
    case 'rpmlint':
      return { kind: 'rpmlint', ...common, ignore: step.ignore };
    case 'lintian':
      return { kind: 'lintian', ...common, ignore: step.ignore };
    case 'install':
      return {
        kind: 'install',
        ...common,
        repos: step.repos.map((r) => interpolate(r, values)),
        gpgkeys: step.gpgkeys.map((k) => interpolate(k, values)),
        gpgcheck: step.gpgcheck,
      };
    case 'run':
      return { kind: 'run', ...common, run: interpolate(step.run, values) };
  }
}
