import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ulid } from 'ulid';
import { parseDocument } from 'yaml';
import { formatProblem, loadConfig } from '../config/index.js';
import { buildPlan } from '../plan/build-plan.js';
import type { Trigger } from '../plan/types.js';
import { fetchDsc } from '../sources/fetch-dsc.js';
import { fetchSrpm } from '../sources/fetch-srpm.js';
import type { GitSource } from './intake.js';
import type { PipelineRecord, PipelineRecords } from './pipeline-records.js';
import { jobRecords, type PipelineRunner } from './pipeline-service.js';

/** A body of `POST /api/v1/builds`, checked. */
export type Submission =
  | { kind: 'srpm' | 'dsc'; url: string; sha256: string; config?: string | undefined }
  | { kind: 'git'; url: string; ref: string; sha: string; config?: string | undefined };

/** Why a body is not a submission, or the submission. */
export function parseSubmission(body: unknown): Submission | { error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      error:
        'the body must be a JSON object: {"srpm": URL, "sha256": HEX}, {"dsc": …} or {"git": {"url", "ref", "sha"}}',
    };
  }
  const b = body as Record<string, unknown>;
  const config = b.config;
  if (config !== undefined && typeof config !== 'string')
    return { error: '"config" must be the text of a .albs.yml' };
  const sha256 = b.sha256;
  for (const kind of ['srpm', 'dsc'] as const) {
    const url = b[kind];
    if (url === undefined) continue;
    if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url))
      return { error: `"${kind}" must be an http(s) URL` };
    if (typeof sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256)) {
      return { error: `"${kind}" needs "sha256": the file's SHA-256, 64 hex digits` };
    }
    return { kind, url, sha256: sha256.toLowerCase(), config };
  }
  const git = b.git;
  if (typeof git === 'object' && git !== null) {
    const { url, ref, sha } = git as Record<string, unknown>;
    if (typeof url !== 'string' || !/^(https?|git):\/\/\S+$/.test(url))
      return { error: '"git.url" must be an http(s) or git:// clone URL' };
    if (typeof ref !== 'string' || !ref.startsWith('refs/'))
      return { error: '"git.ref" must be a full ref: refs/tags/v1.0, refs/heads/main' };
    if (typeof sha !== 'string' || !/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(sha))
      return { error: '"git.sha" must be the commit id (40 or 64 lower-case hex digits)' };
    return { kind: 'git', url, ref, sha, config };
  }
  return { error: 'give "srpm" and "sha256", "dsc" and "sha256", or "git": {"url", "ref", "sha"}' };
}

export interface SubmissionsOptions {
  records: PipelineRecords;
  git: GitSource;
  service: PipelineRunner;
  onChange: (record: PipelineRecord) => void;
  /** Runs work after the submissions and deliveries before it (the intake's order). */
  enqueue: (work: () => Promise<void>) => void;
  log: Logger;
}

/** What a submission without a config gets: a build for the runner's arch, an install test, no publish. */
export function defaultConfig(): string {
  return 'version: 1\ntest: [install]\n';
}

/**
 * Submissions to the builds API: the record exists when the call returns (201 with its id), the
 * rest follows in the intake's order. A src.rpm or .dsc is downloaded and checked here, with the
 * same caps and sha256 check as `albs run`, so a refused download fails the pipeline with its reason
 * before any build; a git submission reads its .albs.yml from that commit unless one is given.
 */
export async function submit(
  options: SubmissionsOptions,
  submission: Submission,
  submitter: string,
): Promise<string> {
  const { records } = options;
  const id = ulid();
  const trigger: Trigger =
    submission.kind === 'git' && submission.ref.startsWith('refs/tags/')
      ? { event: 'tag', ref: submission.ref.slice('refs/tags/'.length) }
      : {
          event: 'branch',
          ref: submission.kind === 'git' ? submission.ref.replace(/^refs\/heads\//, '') : 'submit',
        };
  const record: PipelineRecord = {
    version: 1,
    id,
    source: {
      forge: 'submit',
      repository: `submit:${submitter}`,
      cloneUrl: submission.kind === 'git' ? submission.url : null,
      sha: submission.kind === 'git' ? submission.sha : null,
      ref: submission.kind === 'git' ? submission.ref : submission.url,
      event: 'submit',
      deliveryId: null,
      sender: submitter,
      private: false,
    },
    trigger,
    result: 'queued',
    reason: null,
    createdAt: new Date().toISOString(),
    startedAt: null,
    finishedAt: null,
    jobs: [],
    repos: [],
  };
  await records.create(record);
  options.enqueue(() => prepare(options, record.id, submission));
  return id;
}

async function prepare(options: SubmissionsOptions, id: string, submission: Submission): Promise<void> {
  const { records, log } = options;
  const dir = records.pipelineDir(id);
  const src = join(dir, 'src');
  const fail = async (reason: string) => {
    await records.update(id, (r) => {
      r.result = 'failure';
      r.reason = reason;
      r.finishedAt = new Date().toISOString();
    });
    log.info({ pipelineId: id, reason }, 'submission refused');
    options.onChange(records.get(id)!);
  };
  let text: string;
  try {
    if (submission.kind === 'git') {
      await options.git.fetch(submission.url, submission.ref, submission.sha);
      const fromCommit = await options.git.readFile(submission.url, submission.sha, '.albs.yml');
      text = submission.config ?? fromCommit?.toString('utf8') ?? defaultConfig();
      await options.git.exportTree(submission.url, submission.sha, src);
    } else {
      // The link goes into the config's source, whatever the given config said of it.
      const doc = parseDocument(submission.config ?? defaultConfig());
      doc.set('source', { [submission.kind]: submission.url, sha256: submission.sha256 });
      text = doc.toString();
      await mkdir(src, { recursive: true });
      const check = join(dir, 'submitted');
      if (submission.kind === 'srpm')
        await fetchSrpm({ url: submission.url, sha256: submission.sha256, destDir: check });
      else await fetchDsc({ url: submission.url, sha256: submission.sha256, destDir: check });
    }
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const loaded = loadConfig(text, '.albs.yml');
  if (loaded.config === null) {
    const first = loaded.problems.find((p) => p.severity === 'error') ?? loaded.problems[0];
    return fail(first ? formatProblem(first).replace(/: error:/, ':') : '.albs.yml is invalid');
  }
  const record = records.get(id)!;
  const plan = buildPlan(loaded.config, record.trigger);
  if (plan.skipped) return fail(`no pipeline: ${plan.skipped.reason}`);
  await records.update(id, (r) => {
    r.jobs = jobRecords(plan);
  });
  options.onChange(records.get(id)!);
  log.info({ pipelineId: id, jobs: plan.jobs.length, submitter: record.source.sender }, 'submission queued');
  void options.service
    .run(records.get(id)!, plan, loaded.config.concurrency.cancelInProgress)
    .then(() => log.info({ pipelineId: id, result: records.get(id)?.result }, 'pipeline finished'))
    .catch((error: unknown) => log.error({ err: error, pipelineId: id }, 'pipeline crashed'));
}
