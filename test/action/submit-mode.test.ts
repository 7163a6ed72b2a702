import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubExample } from '../forge/github-examples.js';
import {
  type Farm,
  fakeGitea,
  farmConfig,
  freePort,
  NAME,
  OWNER,
  type PackageRepo,
  packageRepo,
  type Serve,
  startServe,
  TINY_SPEC,
} from '../server/farm.js';
import { commands, runAction } from './action-runner.js';

const TOKEN = 'submit-token-for-the-action-0123456789';

/**
 * Submit mode against a real `albs serve` (the built CLI): the workflow's repository is served by
 * git's smart HTTP as GitHub would serve it (GITHUB_SERVER_URL/GITHUB_REPOSITORY.git), and the
 * action submits the commit the workflow runs for, then mirrors the pipeline.
 */
describe('the action in submit mode, against a live albs serve', () => {
  let repo: PackageRepo;
  let gitea: Awaited<ReturnType<typeof fakeGitea>>;
  let farm: Farm;
  let serve: Serve;
  let good: string;
  let broken: string;

  beforeAll(async () => {
    repo = packageRepo('version: 1\ntest: [install]\n');
    good = execaSync('git', ['rev-parse', 'HEAD'], { cwd: repo.work }).stdout;
    execaSync('git', ['checkout', '-q', '-b', 'broken'], { cwd: repo.work });
    broken = repo.commit(
      {
        [`${NAME}.spec`]: TINY_SPEC.replace(
          '%install',
          '%build\necho "this build fails on purpose"; exit 1\n\n%install',
        ),
      },
      'a build that fails',
    );
    execaSync('git', ['push', '-q', 'origin', 'broken'], { cwd: repo.work });
    gitea = await fakeGitea(repo.base);
    farm = await farmConfig(gitea.url);
    const tokens = join(farm.dir, 'submit.tokens');
    writeFileSync(tokens, `workflow ${TOKEN}\n`, { mode: 0o600 });
    writeFileSync(farm.configFile, `${readFileSync(farm.configFile, 'utf8')}submit-tokens-file: ${tokens}\n`);
    serve = (await startServe(farm)).child;
  }, 60_000);

  afterAll(async () => {
    serve?.kill('SIGTERM');
    await serve;
    gitea?.server.close();
  });

  const submit = (branch: string, sha: string, inputs: Record<string, string> = {}) => {
    execaSync('git', ['checkout', '-q', branch], { cwd: repo.work });
    const payload = githubExample('push', (p) => p.ref === 'refs/heads/master');
    payload.ref = `refs/heads/${branch}`;
    payload.after = sha;
    return runAction({
      eventName: 'push',
      payload,
      workspace: repo.work,
      ref: `refs/heads/${branch}`,
      sha,
      env: { GITHUB_SERVER_URL: gitea.url, GITHUB_REPOSITORY: `${OWNER}/${NAME}` },
      inputs: { mode: 'submit', 'server-url': farm.publicUrl, token: TOKEN, ...inputs },
    });
  };

  it('a passing pipeline: submitted, followed to its end line by line, mirrored in the outputs and the summary', async () => {
    const run = await submit('main', good);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.status).toBe('success');
    const id = run.outputs['pipeline-id']!;
    expect(id).toMatch(/^[0-9A-Z]{26}$/);
    expect(run.outputs['pipeline-url']).toBe(`${farm.publicUrl}/api/v1/pipelines/${id}`);
    expect(run.outputs.repos).toBe('{}');
    expect(run.outputs.packages).toBe('[]');
    // The server's record is the one followed: a git submission of this commit.
    const record = (await (await fetch(`${farm.publicUrl}/api/v1/pipelines/${id}`)).json()) as {
      source: Record<string, unknown>;
      result: string;
    };
    expect(record.result).toBe('success');
    expect(record.source).toMatchObject({
      forge: 'submit',
      sha: good,
      ref: 'refs/heads/main',
      sender: 'workflow',
    });

    // A line per job state change inside one group, then each job's log in a group of its own.
    const group = run.stdout.slice(run.stdout.indexOf(`::group::Pipeline ${id} on ${farm.publicUrl}`));
    const follow = group.slice(0, group.indexOf('::endgroup::'));
    expect(follow).toMatch(/^build: success in [0-9.]+ s$/m);
    expect(follow).toMatch(/^test: success in [0-9.]+ s$/m);
    expect(follow).toMatch(/^pipeline success$/m);
    const groups = commands(run.stdout).filter((c) => c.startsWith('::group::'));
    expect(groups).toEqual([
      `::group::Pipeline ${id} on ${farm.publicUrl}`,
      expect.stringMatching(/^::group::build: success in /),
      expect.stringMatching(/^::group::test: success in /),
    ]);
    expect(run.stdout).toMatch(/rpmbuild/);
    // The checked-out .albs.yml gave the plan: the summary has the grid.
    expect(run.summary).toContain('## albs-ci (submitted): ✅ success');
    expect(run.summary).toMatch(
      /\| build · test \|\n\|---\|\n\| ✅ build success [0-9.]+ s<br>✅ test success [0-9.]+ s \|/,
    );
    expect(run.summary).toContain(`[pipeline ${id}](${farm.publicUrl}/api/v1/pipelines/${id})`);
  }, 120_000);

  it('a failing pipeline: mirrored, and the step fails naming the job and why', async () => {
    const run = await submit('broken', broken);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failure');
    const id = run.outputs['pipeline-id']!;
    expect(run.stdout).toMatch(/^build: failure in [0-9.]+ s: /m);
    expect(run.stdout).toContain('this build fails on purpose');
    expect(commands(run.stdout).at(-1)).toMatch(
      new RegExp(`^::error title=albs-ci::pipeline ${id} on .* ended failure.*build: `),
    );
    expect(run.summary).toContain('## albs-ci (submitted): ❌ failure');
  }, 120_000);

  it('a server that cannot be reached, or that refuses the token, fails the step saying so', async () => {
    const port = await freePort();
    const unreachable = await submit('main', good, { 'server-url': `http://127.0.0.1:${port}` });
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.outputs.status).toBe('failure');
    expect(commands(unreachable.stdout).at(-1)).toMatch(
      /^::error title=albs-ci::cannot reach the albs-ci server at http:\/\/127.0.0.1:[0-9]+ \(ECONNREFUSED\): check the input server-url/,
    );
    const refused = await submit('main', good, { token: 'not-a-submit-token-0123456789' });
    expect(refused.exitCode).toBe(1);
    expect(refused.outputs.status).toBe('failure');
    expect(commands(refused.stdout).at(-1)).toMatch(
      /answered 401 Unauthorized .*: the input token is not one of the server's submit tokens/,
    );
    // The token is masked, wrong or not.
    expect(refused.stdout).toContain('::add-mask::not-a-submit-token-0123456789');
  });

  it('with wait: false it only submits; a pull request is refused before anything is sent', async () => {
    const quick = await submit('main', good, { wait: 'false' });
    expect(quick.exitCode, quick.stdout).toBe(0);
    expect(quick.outputs.status).toBe('success');
    expect(quick.outputs['pipeline-id']).toMatch(/^[0-9A-Z]{26}$/);
    expect(quick.stdout).not.toContain('::group::');

    const payload = githubExample('pull_request', (p) => p.action === 'opened');
    const pr = await runAction({
      eventName: 'pull_request',
      payload,
      workspace: repo.work,
      ref: `refs/pull/${payload.number}/merge`,
      sha: good,
      env: { GITHUB_SERVER_URL: gitea.url, GITHUB_REPOSITORY: `${OWNER}/${NAME}` },
      inputs: { mode: 'submit', 'server-url': farm.publicUrl, token: TOKEN },
    });
    expect(pr.exitCode).toBe(1);
    expect(commands(pr.stdout).at(-1)).toMatch(
      /mode submit builds pushes and tags: .*use mode run for pull requests/,
    );
    expect(pr.outputs['pipeline-id']).toBeUndefined();
  });
});
