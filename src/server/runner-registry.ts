import type { Redis } from 'ioredis';

export type RunnerRole = 'runner' | 'signer';

export interface RunnerInfo {
  name: string;
  role: RunnerRole;
  labels: string[];
  running: { pipeline: string; job: string }[];
  /** ISO time of the last heartbeat the server received. */
  lastHeartbeat: string;
}

/** A runner heartbeats every 10 s; one silent for three beats counts as gone. */
export const HEARTBEAT_MS = 10_000;
const GONE_AFTER_MS = 3 * HEARTBEAT_MS;

/**
 * The runners and signers that are connected: each heartbeats over HTTP and the server keeps the
 * last one in the hash `<prefix>:runners` (so every replica sees every runner). Runners never
 * write it themselves.
 */
export class RunnerRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  private get key(): string {
    return `${this.prefix}:runners`;
  }

  async heartbeat(info: Omit<RunnerInfo, 'lastHeartbeat'>): Promise<void> {
    const entry: RunnerInfo = { ...info, lastHeartbeat: new Date(this.now()).toISOString() };
    await this.redis.hset(this.key, info.name, JSON.stringify(entry));
  }

  /** A runner that stopped cleanly says so: its labels no longer count. */
  async leave(name: string): Promise<void> {
    await this.redis.hdel(this.key, name);
  }

  /** Connected runners (heard from within three heartbeats), by name. */
  async list(): Promise<RunnerInfo[]> {
    const all = await this.redis.hgetall(this.key);
    const cutoff = this.now() - GONE_AFTER_MS;
    return Object.values(all)
      .map((text) => JSON.parse(text) as RunnerInfo)
      .filter((info) => Date.parse(info.lastHeartbeat) >= cutoff)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Whether a connected runner of `role` has every one of `labels`. */
  async covers(role: RunnerRole, labels: readonly string[]): Promise<boolean> {
    return (await this.list()).some(
      (info) => info.role === role && labels.every((label) => info.labels.includes(label)),
    );
  }
}
