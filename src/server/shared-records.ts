import { createHash } from 'node:crypto';
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

  /** Writes the parts of `record` that changed since `before` (all of it without `before`), and tells the others. */
  async save(record: PipelineRecord, before?: Snapshot): Promise<void> {
    const after = snapshot(record);
    const fields: Record<string, string> = {};
    for (const [field, text] of Object.entries(after)) if (before?.[field] !== text) fields[field] = text;
    if (Object.keys(fields).length === 0) return;
    await this.redis
      .multi()
      .hset(this.key(record.id), fields)
      .zadd(this.index, '0', record.id)
      .publish(this.channel, record.id)
      .exec();
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
      for (const [, fields] of (await pipeline.exec()) ?? []) {
        const record = assemble(fields as Record<string, string>);
        if (record) records.push(record);
      }
    }
    return records;
  }

  /** Calls `changed` with the record as Redis holds it whenever any replica wrote it. */
  async subscribe(changed: (record: PipelineRecord) => void): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, id: string) => {
      void this.load(id).then(
        (record) => record && changed(record),
        () => {},
      );
    });
    await this.subscriber.subscribe(this.channel);
  }

  /** The pipeline that holds `key` already, or undefined when `id` got it now. */
  async claim(key: string, id: string): Promise<string | undefined> {
    const name = `${this.prefix}:pipeline-key:${createHash('sha256').update(key).digest('hex')}`;
    if ((await this.redis.set(name, id, 'NX')) === 'OK') return undefined;
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

/** A record as the fields it is stored in. */
export type Snapshot = Record<string, string>;

export function snapshot(record: PipelineRecord): Snapshot {
  const { jobs, ...meta } = record;
  const fields: Snapshot = { meta: JSON.stringify({ ...meta, jobIds: jobs.map((j) => j.id) }) };
  for (const job of jobs) fields[`job:${job.id}`] = JSON.stringify(job);
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
