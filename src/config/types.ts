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
  mock: { config: string; options: string[] };
  dpkg: DpkgConfig;
}

export interface DpkgConfig {
  /** Build with sbuild in a chroot instead of dpkg-buildpackage on the runner. */
  sbuild: boolean;
  /** `sbuild --dist`; undefined: the distribution in debian/changelog. */
  dist: string | undefined;
  /** Extra arguments for dpkg-buildpackage (or sbuild). */
  options: string[];
}

export type TestStepConfig =
  | { kind: 'rpmlint'; name: string; timeout: number; env: Record<string, string>; ignore: string[] }
  | { kind: 'lintian'; name: string; timeout: number; env: Record<string, string>; ignore: string[] }
  | { kind: 'install'; name: string; timeout: number; env: Record<string, string>; repos: string[] }
  | { kind: 'run'; name: string; timeout: number; env: Record<string, string>; run: string };

export type PublishWhen = 'tag' | 'branch';

export interface PublishTarget {
  repo: string;
  when: PublishWhen[];
}
