import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { execaSync } from 'execa';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import recordSchema from '../../schemas/pipeline-record.schema.json' with { type: 'json' };
import { dependencyRepos, installTest, SPEC_NEEDING_DEP } from './dependency-repos.js';
import {
  type Farm,
  type FarmWorker,
  fakeGitea,
  farmConfig,
  latestStatuses,
  NAME,
  OWNER,
  type PackageRepo,
  packageRepo,
  type Serve,
  sendGitea,
  startFarmWorker,
  startServe,
  waitFor,
} from './farm.js';

/**
 * Comment commands end to end: `albs serve` (the built CLI) with a fake Gitea that answers the
 * permission question and records the replies, real git, real sandboxed builds. Test (b) fails,
 * then passes on the same commit, through a dependency repository the test owns (see
 * ./dependency-repos.ts).
 */

const WRITER = 'carol';
const READER = 'dave';

// biome-ignore lint/suspicious/noExplicitAny: records are JSON, checked against their schema
type RecordJson = any;

/** A Redis database of its own for the farm variant, flushed before and after. */
function redisUrl(db: number): string {
  const url = new URL(inject('redisUrl'));
  url.pathname = `/${db}`;
  return url.toString();
}

describe.each([
  { mode: 'embedded', redis: undefined },
  { mode: 'a farm', redis: redisUrl(14) },
])('comment commands on a Gitea pull request ($mode)', ({ redis }) => {
  const workers: FarmWorker[] = [];
  let gitea: Awaited<ReturnType<typeof fakeGitea>>;
  let repo: PackageRepo;
  let cloneUrl: string;
  let farm: Farm;
  let serve: Serve;
  let deps: ReturnType<typeof dependencyRepos>;
  let mainSha: string;
  let headSha: string;
  let firstId: string;
  let delivery = 0;

  const pullRequestPayload = (number: number, head: string) => {
    const repository = {
      id: 7,
      owner: { id: 3, login: OWNER, username: OWNER },
      name: NAME,
      full_name: `${OWNER}/${NAME}`,
      private: false,
      html_url: `https://gitea.example.org/${OWNER}/${NAME}`,
      clone_url: cloneUrl,
      default_branch: 'main',
    };
    const branch = (ref: string, sha: string) => ({ label: ref, ref, sha, repo_id: 7, repo: repository });
    return {
      action: 'opened',
      number,
      pull_request: {
        id: 500 + number,
        number,
        user: { id: 5, login: 'erin', username: 'erin' },
        title: 'A change',
        state: 'open',
        base: branch('main', mainSha),
        head: branch(`change-${number}`, head),
        merge_base: mainSha,
      },
      repository,
      sender: { id: 5, login: 'erin', username: 'erin' },
    };
  };

  /** Gitea's IssueCommentPayload for a new comment in pull request `number`'s conversation. */
  const comment = (number: number, user: string, body: string) => {
    const payload = pullRequestPayload(number, headSha);
    const sender = { id: user === WRITER ? 8 : 9, login: user, username: user };
    return sendGitea(
      farm.publicUrl,
      'issue_comment',
      {
        action: 'created',
        issue: {
          id: 600 + number,
          number,
          title: 'A change',
          state: 'open',
          pull_request: { merged: false, merged_at: null, draft: false },
          repository: { id: 7, name: NAME, owner: OWNER, full_name: `${OWNER}/${NAME}` },
        },
        pull_request: payload.pull_request,
        comment: { id: 900 + ++delivery, user: sender, body, created_at: '2026-11-30T21:00:00Z' },
        repository: payload.repository,
        sender,
        is_pull: true,
      },
      `comment-${delivery}`,
    );
  };

  const openPullRequest = (number: number, files: Record<string, string>) => {
    const git = (...args: string[]) =>
      execaSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', ...args], { cwd: repo.work })
        .stdout;
    git('checkout', '-q', '-b', `pr-${number}`, 'main');
    const sha = repo.commit(files, `pull request ${number}`);
    git('push', '-q', 'origin', `HEAD:refs/pull/${number}/head`);
    git('checkout', '-q', 'main');
    return sha;
  };

  const records = async (sha: string): Promise<RecordJson[]> =>
    (
      (await (await fetch(`${farm.publicUrl}/api/v1/pipelines?sha=${sha}`)).json()) as {
        pipelines: RecordJson[];
      }
    ).pipelines;
  const record = async (id: string): Promise<RecordJson> =>
    (await fetch(`${farm.publicUrl}/api/v1/pipelines/${id}`)).json();
  /** Where replies link a pipeline: where its summary status links (the pipeline's page). */
  const page = (id: string) => {
    const summary = gitea.statuses.find((s) => s.context === 'albs' && s.target_url.includes(id));
    if (!summary) throw new Error(`no summary status of pipeline ${id}`);
    return summary.target_url;
  };
  const replyTo = (user: string, after: number) =>
    waitFor(`a reply to ${user}`, () =>
      gitea.comments.slice(after).find((c) => c.body.startsWith(`@${user} `)),
    );
  const ended = (sha: string, after = 0) =>
    waitFor('the pipeline to end', () => {
      const latest = latestStatuses(gitea.statuses.slice(after), sha);
      // Each context is posted on its own: wait for all of them, not the summary alone.
      return latest.albs && Object.values(latest).every((s) => s.state !== 'pending') ? latest : undefined;
    });

  beforeAll(async () => {
    deps = dependencyRepos();

    repo = packageRepo('version: 1\n');
    mainSha = repo.commit(
      {
        [`${NAME}.spec`]: SPEC_NEEDING_DEP,
        '.albs.yml': `version: 1\non: {pull_requests: true}\nfail-fast: false\n${installTest(deps.dir)}`,
      },
      'tiny requires tiny-dep',
    );
    repo.push();
    gitea = await fakeGitea(repo.base, { [WRITER]: 'write', [READER]: 'read' });
    cloneUrl = `${gitea.url}/${OWNER}/${NAME}.git`;
    if (redis) {
      const client = new Redis(redis);
      await client.flushdb();
      client.disconnect();
      farm = await farmConfig(gitea.url, '', { redis, workers: { 'runner-1': 'runner' } });
    } else {
      farm = await farmConfig(gitea.url);
    }
    serve = (await startServe(farm)).child;
    if (redis) workers.push(startFarmWorker(farm, redis, 'runner-1'));

    headSha = openPullRequest(1, { README: 'a change\n' });
    expect(
      (await sendGitea(farm.publicUrl, 'pull_request', pullRequestPayload(1, headSha), 'pr-1')).status,
    ).toBe(202);
    const first = await ended(headSha);
    expect(first.albs?.state).toBe('failure');
    expect(first['albs/test (b)']?.state).toBe('failure');
    expect(first['albs/test (a)']?.state).toBe('success');
    [{ id: firstId }] = await records(headSha);
  }, 180_000);

  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await Promise.all(workers);
    serve?.kill('SIGTERM');
    const result = await serve;
    if (redis) {
      const client = new Redis(redis);
      await client.flushdb();
      client.disconnect();
    }
    if (result && result.exitCode !== 0 && result.exitCode !== null) console.log(result.all);
    gitea?.server.close();
  });

  it('refuses a reader with a reply, and starts nothing', async () => {
    const statusesBefore = gitea.statuses.length;
    const commentsBefore = gitea.comments.length;
    expect((await comment(1, READER, '/albs retry-failed')).status).toBe(202);
    const reply = await replyTo(READER, commentsBefore);
    expect(reply).toMatchObject({ repo: `${OWNER}/${NAME}`, number: 1 });
    expect(reply.body).toBe(
      `@${READER} \`/albs retry-failed\` needs write access to ${OWNER}/${NAME}; Gitea says you have read access. Ask a maintainer to run it.`,
    );
    expect(gitea.statuses.length).toBe(statusesBefore);
    const [only, ...others] = await records(headSha);
    expect(others).toEqual([]);
    expect(only.attempt).toBeUndefined();
    expect(only.result).toBe('failure');
  });

  it('retry-failed from a writer runs again only the failed test, reusing its build; the statuses follow', async () => {
    // The dependency repository catches up: tiny-dep is in deps-b now.
    deps.fix();

    const statusesBefore = gitea.statuses.length;
    const commentsBefore = gitea.comments.length;
    expect((await comment(1, WRITER, 'The mirror has tiny-dep now.\n/albs retry-failed')).status).toBe(202);
    const reply = await replyTo(WRITER, commentsBefore);
    expect(reply.body).toBe(
      `@${WRITER} retrying pipeline [${firstId}](${page(firstId)}) (attempt 2): \`test.b\` run again; 3 jobs keep their result.`,
    );
    const after = await ended(headSha, statusesBefore);
    expect(after.albs?.state).toBe('success');
    // test (b) and the summary turn from failure to success (the reporter never posts a pending
    // after a final state, so the forge shows no step back); the kept jobs never leave success.
    const posted = gitea.statuses.slice(statusesBefore).filter((s) => s.sha === headSha);
    const states = (context: string) => [
      ...new Set(posted.filter((s) => s.context === context).map((s) => s.state)),
    ];
    expect(states('albs/test (b)')).toEqual(['success']);
    expect(states('albs')).toEqual(['success']);
    for (const kept of ['albs/build (a)', 'albs/build (b)', 'albs/test (a)']) {
      expect(
        states(kept).filter((s) => s !== 'success'),
        kept,
      ).toEqual([]);
    }
    expect(Object.fromEntries(Object.entries(after).map(([c, s]) => [c, s.state]))).toEqual({
      'albs/build (a)': 'success',
      'albs/build (b)': 'success',
      'albs/test (a)': 'success',
      'albs/test (b)': 'success',
      albs: 'success',
    });

    const retried = await record(firstId);
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(recordSchema);
    expect(validate(retried), JSON.stringify(validate.errors)).toBe(true);
    expect(retried).toMatchObject({
      result: 'success',
      attempt: 2,
      retries: [{ attempt: 2, requestedBy: WRITER, deliveryId: expect.any(String) }],
    });
    const jobs = Object.fromEntries(retried.jobs.map((j: RecordJson) => [j.id, j]));
    // Every job kept its first run; only test.b ran again, in attempt 2.
    expect(jobs['build.a'].attempts).toHaveLength(1);
    expect(jobs['build.b'].attempts).toHaveLength(1);
    expect(jobs['test.a'].attempts).toHaveLength(1);
    expect(jobs['test.b'].attempts.map((a: RecordJson) => [a.attempt ?? 1, a.outcome])).toEqual([
      [1, 'failure'],
      [2, 'success'],
    ]);
    expect(jobs['build.b'].artifacts.some((a: string) => a.endsWith('.noarch.rpm'))).toBe(true);
    // The first attempt's log is kept beside the second's.
    const logs = join(farm.dataDir, 'pipelines', firstId, 'logs');
    expect(readdirSync(logs)).toContain('test.b.attempt-1.log');
    const log = await (await fetch(`${farm.publicUrl}/api/v1/pipelines/${firstId}/jobs/test.b/log`)).text();
    expect(log).toMatch(/tiny-dep/);
  }, 180_000);

  it('rebuild starts a second pipeline for the same commit', async () => {
    const statusesBefore = gitea.statuses.length;
    const commentsBefore = gitea.comments.length;
    expect((await comment(1, WRITER, '/albs rebuild')).status).toBe(202);
    const reply = await replyTo(WRITER, commentsBefore);
    const [newest, older] = await records(headSha);
    expect(older.id).toBe(firstId);
    expect(newest.id).not.toBe(firstId);
    expect(newest.source).toMatchObject({ sha: headSha, rebuildOf: firstId, sender: WRITER });
    expect((await ended(headSha, statusesBefore)).albs?.state).toBe('success');
    expect(reply.body).toBe(
      `@${WRITER} rebuilding ${headSha.slice(0, 12)}: pipeline [${newest.id}](${page(newest.id)}) (a rebuild of [${firstId}](${page(firstId)})).`,
    );
    const rebuilt = await record(newest.id);
    // Built again from scratch: every job ran once in the new pipeline.
    expect(rebuilt.jobs.map((j: RecordJson) => [j.id, j.state, j.attempts.length])).toEqual([
      ['build.a', 'success', 1],
      ['build.b', 'success', 1],
      ['test.a', 'success', 1],
      ['test.b', 'success', 1],
    ]);
  }, 180_000);

  it('cancel stops a running pipeline; on an ended one it says so', async () => {
    const slowSha = openPullRequest(2, {
      [`${NAME}.spec`]: SPEC_NEEDING_DEP.replace('%install', '%build\nsleep 120\n\n%install'),
    });
    headSha = slowSha;
    expect(
      (await sendGitea(farm.publicUrl, 'pull_request', pullRequestPayload(2, slowSha), 'pr-2')).status,
    ).toBe(202);
    await waitFor('the slow build to run', () =>
      latestStatuses(gitea.statuses, slowSha)['albs/build (a)']?.description === 'running' ? true : undefined,
    );
    let commentsBefore = gitea.comments.length;
    expect((await comment(2, WRITER, '/albs cancel')).status).toBe(202);
    const [slow] = await records(slowSha);
    expect((await replyTo(WRITER, commentsBefore)).body).toBe(
      `@${WRITER} cancelling pipeline [${slow.id}](${page(slow.id)}).`,
    );
    const latest = await ended(slowSha);
    expect(latest.albs?.state).toBe('error');
    expect(latest['albs/build (a)']?.description).toBe(`cancelled: cancelled by ${WRITER} (/albs cancel)`);
    expect((await record(slow.id)).result).toBe('cancelled');

    commentsBefore = gitea.comments.length;
    expect((await comment(2, WRITER, '/albs cancel')).status).toBe(202);
    expect((await replyTo(WRITER, commentsBefore)).body).toBe(
      `@${WRITER} pipeline [${slow.id}](${page(slow.id)}) has already ended (cancelled): nothing to cancel.`,
    );
    expect(existsSync(join(farm.dataDir, 'pipelines', slow.id, 'record.json'))).toBe(true);
  }, 180_000);
});
