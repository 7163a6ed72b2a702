import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobState } from '../pipeline/pipeline-state.js';
import type { Trigger } from '../plan/types.js';
import { writeFileAtomically, writeNewFile } from '../store/atomic-write.js';

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
}

export interface JobAttempt {
  runner: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: JobState | null;
}

/** One job of a record: the fields of `albs run`'s pipeline.json, and its attempts. */
export interface JobRecord {
  id: string;
  name: string;
  stage: string;
  /** matrix.arch of the job's combination, when it has one. */
  arch: string | null;
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

  private constructor(readonly dir: string) {}

  static async open(dir: string): Promise<PipelineRecords> {
    await mkdir(join(dir, 'keys'), { recursive: true });
    const store = new PipelineRecords(dir);
    for (const name of await readdir(dir)) {
      if (name === 'keys') continue;
      const text = await readFile(join(dir, name, 'record.json'), 'utf8').catch(() => undefined);
      if (text !== undefined) store.records.set(name, JSON.parse(text) as PipelineRecord);
    }
    return store;
  }

  /** The directory of a pipeline: its record, source tree, workspaces, artifacts and logs. */
  pipelineDir(id: string): string {
    return join(this.dir, id);
  }

  /**
   * Claims `key` for pipeline `id`; returns the id of the pipeline that already holds it, or
   * undefined when `id` got it.
   */
  async claim(key: string, id: string): Promise<string | undefined> {
    const path = join(this.dir, 'keys', createHash('sha256').update(key).digest('hex'));
    if (await writeNewFile(path, id, 0o644)) return undefined;
    return (await readFile(path, 'utf8')).trim();
  }

  async create(record: PipelineRecord): Promise<void> {
    await mkdir(this.pipelineDir(record.id), { recursive: true });
    this.records.set(record.id, record);
    await this.write(record.id);
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

  /** Changes a record in memory at once and on disk in order. */
  update(id: string, change: (record: PipelineRecord) => void): Promise<void> {
    const record = this.records.get(id);
    if (!record) throw new Error(`no pipeline record ${id}`);
    change(record);
    return this.write(id);
  }

  private write(id: string): Promise<void> {
    const previous = this.writes.get(id) ?? Promise.resolve();
    const next = previous.then(() => {
      const record = this.records.get(id);
      return record
        ? writeFileAtomically(
            join(this.pipelineDir(id), 'record.json'),
            `${JSON.stringify(record, null, 2)}\n`,
          )
        : undefined;
    });
    this.writes.set(
      id,
      next.catch(() => {}),
    );
    return next;
  }

  /** Waits for every write under way. */
  async flush(): Promise<void> {
    await Promise.all(this.writes.values());
  }
}
