import type { PackageFamily } from '../config/arches.js';
import type { SourceConfig } from '../config/types.js';

/**
 * The Plan is the one contract between the side that decides (the app, `albs plan`) and the side
 * that runs (runners, `albs run`). It is a wire format: it travels inside queued jobs, so a change
 * of its shape bumps PLAN_VERSION, and a runner refuses a plan version it does not know.
 * 1: the first shape.
 * 2: build jobs carry `network` and `limits`, test jobs `limits`, every test step `network`, and
 *    install steps `gpgkeys` and `gpgcheck`.
 * 3: build jobs carry `macros`; `source` may carry `lookaside`.
 */
export const PLAN_VERSION = 3;

export const EVENT_KINDS = ['tag', 'branch', 'pull_request'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** What started a pipeline: a tag or branch push, or a pull request (ref = its head branch). */
export interface Trigger {
  event: EventKind;
  ref: string;
}

export interface Plan {
  version: typeof PLAN_VERSION;
  trigger: Trigger;
  /** In the order they are listed: builds in matrix order, then tests, signs, publishes. */
  jobs: Job[];
  /** Set, with `jobs` empty, when the trigger does not start a pipeline. */
  skipped: { reason: string } | null;
  failFast: boolean;
  maxParallel: number | null;
  concurrency: { cancelInProgress: boolean };
}

export type Stage = 'build' | 'test' | 'sign' | 'publish';

interface JobBase {
  /** Stable across runs of the same config: stage + matrix values; matches ^[a-z0-9][a-z0-9._-]*$. */
  id: string;
  stage: Stage;
  /** For people and commit statuses: "build (almalinux-9, x86_64)". */
  name: string;
  matrix: Record<string, unknown>;
  /** Labels a runner must all have to take this job; empty: any runner. */
  runsOn: string[];
  /** Ids of the jobs that must succeed first. */
  needs: string[];
  /** Seconds before the job is killed. */
  timeout: number;
  env: Record<string, string>;
}

/** What a job's processes may use together; the runner enforces them. */
export interface JobLimits {
  /** Bytes of memory. */
  memory: number;
  /** Processes and threads at once. */
  tasks: number;
  /** Bytes of disk in the job's workspace. */
  disk: number;
}

export interface BuildJob extends JobBase {
  stage: 'build';
  builder: 'rpmbuild' | 'mock' | 'dpkg';
  source: SourceConfig;
  /** rpm macros, rendered for this combination: `--define "NAME VALUE"` for every rpm command of the build. */
  macros: Record<string, string>;
  /** Whether the build may reach the network. Never true in a pull-request pipeline. */
  network: boolean;
  limits: JobLimits;
  /** For builder mock: the rendered `mock -r` config and extra options. */
  mock: { config: string; options: string[] } | null;
  /** For builder dpkg (absent otherwise): sbuild or dpkg-buildpackage, with rendered options. */
  dpkg?: { sbuild: boolean; dist: string | null; options: string[] };
}

/** What every test step has; `network`: whether the step may reach the network (never in a pull-request pipeline). */
interface StepBase {
  name: string;
  timeout: number;
  env: Record<string, string>;
  network: boolean;
}

export type TestStep =
  | (StepBase & { kind: 'rpmlint'; ignore: string[] })
  | (StepBase & { kind: 'lintian'; ignore: string[] })
  | (StepBase & {
      kind: 'install';
      repos: string[];
      /** Key URLs (file:///, http(s)://) that packages from `repos` are checked against. */
      gpgkeys: string[];
      /** Check the signatures of packages from `repos`; validation refuses true with repos but no gpgkeys. */
      gpgcheck: boolean;
    })
  | (StepBase & { kind: 'run'; run: string });

export interface TestJob extends JobBase {
  stage: 'test';
  builder: BuildJob['builder'];
  /** The build job whose packages are tested. */
  build: string;
  /** The build's limits. */
  limits: JobLimits;
  steps: TestStep[];
}

export interface SignJob extends JobBase {
  stage: 'sign';
  repo: string;
  /** What the repo holds: rpm (signed rpms, a dnf repo) or deb (an apt repo with a signed Release). */
  family: PackageFamily;
  /** A key NAME: only the signer resolves it to key material. */
  key: string;
  /** Build jobs whose packages go into this repo. */
  builds: string[];
}

export interface PublishJob extends JobBase {
  stage: 'publish';
  repo: string;
  family: PackageFamily;
  key: string;
  builds: string[];
  /** The sign job whose signed packages are published. */
  sign: string;
}

export type Job = BuildJob | TestJob | SignJob | PublishJob;
