import type { Job } from '../src/plan/types.js';
import type { FetchBlob } from '../src/sources/fetch-lookaside.js';
import type { Sandbox } from './sandbox.js';

/**
 * What the runner knows of its host. Decided once at start-up by the composition root
 * (`albs run`, `albs runner`), never re-read by a step.
 */
export interface HostFacts {
  /** The host arch under its RPM name (x86_64, aarch64 …). */
  rpmArch: string;
  /** The same under its Debian name (amd64, arm64 …). */
  debArch: string;
  /**
   * False on a host whose rpm database cannot answer BuildRequires (Debian, Ubuntu): builds run
   * with --nodeps and say so in the log.
   */
  rpmDatabaseUsable: boolean;
  /** The runner's labels: by default the host arch under both names, plus noarch and all. */
  labels: string[];
}

/** One job's log: lines go to the job's log file and to whoever watches (a live table, --verbose). */
export interface JobLog {
  /** A line from albs itself, e.g. "building with --nodeps: this host's rpm database cannot check BuildRequires". */
  info(line: string): void;
  /** Output of a command the step runs, as it comes. */
  output(chunk: string): void;
  /** The file the log is written to. */
  readonly path: string;
}

/** Everything a step may use. A step touches no path outside `workspace` and `artifacts`. */
export interface StepContext {
  job: Job;
  /** A fresh, empty directory for this job only; kept after the job for inspection. */
  workspace: string;
  /** Where the job's results go (src.rpm, rpms): OUT/artifacts/<job-id>/. Kept after a failure. */
  artifacts: string;
  /** The package repository at the commit being built (read only). */
  repoDir: string;
  /**
   * The host's cache, shared by all its jobs and never shown to their commands: lookaside files
   * live in CACHE/lookaside/<hashtype>/<hash>.
   */
  cache: string;
  /** Artifacts of the jobs this one needs, by job id: absolute file paths. */
  inputs: Record<string, string[]>;
  /** Where lookaside files come from other than their URL: a farm's runner gets them from its server. */
  lookaside?: FetchBlob | undefined;
  log: JobLog;
  host: HostFacts;
  /** Aborted on Ctrl-C, on fail-fast, or when the job's timeout passes: stop every process. */
  signal: AbortSignal;
  /**
   * Where every command the package controls runs (see runner/sandbox.ts): the workspace writable,
   * the repository and `inputs` read only, nothing else of OUT and no key. Null only with --no-sandbox.
   */
  sandbox: Sandbox | null;
}

export type StepResult =
  | { state: 'success' }
  | { state: 'failure'; reason: string }
  /** ExcludeArch / ExclusiveArch rule the job's arch out: not a failure. */
  | { state: 'excluded'; reason: string };

/** A stage's work: build, test, sign or publish one job. Never throws for a failed build: returns failure. */
export type Step = (context: StepContext) => Promise<StepResult>;
