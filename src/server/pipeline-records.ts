import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobState } from '../pipeline/pipeline-state.js';
import type { Trigger } from '../plan/types.js';
import { tempPathFor, writeFileAtomically } from '../store/atomic-write.js';
import type { SharedRecords } from './shared-records.js';

export type PipelineResult = 'queued' | 'running' | 'success' | 'failure' | 'cancelled' | 'error';

/** Where a pipeline came from: a forge event, or a submission to the builds API. */
export interface PipelineSource {
  forge: 'gitea' | 'github' | 'submit';
  /** OWNER/NAME on the forge, or `submit:NAME` for a submission. */
  repository: string;
  cloneUrl: string | null;
  sha: string | null;
  ref: string;
  /** The forge's event name (push, create, pull_request), or `submit`. */
  event: string;
  deliveryId: string | null;
  sender: string;
  /** Whether the forge reports the repository private: its records and logs need a read token. */
  private: boolean;
  /** The forge repository statuses go to (absent for a submission). */
  owner?: string;
  name?: string;
  installationId?: number;
  /** For a pull request: its number and the base its config was read from (a retry reads it again). */
  pullRequest?: { number: number; baseRef: string; baseSha: string; fromFork: boolean };
  /** For `/albs rebuild`: the pipeline it builds again. */
  rebuildOf?: string;
}

export interface JobAttempt {
  /** The pipeline's attempt this run of the job belongs to (1 when absent; `/albs retry-failed` adds one). */
  attempt?: number;
  runner: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: JobState | 'error' | null;
}

/** One job of a record: the fields of `albs run`'s pipeline.json, and its attempts. */
export interface JobRecord {
  id: string;
  name: string;
  stage: string;
  /** matrix.arch of the job's combination, when it has one. */
  arch: string | null;
  /** The job's matrix combination (the pipeline page lays its grid out by it); absent in older records. */
  matrix?: Record<string, unknown>;
  state: JobState | 'error';
  reason: string | null;
  durationMs: number | null;
  /** Relative to the pipeline's directory. */
  artifacts: string[];
  log: string | null;
  attempts: JobAttempt[];
  signedBy?: { key: string; fingerprint: string };
}

/** A pipeline, as `GET /api/v1/pipelines/ID` shows it (schemas/pipeline-record.schema.json). */
export interface PipelineRecord {
  version: 1;
  /** A ULID: sorts by creation. */
  id: string;
  source: PipelineSource;
  trigger: Trigger;
  result: PipelineResult;
  /** Why the pipeline failed or ended in error as a whole (a config error, a refused download, a restart). */
  reason: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  jobs: JobRecord[];
  repos: { repo: string; family: 'rpm' | 'deb'; url: string; repoFile: string }[];
  /** The pipeline's current attempt: 1 when absent; each `/albs retry-failed` adds one. */
  attempt?: number;
  /** Who asked for each attempt after the first, and when. */
  retries?: { attempt: number; requestedBy: string; deliveryId: string | null; at: string }[];
}

/** What makes a forge pipeline one of a kind: a tag's create and push, or a redelivery, share it. */
export function pipelineKey(forge: string, repository: string, sha: string, trigger: Trigger): string {
  return [forge, repository, sha, trigger.event, trigger.ref].join('\n');
}

export interface RecordFilter {
  repo?: string | undefined;
  sha?: string | undefined;
  ref?: string | undefined;
  limit?: number | undefined;
}

/**
 * The pipeline records: DIR/<id>/record.json each (written whole, atomically), all held in memory
 * for the API, and DIR/keys/<hash> naming the pipeline of one (repository, sha, event, ref), so
 * that a tag's create and push, or a delivery and its redelivery, make one pipeline. Writes to one
 * record are serialised; readers always see a whole record.
 */
export class PipelineRecords {
  private readonly records = new Map<string, PipelineRecord>();
  private readonly writes = new Map<string, Promise<void>>();
  /** pipelineKey → pipeline id. */
  private readonly keys = new Map<string, string>();
  /** Records with a write queued that has not started: it will write their latest state. */
  private readonly queued = new Set<string>();
  /** Records whose next write must reach the disk before it resolves. */
  private readonly mustSync = new Set<string>();
  /** Who hears of every change (the pipeline pages' live updates): this replica's and, in a farm, the others'. */
  private readonly listeners = new Set<(record: PipelineRecord) => void>();

  private constructor(
    readonly dir: string,
    private readonly shared?: SharedRecords,
  ) {}

  /**
   * The records of DIR; in a farm (`shared`), those in Redis as well, which win, and kept up to
   * date with every other replica's writes.
   */
  static async open(dir: string, shared?: SharedRecords): Promise<PipelineRecords> {
    await mkdir(dir, { recursive: true });
    const store = new PipelineRecords(dir, shared);
    for (const name of await readdir(dir)) {
      const text = await readFile(join(dir, name, 'record.json'), 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const record = JSON.parse(text) as PipelineRecord;
      store.records.set(name, record);
      const { forge, repository, sha } = record.source;
      if (forge !== 'submit' && sha !== null) {
        store.keys.set(pipelineKey(forge, repository, sha, record.trigger), record.id);
      }
    }
    if (shared) {
      for (const record of await shared.loadAll()) store.records.set(record.id, record);
      await shared.subscribe((record) => {
        store.records.set(record.id, record);
        store.changed(record);
      });
    }
    return store;
  }

  /** Calls `listener` after every change of any record, in memory; returns what stops it. */
  listen(listener: (record: PipelineRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(record: PipelineRecord): void {
    // A listener's failure is its own: it never fails the write that told it.
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch {}
    }
  }

  /** A record this replica may not have heard of yet (another replica just made it). */
  async fetch(id: string): Promise<PipelineRecord | undefined> {
    const local = this.records.get(id);
    if (local || !this.shared) return local;
    const record = await this.shared.load(id);
    if (record && !this.records.has(id)) this.records.set(id, record);
    return this.records.get(id);
  }

  /** The directory of a pipeline: its record, source tree, workspaces, artifacts and logs. */
  pipelineDir(id: string): string {
    return join(this.dir, id);
  }

  /**
   * Claims `key` (see pipelineKey) for pipeline `id`; returns the id of the pipeline that already
   * holds it, or undefined when `id` got it. The index is rebuilt from the records at start-up: a
   * claim whose record never reached the disk is no claim, so the forge's redelivery still works.
   */
  async claim(key: string, id: string): Promise<string | undefined> {
    const existing = this.keys.get(key);
    if (existing !== undefined) return existing;
    // In a farm the claim is made in Redis: two replicas given the same push make one pipeline.
    const other = this.shared ? await this.shared.claim(key, id) : undefined;
    this.keys.set(key, other ?? id);
    return other;
  }

  async create(record: PipelineRecord): Promise<void> {
    await mkdir(this.pipelineDir(record.id), { recursive: true });
    this.records.set(record.id, record);
    this.changed(record);
    await Promise.all([this.write(record.id, true), this.shared?.save(record)]);
  }

  get(id: string): PipelineRecord | undefined {
    return this.records.get(id);
  }

  /** Newest first. */
  list(filter: RecordFilter = {}): PipelineRecord[] {
    const all = [...this.records.values()]
      .filter((r) => filter.repo === undefined || r.source.repository === filter.repo)
      .filter((r) => filter.sha === undefined || r.source.sha === filter.sha)
      .filter((r) => filter.ref === undefined || r.trigger.ref === filter.ref || r.source.ref === filter.ref)
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return all.slice(0, filter.limit ?? 50);
  }

  /**
   * Changes a record in memory at once and on disk in order. Changes close together are written
   * once (the file always holds a whole record, old or new); a record's creation and its end are
   * synced to the disk, the states between are not: after a crash a pipeline that was running ends
   * in error anyway, while its existence (a redelivery must find it) and its result must survive.
   * `jobs`, when given, are the only jobs `change` touches (a farm then writes only those to Redis).
   */
  update(id: string, change: (record: PipelineRecord) => void, jobs?: readonly string[]): Promise<void> {
    const record = this.records.get(id);
    if (!record) throw new Error(`no pipeline record ${id}`);
    change(record);
    this.changed(record);
    if (!this.shared) return this.write(id, record.finishedAt !== null);
    // In a farm Redis holds the record; the file is written at the end, for the archive.
    const saved = this.shared.save(record, jobs);
    return record.finishedAt === null ? saved : Promise.all([saved, this.write(id, true)]).then(() => {});
  }

  private write(id: string, sync: boolean): Promise<void> {
    if (sync) this.mustSync.add(id);
    const pending = this.writes.get(id);
    if (pending !== undefined && this.queued.has(id)) return pending;
    this.queued.add(id);
    const next = (pending ?? Promise.resolve()).then(async () => {
      this.queued.delete(id);
      const durable = this.mustSync.delete(id);
      const record = this.records.get(id);
      if (!record) return;
      const file = join(this.pipelineDir(id), 'record.json');
      const text = `${JSON.stringify(record, null, 2)}\n`;
      if (durable) return writeFileAtomically(file, text);
      const temp = tempPathFor(file);
      await writeFile(temp, text, { mode: 0o644 });
      await rename(temp, file);
    });
    const settled = next.catch(() => {});
    this.writes.set(id, settled);
    void settled.then(() => {
      if (this.writes.get(id) === settled) this.writes.delete(id);
    });
    return next;
  }

  /** Waits for every write under way. */
  async flush(): Promise<void> {
    await Promise.all(this.writes.values());
  }
}
