import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubExample } from '../forge/github-examples.js';
import { dependencyRepos, installTest, SPEC_NEEDING_DEP } from './dependency-repos.js';
import { fakeGithub, GITHUB_SECRET, INSTALLATION, sendGithub } from './fake-github.js';
import {
  type Farm,
  farmConfig,
  latestStatuses,
  NAME,
  OWNER,
  type PackageRepo,
  packageRepo,
  type Serve,
  startServe,
  waitFor,
} from './farm.js';

/**
 * `/albs retry-failed` in a GitHub commit comment, on a branch pipeline that signs and publishes a
 * repository per matrix value: test (b) fails (its dependency repository lacks tiny-dep, see
 * ./dependency-repos.ts), which leaves sign (tiny-b) and publish (tiny-b) skipped while tiny-a is
 * published. After the dependency repository is fixed, a writer's retry runs exactly test.b and
 * the two jobs it left skipped; builds, test.a and tiny-a's jobs keep their results.
 */

const WRITER = 'octocat';
const READER = 'hubot';

// biome-ignore lint/suspicious/noExplicitAny: records are JSON
type RecordJson = any;

describe('comment commands on a GitHub commit', () => {
  let github: Awaited<ReturnType<typeof fakeGithub>>;
  let repo: PackageRepo;
  let farm: Farm;
  let serve: Serve;
  let deps: ReturnType<typeof dependencyRepos>;
  let sha: string;
  let id: string;
  let delivery = 0;

  /** A real payload (@octokit/webhooks-examples) pointed at our repository and installation. */
  const ours = (payload: RecordJson) => {
    payload.installation = { id: INSTALLATION, node_id: 'MDIz' };
    payload.repository.name = NAME;
    payload.repository.full_name = `${OWNER}/${NAME}`;
    payload.repository.owner.login = OWNER;
    payload.repository.private = false;
    payload.repository.clone_url = `${github.url}/${OWNER}/${NAME}.git`;
    payload.repository.html_url = `https://github.example/${OWNER}/${NAME}`;
    return payload;
  };
  const commitComment = (user: string, body: string) => {
    const payload = ours(githubExample('commit_comment', (p) => p.action === 'created'));
    payload.comment.body = body;
    payload.comment.commit_id = sha;
    payload.comment.id = 7000 + ++delivery;
    payload.comment.user.login = user;
    payload.sender.login = user;
    return sendGithub(farm.publicUrl, 'commit_comment', payload, `cc-${delivery}`);
  };
  const replyTo = (user: string, after: number) =>
    waitFor(`a reply to ${user}`, () =>
      github.comments.slice(after).find((c) => c.body.startsWith(`@${user} `)),
    );
  const ended = (after = 0) =>
    waitFor('every status to end', () => {
      const latest = latestStatuses(github.statuses.slice(after), sha);
      return latest.albs && Object.values(latest).every((s) => s.state !== 'pending') ? latest : undefined;
    });
  const states = (latest: Record<string, { state: string }>) =>
    Object.fromEntries(Object.entries(latest).map(([c, s]) => [c, s.state]));

  beforeAll(async () => {
    deps = dependencyRepos();
    repo = packageRepo('version: 1\n');
    sha = repo.commit(
      {
        [`${NAME}.spec`]: SPEC_NEEDING_DEP,
        '.albs.yml': `version: 1
on: {branches: [main], pull_requests: true}
fail-fast: false
${installTest(deps.dir)}sign: {key: release}
publish: [{repo: "tiny-\${{ matrix.deps }}"}]
`,
      },
      'a repository per dependency source',
    );
    repo.push();
    github = await fakeGithub(repo.base, { [WRITER]: 'admin', [READER]: 'read' });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    farm = await farmConfig('http://127.0.0.1:9');
    const pem = join(farm.dir, 'app.pem');
    writeFileSync(pem, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
    const secret = join(farm.dir, 'github.secret');
    writeFileSync(secret, `${GITHUB_SECRET}\n`, { mode: 0o600 });
    writeFileSync(
      farm.configFile,
      `${readFileSync(farm.configFile, 'utf8')}github:\n  app-id: 12345\n  private-key-file: ${pem}\n  webhook-secret-file: ${secret}\n  api-url: ${github.url}\n`,
    );
    serve = (await startServe(farm)).child;

    const push = ours(githubExample('push', (p) => String(p.ref).startsWith('refs/heads/') && !p.deleted));
    push.ref = 'refs/heads/main';
    push.after = sha;
    if (push.head_commit) push.head_commit.id = sha;
    expect((await sendGithub(farm.publicUrl, 'push', push, 'push-1')).status).toBe(202);
    expect(states(await ended())).toEqual({
      'albs/build (a)': 'success',
      'albs/build (b)': 'success',
      'albs/test (a)': 'success',
      'albs/test (b)': 'failure',
      'albs/sign (tiny-a)': 'success',
      'albs/sign (tiny-b)': 'error',
      'albs/publish (tiny-a)': 'success',
      'albs/publish (tiny-b)': 'error',
      albs: 'failure',
    });
    const list = (await (await fetch(`${farm.publicUrl}/api/v1/pipelines?sha=${sha}`)).json()) as {
      pipelines: { id: string }[];
    };
    id = list.pipelines[0]!.id;
  }, 180_000);

  afterAll(async () => {
    serve?.kill('SIGTERM');
    await serve;
    github?.server.close();
  });

  it('refuses a reader with a reply on the commit', async () => {
    const before = github.comments.length;
    expect((await commitComment(READER, '/albs retry-failed')).status).toBe(202);
    const reply = await replyTo(READER, before);
    expect(reply.sha).toBe(sha);
    expect(reply.body).toBe(
      `@${READER} \`/albs retry-failed\` needs write access to ${OWNER}/${NAME}; GitHub says you have read access. Ask a maintainer to run it.`,
    );
    expect(
      ((await (await fetch(`${farm.publicUrl}/api/v1/pipelines/${id}`)).json()) as RecordJson).attempt,
    ).toBe(undefined);
  });

  it('retry-failed runs again exactly the failed test and the sign and publish it skipped', async () => {
    expect((await fetch(`${farm.publicUrl}/repos/tiny-b/tiny-b.repo`)).status).toBe(404);
    deps.fix();
    const statusesBefore = github.statuses.length;
    const before = github.comments.length;
    expect((await commitComment(WRITER, '/albs retry-failed')).status).toBe(202);
    const reply = await replyTo(WRITER, before);
    expect(reply.sha).toBe(sha);
    expect(reply.body).toMatch(
      new RegExp(
        `^@${WRITER} retrying pipeline \\[${id}\\]\\(\\S+${id}\\) \\(attempt 2\\): \`test.b\`, \`sign.tiny-b\`, \`publish.tiny-b\` run again; 5 jobs keep their result.$`,
      ),
    );
    const after = await ended(statusesBefore);
    expect(Object.values(states(after)).every((s) => s === 'success')).toBe(true);
    expect(Object.keys(after)).toHaveLength(9);

    const record = (await (await fetch(`${farm.publicUrl}/api/v1/pipelines/${id}`)).json()) as RecordJson;
    const runs = Object.fromEntries(
      record.jobs.map((j: RecordJson) => [j.id, j.attempts.map((a: RecordJson) => a.attempt ?? 1)]),
    );
    expect(runs).toEqual({
      'build.a': [1],
      'build.b': [1],
      'test.a': [1],
      'test.b': [1, 2],
      'sign.tiny-a': [1],
      'sign.tiny-b': [2],
      'publish.tiny-a': [1],
      'publish.tiny-b': [2],
    });
    expect(record.result).toBe('success');
    expect(record.repos.map((r: RecordJson) => r.repo).sort()).toEqual(['tiny-a', 'tiny-b']);
    // tiny-b is published now, from build (b)'s packages of the first attempt.
    expect((await fetch(`${farm.publicUrl}/repos/tiny-b/tiny-b.repo`)).status).toBe(200);
  }, 180_000);

  it('rebuild in a pull request comment builds the pull request again and replies in it', async () => {
    // Pull request 5: its head kept at refs/pull/5/head of the base repository, as GitHub does.
    const git = (...args: string[]) =>
      execaSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', ...args], { cwd: repo.work })
        .stdout;
    git('checkout', '-q', '-b', 'pr-5', 'main');
    const head = repo.commit({ README: 'a change\n' }, 'pull request 5');
    git('push', '-q', 'origin', 'HEAD:refs/pull/5/head');
    git('checkout', '-q', 'main');
    const opened = ours(githubExample('pull_request', (p) => p.action === 'opened' && p.installation));
    opened.number = 5;
    opened.pull_request.number = 5;
    opened.pull_request.head.sha = head;
    opened.pull_request.head.ref = 'change';
    opened.pull_request.base.sha = sha;
    opened.pull_request.base.ref = 'main';
    for (const side of [opened.pull_request.head, opened.pull_request.base]) {
      side.repo.full_name = `${OWNER}/${NAME}`;
      side.repo.name = NAME;
    }
    expect((await sendGithub(farm.publicUrl, 'pull_request', opened, 'pr-5')).status).toBe(202);
    const pipelines = async () =>
      (
        (await (await fetch(`${farm.publicUrl}/api/v1/pipelines?sha=${head}`)).json()) as {
          pipelines: RecordJson[];
        }
      ).pipelines;
    const first = await waitFor('the pull request pipeline to end', async () => {
      const [p] = await pipelines();
      return p?.finishedAt ? p : undefined;
    });
    expect(first.result).toBe('success');

    const prComment = ours(githubExample('issue_comment', (p) => p.action === 'created'));
    prComment.issue.number = 5;
    prComment.issue.pull_request = {
      url: `${github.url}/repos/${OWNER}/${NAME}/pulls/5`,
      html_url: `https://github.example/${OWNER}/${NAME}/pull/5`,
      diff_url: `https://github.example/${OWNER}/${NAME}/pull/5.diff`,
      patch_url: `https://github.example/${OWNER}/${NAME}/pull/5.patch`,
      merged_at: null,
    };
    prComment.comment.body = '/albs rebuild';
    prComment.comment.user.login = WRITER;
    prComment.sender.login = WRITER;
    const before = github.comments.length;
    expect((await sendGithub(farm.publicUrl, 'issue_comment', prComment, 'ic-5')).status).toBe(202);
    const reply = await replyTo(WRITER, before);
    expect(reply.number).toBe(5);
    const second = await waitFor('the rebuild to end', async () => {
      const [p] = await pipelines();
      return p && p.id !== first.id && p.finishedAt ? p : undefined;
    });
    expect(second).toMatchObject({
      result: 'success',
      trigger: { event: 'pull_request' },
      source: { rebuildOf: first.id, pullRequest: { number: 5, baseSha: sha } },
    });
    expect(reply.body).toMatch(
      new RegExp(`^@${WRITER} rebuilding ${head.slice(0, 12)}: pipeline \\[${second.id}\\]`),
    );
    // A pull request's pipeline builds and tests; it never signs or publishes.
    expect(second.jobs.map((j: RecordJson) => j.stage)).toEqual(['build', 'build', 'test', 'test']);
  }, 180_000);
});
