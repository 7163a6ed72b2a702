import type { Job } from '../../plan/types.js';

/**
 * The Redis names the server, the runners and the signer agree on (a frozen contract: change one
 * and every host must change with it). Every name is written after the deployment's key prefix:
 * `<prefix>:albs:queues`, `<prefix>:albs:build:x86_64:wait`, …
 *
 * - `albs:build:<labels>`: one queue per distinct runs-on set, for every job but sign jobs. The
 *   labels are deduplicated, sorted (Array.prototype.sort: by UTF-16 code unit), each written with
 *   encodeURIComponent (so `+`, `:` and `%` in a label are escaped) and joined by `+`:
 *   `albs:build:el9+x86_64`. An empty runs-on is `albs:build:any`; the label `any` itself is
 *   written `%61ny` so the two cannot meet.
 * - `albs:sign`: sign jobs, whatever their runs-on; only the signer takes them.
 * - `albs:queues`: a Redis SET of the queue names above that ever had a job, so a runner finds a
 *   queue created after it started.
 */
export const REGISTRY_KEY = 'albs:queues';
export const SIGN_QUEUE = 'albs:sign';
export const BUILD_QUEUE_PREFIX = 'albs:build:';
/** The build queue of jobs with an empty runs-on: every runner takes from it. */
export const ANY_BUILD_QUEUE = `${BUILD_QUEUE_PREFIX}any`;
/** Pub/sub: `{"id", "reason"}` when a running job is cancelled; every processor listens. */
export const CANCEL_CHANNEL = 'albs:cancel';
/** Pub/sub: a queue name, published when it first enters the registry. */
export const QUEUE_ADDED_CHANNEL = 'albs:queue-added';
/** String key per BullMQ job id: the cancel reason, kept as long as finished jobs are. */
export const CANCELLED_KEY_PREFIX = 'albs:cancelled:';

function encodeLabel(label: string): string {
  const encoded = encodeURIComponent(label);
  return encoded === 'any' ? '%61ny' : encoded;
}

/** The build queue for jobs whose runs-on is `labels`. */
export function buildQueueName(labels: readonly string[]): string {
  const set = [...new Set(labels)].sort();
  return set.length === 0 ? ANY_BUILD_QUEUE : BUILD_QUEUE_PREFIX + set.map(encodeLabel).join('+');
}

/** The queue a job travels in. */
export function queueNameFor(job: Job): string {
  return job.stage === 'sign' ? SIGN_QUEUE : buildQueueName(job.runsOn);
}

/** The labels a build queue's jobs need, or null when `name` is not a build queue's. */
export function buildQueueLabels(name: string): string[] | null {
  if (!name.startsWith(BUILD_QUEUE_PREFIX)) return null;
  const rest = name.slice(BUILD_QUEUE_PREFIX.length);
  if (rest === 'any') return [];
  try {
    const labels = rest.split('+').map(decodeURIComponent);
    return labels.every((label) => label !== '') ? labels : null;
  } catch {
    return null;
  }
}

/**
 * BullMQ refuses a `:` in a queue name, so the name's last part is the BullMQ queue and the rest
 * joins the key prefix: BullMQ then writes `<prefix>:albs:build:x86_64:wait`, the keys the whole
 * name would have had.
 */
export function bullmqQueueOf(prefix: string, name: string): { prefix: string; name: string } {
  const cut = name.lastIndexOf(':');
  return { prefix: `${prefix}:${name.slice(0, cut)}`, name: name.slice(cut + 1) };
}

/**
 * The BullMQ job id of a job's attempt: `<pipelineId>:<jobId>:<attempt>`, each part written with
 * encodeURIComponent. Adding a job whose id exists is a no-op in BullMQ: that is what makes
 * enqueue idempotent. BullMQ 6 accepts a `:` in a custom id only when there are exactly three
 * parts, which the encoding guarantees.
 */
export function bullmqJobId(pipelineId: string, jobId: string, attempt = 1): string {
  return `${encodeURIComponent(pipelineId)}:${encodeURIComponent(jobId)}:${attempt}`;
}

/** The inverse of bullmqJobId, or null for an id that is not one of ours. */
export function parseBullmqJobId(id: string): { pipelineId: string; jobId: string; attempt: number } | null {
  const parts = id.split(':');
  if (parts.length !== 3) return null;
  const attempt = Number(parts[2]);
  if (!Number.isInteger(attempt) || attempt < 1) return null;
  try {
    return { pipelineId: decodeURIComponent(parts[0]!), jobId: decodeURIComponent(parts[1]!), attempt };
  } catch {
    return null;
  }
}
