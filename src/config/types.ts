import type { MatrixInput } from '../plan/expand-matrix.js';
import type { Position } from './problem.js';

/** A .albs.yml after validation, with every default filled in. Strings may still hold `${{ matrix.KEY }}`. */
export interface PipelineConfig {
  version: 1;
  /** The file the config was read from, as the user named it. */
  file: string;
  source: SourceConfig;
  /** null when `on` is absent: every tag, branch and pull request triggers. */
  on: TriggerFilter | null;
  matrix: MatrixInput;
  build: BuildConfig;
  test: TestStepConfig[];
  sign: { key: string };
  publish: PublishTarget[];
  failFast: boolean;
  /** null: no limit. */
  maxParallel: number | null;
  concurrency: { cancelInProgress: boolean };
  /** Where each path was written, for problems found after loading (e.g. while planning). */
  locate(path: (string | number)[]): Position;
}

export interface SourceConfig {
  /** Spec path; undefined: the one *.spec at the top or in SPECS/, found where the source is. */
  spec?: string;
  srpm?: string;
  /** A Debian source package link (builder dpkg); sha256 is then the .dsc's. */
  dsc?: string;
  sha256?: string;
  dir?: string;
  /** The upstream tarball of a `3.0 (quilt)` debian/ package, relative to the repository (or dir). */
  tarball?: string;
  /** A bash command writing the upstream tarball to $ALBS_TARBALL. */
  tarballCommand?: string;
  /** Files fetched by digest before the build; absent: none. */
  lookaside?: LookasideConfig;
}

export interface LookasideConfig {
  /** URL template; undefined: the default of the list's form. */
  url?: string;
  /** The list, relative to the package source; undefined: found (.NAME.metadata, sources). */
  metadata?: string;
  /** Bytes: the largest file a list may name. */
  maxSize: number;
}

export interface TriggerFilter {
  tags: string[];
  branches: string[];
  pullRequests: boolean;
}

export interface BuildConfig {
  builder: string;
  /** undefined: ["${{ matrix.arch }}"] for combinations with an arch, else []. */
  runsOn: string[] | undefined;
  /** Seconds. */
  timeout: number;
  env: Record<string, string>;
  /** rpm macros (--define) for every rpm command of the build; values may hold `${{ matrix.KEY }}`. */
  macros: Record<string, string>;
  mock: { config: string; options: string[] };
  dpkg: DpkgConfig;
  /** Whether the build may reach the network; refused when pull requests trigger the pipeline. */
  network: boolean;
  /** What the build (and its test job) may use: bytes of memory and disk, processes and threads. */
  limits: { memory: number; tasks: number; disk: number };
}

export interface DpkgConfig {
  /** Build with sbuild in a chroot instead of dpkg-buildpackage on the runner. */
  sbuild: boolean;
  /** `sbuild --dist`; undefined: the distribution in debian/changelog. */
  dist: string | undefined;
  /** Extra arguments for dpkg-buildpackage (or sbuild). */
  options: string[];
}

interface StepConfigBase {
  name: string;
  timeout: number;
  env: Record<string, string>;
  /** Whether the step may reach the network; refused when pull requests trigger the pipeline. */
  network: boolean;
}

export type TestStepConfig =
  | (StepConfigBase & { kind: 'rpmlint'; ignore: string[] })
  | (StepConfigBase & { kind: 'lintian'; ignore: string[] })
  | (StepConfigBase & { kind: 'install'; repos: string[]; gpgkeys: string[]; gpgcheck: boolean })
  | (StepConfigBase & { kind: 'run'; run: string });

export type PublishWhen = 'tag' | 'branch';

export interface PublishTarget {
  repo: string;
  when: PublishWhen[];
}
