import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { JobRecord, PipelineRecord } from './pipeline-records.js';

/**
 * Where a farm's pipeline records live, so that every `albs serve` replica serves and changes the
 * same ones: each record is a hash `<prefix>:record:<id>` with a field `meta` (the record without
 * its jobs) and a field `job:<id>` per job, so that two replicas changing two jobs of one pipeline
 * at once both keep their change. Every write is announced on `<prefix>:records`; each replica
 * reads the record again when it hears of it (its own writes included), so its copy converges on
 * what Redis holds. The pipeline keys (one pipeline per repository, commit, event and ref) and the
 * delivery ids are claimed with SET NX.
 */
export class SharedRecords {
  private subscriber: Redis | undefined;
  /** Who this replica is in the messages, so that it skips its own. */
  private readonly replica = randomUUID();
  /** The fields of each unfinished record as this replica last wrote or read them. */
  private readonly saved = new Map<string, Snapshot>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:record:${id}`;
  }

  private get index(): string {
    return `${this.prefix}:records:index`;
  }

  private get channel(): string {
    return `${this.prefix}:records`;
  }

  /**
   * Writes the parts of `record` that changed since this replica last wrote or read it, and tells
   * the others (never itself: its own copy is what it wrote).
   */
  async save(record: PipelineRecord, jobs?: readonly string[]): Promise<void> {
    const before = this.saved.get(record.id);
    // With `jobs`, only those jobs (and the record's own fields) may have changed: the others are not compared.
    const after = before && jobs ? { ...before, ...snapshot(record, jobs) } : snapshot(record);
    const fields: Record<string, string> = {};
    for (const [field, text] of Object.entries(after)) if (before?.[field] !== text) fields[field] = text;
    // A finished record changes no more here: its fields are not kept to compare with.
    if (record.finishedAt === null) this.saved.set(record.id, after);
    else this.saved.delete(record.id);
    if (Object.keys(fields).length === 0) return;
    const multi = this.redis.multi().hset(this.key(record.id), fields);
    if (before === undefined) multi.zadd(this.index, '0', record.id);
    // A finished record stays in Redis for a while; data-dir keeps its record.json for good.
    if (record.finishedAt !== null) multi.expire(this.key(record.id), KEEP_FINISHED_SECONDS);
    await multi.publish(this.channel, `${this.replica}\n${record.id}`).exec();
  }

  async load(id: string): Promise<PipelineRecord | undefined> {
    return assemble(await this.redis.hgetall(this.key(id)));
  }

  async loadAll(): Promise<PipelineRecord[]> {
    const ids = await this.redis.zrange(this.index, '0', '-1');
    const records: PipelineRecord[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const pipeline = this.redis.pipeline();
      for (const id of ids.slice(i, i + 100)) pipeline.hgetall(this.key(id));
      const batch = ids.slice(i, i + 100);
      const replies = (await pipeline.exec()) ?? [];
      const gone: string[] = [];
      replies.forEach(([, fields], j) => {
        const record = assemble(fields as Record<string, string>);
        if (record) records.push(record);
        else gone.push(batch[j]!);
      });
      // Records that expired leave the index too.
      if (gone.length > 0) await this.redis.zrem(this.index, ...gone);
    }
    return records;
  }

  /** Calls `changed` with the record as Redis holds it whenever any replica wrote it. */
  async subscribe(changed: (record: PipelineRecord) => void): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, message: string) => {
      const [from, id] = message.split('\n');
      if (from === this.replica || id === undefined) return;
      void this.load(id).then(
        (record) => {
          if (!record) return;
          if (record.finishedAt === null) this.saved.set(record.id, snapshot(record));
          else this.saved.delete(record.id);
          changed(record);
        },
        () => {},
      );
    });
    await this.subscriber.subscribe(this.channel);
  }

  /** The pipeline that holds `key` already, or undefined when `id` got it now. */
  async claim(key: string, id: string): Promise<string | undefined> {
    const name = `${this.prefix}:pipeline-key:${createHash('sha256').update(key).digest('hex')}`;
    if ((await this.redis.set(name, id, 'EX', KEEP_FINISHED_SECONDS, 'NX')) === 'OK') return undefined;
    return (await this.redis.get(name)) ?? undefined;
  }

  /** True when this replica is the first to see delivery `name` (kept a week). */
  async firstDelivery(name: string): Promise<boolean> {
    const reply = await this.redis.set(`${this.prefix}:delivery:${name}`, '1', 'EX', 7 * 86_400, 'NX');
    return reply === 'OK';
  }

  close(): void {
    this.subscriber?.disconnect();
  }
}

/** How long Redis keeps a finished record and a pipeline key: 30 days (the records stay in data-dir). */
const KEEP_FINISHED_SECONDS = 30 * 86_400;

/** A record as the fields it is stored in. */
export type Snapshot = Record<string, string>;

/** The fields of a record: all of them, or its own and those of `only` jobs. */
export function snapshot(record: PipelineRecord, only?: readonly string[]): Snapshot {
  const { jobs, ...meta } = record;
  const fields: Snapshot = { meta: JSON.stringify({ ...meta, jobIds: jobs.map((j) => j.id) }) };
  for (const job of jobs) if (!only || only.includes(job.id)) fields[`job:${job.id}`] = JSON.stringify(job);
  return fields;
}

function assemble(fields: Record<string, string>): PipelineRecord | undefined {
  if (!fields.meta) return undefined;
  const { jobIds, ...meta } = JSON.parse(fields.meta) as Omit<PipelineRecord, 'jobs'> & { jobIds: string[] };
  const jobs = jobIds
    .map((id) => fields[`job:${id}`])
    .filter((text): text is string => text !== undefined)
    .map((text) => JSON.parse(text) as JobRecord);
  return { ...meta, jobs };
}
