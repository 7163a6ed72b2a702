import type { PackageFamily } from '../config/arches.js';
import type { SourceConfig } from '../config/types.js';

/**
 * The Plan is the one contract between the side that decides (the app, `albs plan`) and the side
 * that runs (runners, `albs run`). It is a wire format: it travels inside queued jobs, so a change
 * of its shape bumps PLAN_VERSION, and a runner refuses a plan version it does not know.
 */
export const PLAN_VERSION = 1;

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

export interface BuildJob extends JobBase {
  stage: 'build';
  builder: 'rpmbuild' | 'mock' | 'dpkg';
  source: SourceConfig;
  /** For builder mock: the rendered `mock -r` config and extra options. */
  mock: { config: string; options: string[] } | null;
  /** For builder dpkg (absent otherwise): sbuild or dpkg-buildpackage, with rendered options. */
  dpkg?: { sbuild: boolean; dist: string | null; options: string[] };
}

export type TestStep =
  | { kind: 'rpmlint'; name: string; timeout: number; env: Record<string, string>; ignore: string[] }
  | { kind: 'lintian'; name: string; timeout: number; env: Record<string, string>; ignore: string[] }
  | { kind: 'install'; name: string; timeout: number; env: Record<string, string>; repos: string[] }
  | { kind: 'run'; name: string; timeout: number; env: Record<string, string>; run: string };

export interface TestJob extends JobBase {
  stage: 'test';
  builder: BuildJob['builder'];
  /** The build job whose packages are tested. */
  build: string;
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
