/**
 * mode: submit. The pipeline goes to an albs-ci server through its builds API (POST
 * /api/v1/builds: a src.rpm link with its sha256, or the workflow's repository at github.sha),
 * and is followed (GET /api/v1/pipelines/ID) until it ends: a line per job state change, then each
 * job's log in a group of its own, the outputs and the job summary. A pipeline that does not
 * succeed fails the step.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildPlan } from '../plan/build-plan.js';
import type { Plan } from '../plan/types.js';
import { readPackageConfig } from './config-file.js';
import { InputError, type OutputName, readInput } from './inputs.js';
import { duration, type JobOutcome, type matrixGrid, summaryMarkdown } from './job-summary.js';
import { PipelineFailed } from './run-mode.js';
import type { Workflow } from './workflow-commands.js';
import { readWorkflowContext, workflowTrigger } from './workflow-event.js';

/** What GET /api/v1/pipelines/ID answers (schemas/pipeline-record.schema.json), the parts read here. */
interface PipelineRecord {
  id: string;
  result: string;
  reason: string | null;
  finishedAt: string | null;
  jobs: (JobOutcome & { id: string; name: string; log: string | null })[];
  repos: { repo: string; family: 'rpm' | 'deb'; url: string; repoFile: string }[];
}

export interface SubmitModeOptions {
  env: NodeJS.ProcessEnv;
  workflow: Workflow;
  setOutputs: (outputs: Partial<Record<OutputName, string>>) => void;
  /** Between two looks at the pipeline. */
  pollMs?: number;
}

/** Looks at the pipeline that fail in a row before the server counts as lost (about a minute). */
const MAX_MISSES = 60;

function serverInput(env: NodeJS.ProcessEnv): string {
  const server = readInput(env, 'server-url').replace(/\/+$/, '');
  if (server === '') {
    throw new InputError(
      "mode submit needs the input server-url: the albs-ci server's public URL (e.g. https://albs.example.org)",
    );
  }
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new InputError(
      `input server-url is "${server}", which is not a URL; give e.g. https://albs.example.org`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`input server-url is "${server}"; give an http(s) URL`);
  }
  return server;
}

function waitInput(env: NodeJS.ProcessEnv): boolean {
  const wait = readInput(env, 'wait') || 'true';
  if (wait !== 'true' && wait !== 'false')
    throw new InputError(`input wait is "${wait}"; give true or false`);
  return wait === 'true';
}

export async function submitMode(options: SubmitModeOptions): Promise<void> {
  const { env, workflow } = options;
  const server = serverInput(env);
  const token = readInput(env, 'token');
  if (token === '') {
    throw new InputError(
      "mode submit needs the input token: a submit token of the server's submit-tokens-file, from a secret (token: ${{ secrets.ALBS_TOKEN }})",
    );
  }
  const wait = waitInput(env);
  const context = readWorkflowContext(env);
  const srpm = readInput(env, 'srpm');
  const sha256 = readInput(env, 'sha256');
  let body: Record<string, unknown>;
  let plan: Plan | undefined;
  let matrix: Parameters<typeof matrixGrid>[1] | undefined;
  if (srpm !== '') {
    if (!/^[0-9a-fA-F]{64}$/.test(sha256)) {
      throw new InputError(
        `input srpm needs sha256: the src.rpm's SHA-256, 64 hex digits (sha256sum FILE)${sha256 ? `; "${sha256}" is not one` : ''}`,
      );
    }
    body = { srpm, sha256 };
  } else {
    if (sha256 !== '')
      throw new InputError('input sha256 is set but srpm is not: give the src.rpm link as srpm');
    const trigger = workflowTrigger(context, readInput(env, 'event'), readInput(env, 'ref'));
    if (trigger.event === 'pull_request') {
      throw new InputError(
        "mode submit builds pushes and tags: the builds API takes a branch or a tag, and a pull request's commit submitted as a branch could be signed and published; use mode run for pull requests (it never signs or publishes them)",
      );
    }
    if (!context.repository || !/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(context.sha)) {
      throw new InputError(
        'GITHUB_REPOSITORY and GITHUB_SHA name no commit to submit: run the action in a workflow, or give srpm and sha256',
      );
    }
    const ref = `refs/${trigger.event === 'tag' ? 'tags' : 'heads'}/${trigger.ref}`;
    body = { git: { url: `${context.serverUrl}/${context.repository}.git`, ref, sha: context.sha } };
    // The checked-out .albs.yml, when there is one, is checked here first (annotated at its lines)
    // and gives the summary its grid; the server reads the same file at that commit.
    const path = readInput(env, 'path') || '.';
    if (existsSync(join(resolve(context.workspace, path), '.albs.yml'))) {
      const pkg = await readPackageConfig(context.workspace, path, workflow);
      if (pkg.config === null) {
        throw new InputError(
          `${pkg.file} is invalid: ${pkg.errors} error(s), each annotated at its line; nothing was submitted`,
        );
      }
      plan = buildPlan(pkg.config, trigger);
      matrix = pkg.config.matrix;
    }
  }

  const answer = await call<{ id?: string; url?: string; error?: string }>(server, '/api/v1/builds', token, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (answer.status !== 201 || !answer.json.id) {
    throw new InputError(
      `${server} refused the submission (HTTP ${answer.status}): ${answer.json.error ?? 'no reason given'}`,
    );
  }
  const id = answer.json.id;
  const url = answer.json.url ?? `${server}/api/v1/pipelines/${id}`;
  options.setOutputs({ 'pipeline-id': id, 'pipeline-url': url });
  workflow.line(`albs-ci: submitted to ${server}: pipeline ${id}: ${url}`);
  if (!wait) {
    options.setOutputs({ status: 'success', repos: '{}', packages: '[]' });
    return;
  }

  const record = await follow(server, id, token, workflow, options.pollMs ?? 1000);
  for (const job of record.jobs.filter((j) => j.log !== null)) {
    const log = await call<unknown>(server, `/api/v1/pipelines/${id}/jobs/${job.id}/log`, token, {}, 'text');
    const took = job.durationMs === null ? '' : ` in ${duration(job.durationMs)}`;
    workflow.group(`${job.name}: ${job.state}${took}`);
    workflow.untrusted(log.status === 200 ? log.text : `(no log: HTTP ${log.status})\n`);
    workflow.endGroup();
  }
  const success = record.result === 'success';
  options.setOutputs({
    status: success ? 'success' : 'failure',
    repos: JSON.stringify(Object.fromEntries(record.repos.map((r) => [r.repo, r.url]))),
    packages: '[]',
  });
  const outcomes = Object.fromEntries(record.jobs.map((j) => [j.id, j]));
  const repos = record.repos.map((r) => ({
    repo: r.repo,
    family: r.family,
    location: r.url,
    repoFile: r.repoFile,
  }));
  const notes = [`[pipeline ${id}](${url})${record.reason ? `: ${record.reason}` : ''}`];
  // The grid needs the plan; the checked-out config gives it when its jobs are the server's.
  if (plan && matrix && plan.jobs.length > 0 && plan.jobs.every((j) => outcomes[j.id])) {
    workflow.summary(
      summaryMarkdown({
        title: 'albs-ci (submitted)',
        plan,
        matrix,
        outcomes,
        result: record.result,
        repos,
        notes,
      }),
    );
  } else {
    workflow.summary(
      jobList(record, url, repos.length > 0 ? repos.map((r) => `- **${r.repo}**: ${r.location}`) : []),
    );
  }
  if (!success) {
    const failed = record.jobs.filter((j) => j.state === 'failure' || j.state === 'error');
    throw new PipelineFailed(
      `pipeline ${id} on ${server} ended ${record.result}${record.reason ? `: ${record.reason}` : ''}${
        failed.length > 0 ? ` (${failed.map((j) => `${j.name}: ${j.reason ?? j.state}`).join('; ')})` : ''
      }`,
    );
  }
}

function jobList(record: PipelineRecord, url: string, repos: string[]): string {
  const rows = record.jobs.map(
    (j) => `| ${j.name} | ${j.state} | ${j.durationMs === null ? '—' : duration(j.durationMs)} |`,
  );
  return [
    `## albs-ci (submitted): ${record.result}`,
    '',
    `[pipeline ${record.id}](${url})${record.reason ? `: ${record.reason}` : ''}`,
    '',
    ...(rows.length > 0 ? ['| job | state | duration |', '|---|---|---|', ...rows, ''] : []),
    ...(repos.length > 0 ? ['### Published repositories', '', ...repos, ''] : []),
  ].join('\n');
}

/** Looks at the pipeline until it ends, a line per job state change inside a log group. */
async function follow(
  server: string,
  id: string,
  token: string,
  workflow: Workflow,
  pollMs: number,
): Promise<PipelineRecord> {
  workflow.group(`Pipeline ${id} on ${server}`);
  const seen = new Map<string, string>();
  let misses = 0;
  try {
    for (;;) {
      // A server restarting or a network hiccup is waited out; a refused token is not.
      const got = await call<PipelineRecord>(server, `/api/v1/pipelines/${id}`, token, {}).catch(
        (error: unknown) => {
          if (!(error instanceof ServerUnreachable) || ++misses >= MAX_MISSES) throw error;
          return undefined;
        },
      );
      if (got && (got.status === 401 || got.status === 404)) {
        throw new InputError(
          `${server} answers HTTP ${got.status} for pipeline ${id}: ${(got.json as { error?: string }).error ?? 'no reason given'}`,
        );
      }
      if (got?.status === 200) {
        misses = 0;
        const record = got.json;
        const changes = record.jobs
          .filter((j) => seen.get(j.id) !== j.state)
          .map((j) => {
            seen.set(j.id, j.state);
            const took = j.durationMs === null ? '' : ` in ${duration(j.durationMs)}`;
            return `${j.id}: ${j.state}${took}${j.reason ? `: ${j.reason}` : ''}\n`;
          });
        workflow.untrusted(changes.join(''));
        if (record.finishedAt !== null) {
          workflow.untrusted(`pipeline ${record.result}${record.reason ? `: ${record.reason}` : ''}\n`);
          return record;
        }
      } else if (got && ++misses >= MAX_MISSES) {
        throw new InputError(
          `${server} answered HTTP ${got.status} ${MAX_MISSES} times in a row for pipeline ${id}`,
        );
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    workflow.endGroup();
  }
}

class ServerUnreachable extends InputError {
  override name = 'ServerUnreachable';
}

interface Answer<T> {
  status: number;
  json: T;
  text: string;
}

/** One request to the server; unreachable and 401 become errors that say so and what to check. */
async function call<T>(
  server: string,
  path: string,
  token: string,
  init: RequestInit,
  as: 'json' | 'text' = 'json',
): Promise<Answer<T>> {
  let response: Response;
  try {
    response = await fetch(`${server}${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ServerUnreachable(
      `cannot reach the albs-ci server at ${server} (${cause?.code ?? cause?.message ?? (error as Error).message}): check the input server-url, and that the server is up and reachable from this runner`,
      { cause: error },
    );
  }
  const text = await response.text();
  if (response.status === 401) {
    let reason = '';
    try {
      reason = (JSON.parse(text) as { error?: string }).error ?? '';
    } catch {}
    throw new InputError(
      `${server} answered 401 Unauthorized${reason ? ` (${reason})` : ''}: the input token is not one of the server's submit tokens; check the secret it comes from and the server's submit-tokens-file`,
    );
  }
  let json = {} as T;
  if (as === 'json') {
    try {
      json = JSON.parse(text) as T;
    } catch {}
  }
  return { status: response.status, json, text };
}
