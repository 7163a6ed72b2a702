import { execaSync } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Farm,
  fakeGitea,
  farmConfig,
  giteaPush,
  latestStatuses,
  NAME,
  OWNER,
  type PackageRepo,
  packageRepo,
  type Serve,
  sendGitea,
  startServe,
  TINY_SPEC,
  waitFor,
} from './farm.js';

const BASE_YML = `version: 1
on:
  tags: ["v*"]
  pull_requests: true
test: [install]
sign: {key: release}
publish: [{repo: tiny}]
`;

/** A Gitea pull_request payload (modules/structs/hook.go PullRequestPayload) from a fork or not. */
function pullRequest(
  cloneUrl: string,
  options: { number: number; fork: boolean; base: string; baseSha: string; head: string; headSha: string },
) {
  const repo = (owner: string, id: number) => ({
    id,
    owner: { id: id + 100, login: owner, username: owner },
    name: NAME,
    full_name: `${owner}/${NAME}`,
    private: false,
    fork: owner !== OWNER,
    html_url: `https://gitea.example.org/${owner}/${NAME}`,
    clone_url: owner === OWNER ? cloneUrl : cloneUrl.replace(`/${OWNER}/`, `/${owner}/`),
    default_branch: 'main',
  });
  const base = repo(OWNER, 7);
  const head = options.fork ? repo('mallory', 99) : base;
  const branch = (ref: string, sha: string, r: typeof base) => ({
    label: ref,
    ref,
    sha,
    repo_id: r.id,
    repo: r,
  });
  return {
    action: 'opened',
    number: options.number,
    pull_request: {
      id: 500 + options.number,
      number: options.number,
      user: { id: 5, login: 'mallory', username: 'mallory' },
      title: 'A change',
      state: 'open',
      base: branch(options.base, options.baseSha, base),
      head: branch(options.head, options.headSha, head),
      merge_base: options.baseSha,
    },
    repository: base,
    sender: { id: 5, login: 'mallory', username: 'mallory' },
  };
}

describe('albs serve and pull requests', () => {
  let gitea: Awaited<ReturnType<typeof fakeGitea>>;
  let repo: PackageRepo;
  let cloneUrl: string;
  let farm: Farm;
  let serve: Serve;
  let mainSha: string;
  let legacySha: string;

  /** The head of pull request `number`, as Gitea keeps it: refs/pull/N/head in the base repository. */
  const openPullRequest = (number: number, from: string, files: Record<string, string>) => {
    const git = (...args: string[]) =>
      execaSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', ...args], { cwd: repo.work })
        .stdout;
    git('checkout', '-q', '-b', `pr-${number}`, from);
    const sha = repo.commit(files, `pull request ${number}`);
    git('push', '-q', 'origin', `HEAD:refs/pull/${number}/head`);
    git('checkout', '-q', 'main');
    return sha;
  };

  beforeAll(async () => {
    repo = packageRepo(BASE_YML);
    mainSha = execaSync('git', ['rev-parse', 'HEAD'], { cwd: repo.work }).stdout;
    // A branch whose .albs.yml has no "on": every pull request triggers, but a fork's is not built.
    execaSync('git', ['checkout', '-q', '-b', 'legacy'], { cwd: repo.work });
    legacySha = repo.commit({ '.albs.yml': BASE_YML.replace(/on:\n(.*\n){2}/, '') }, 'no on');
    execaSync('git', ['push', '-q', 'origin', 'legacy'], { cwd: repo.work });
    execaSync('git', ['checkout', '-q', 'main'], { cwd: repo.work });
    gitea = await fakeGitea(repo.base);
    cloneUrl = `${gitea.url}/${OWNER}/${NAME}.git`;
    farm = await farmConfig(gitea.url);
    serve = (await startServe(farm)).child;
  }, 60_000);
  afterAll(async () => {
    serve?.kill('SIGTERM');
    await serve;
    gitea?.server.close();
  });

  it('a fork pull request: build and test statuses only, with the config of the base branch', async () => {
    // The fork's own .albs.yml would ask for network and a publish: it is not the one enforced.
    const headSha = openPullRequest(3, 'main', {
      '.albs.yml': `${BASE_YML}build: {network: true}\n`,
      README: 'from a fork\n',
    });
    const payload = pullRequest(cloneUrl, {
      number: 3,
      fork: true,
      base: 'main',
      baseSha: mainSha,
      head: 'fix',
      headSha,
    });
    expect((await sendGitea(farm.publicUrl, 'pull_request', payload, 'pr-3')).status).toBe(202);
    const latest = await waitFor('the pull request pipeline to end', () => {
      const l = latestStatuses(gitea.statuses, headSha);
      return l.albs && Object.values(l).every((s) => s.state !== 'pending') ? l : undefined;
    });
    expect(Object.fromEntries(Object.entries(latest).map(([c, s]) => [c, s.state]))).toEqual({
      'albs/build': 'success',
      'albs/test': 'success',
      albs: 'success',
    });
    // Nothing from a pull request is published.
    expect((await fetch(`${farm.publicUrl}/repos/tiny/tiny.repo`)).status).toBe(404);
  }, 120_000);

  it('a fork pull request into a branch whose .albs.yml has no explicit on.pull_requests: nothing runs', async () => {
    const headSha = openPullRequest(4, 'legacy', { README: 'from a fork\n' });
    const payload = pullRequest(cloneUrl, {
      number: 4,
      fork: true,
      base: 'legacy',
      baseSha: legacySha,
      head: 'fix',
      headSha,
    });
    expect((await sendGitea(farm.publicUrl, 'pull_request', payload, 'pr-4')).status).toBe(202);
    const records = await waitFor('the pull request to be taken in', async () => {
      const list = (await (await fetch(`${farm.publicUrl}/api/v1/pipelines?sha=${headSha}`)).json()) as {
        pipelines: { result: string; reason: string }[];
      };
      return list.pipelines.length > 0 ? list.pipelines : undefined;
    });
    expect(records[0]).toMatchObject({ result: 'cancelled', reason: expect.stringMatching(/fork/) });
    expect(gitea.statuses.filter((s) => s.sha === headSha)).toEqual([]);
  });

  it('a pipeline of more jobs than statuses.max-job-contexts posts one context per stage', async () => {
    const many = repo.commit(
      {
        '.albs.yml': `version: 1
on: {branches: [main]}
matrix:
  n: [${Array.from({ length: 150 }, (_, i) => i).join(', ')}]
build: {runs-on: [no-such-runner]}
test: [install]
`,
      },
      'a wide matrix',
    );
    repo.push();
    const push = await sendGitea(
      farm.publicUrl,
      'push',
      giteaPush(cloneUrl, 'refs/heads/main', many),
      'wide',
    );
    expect(push.status).toBe(202);
    const latest = await waitFor('the wide pipeline to end', () => {
      const l = latestStatuses(gitea.statuses, many);
      return l.albs && l.albs.state !== 'pending' ? l : undefined;
    });
    expect(Object.keys(latest).sort()).toEqual(['albs', 'albs/build', 'albs/test']);
    expect(latest['albs/build']?.description).toMatch(/^150 jobs: 150 skipped/);
    expect(latest['albs/build']?.state).toBe('error');
  }, 60_000);

  it('concurrency.cancel-in-progress: a newer push of the branch cancels the older pipeline', async () => {
    const yml = `version: 1
on: {branches: [feature]}
concurrency: {cancel-in-progress: true}
`;
    execaSync('git', ['checkout', '-q', '-b', 'feature', 'main'], { cwd: repo.work });
    const slow = repo.commit(
      { '.albs.yml': yml, [`${NAME}.spec`]: TINY_SPEC.replace('%install', '%build\nsleep 60\n\n%install') },
      'slow',
    );
    execaSync('git', ['push', '-q', 'origin', 'feature'], { cwd: repo.work });
    expect(
      (await sendGitea(farm.publicUrl, 'push', giteaPush(cloneUrl, 'refs/heads/feature', slow), 'c-1'))
        .status,
    ).toBe(202);
    await waitFor('the slow build to run', () =>
      latestStatuses(gitea.statuses, slow)['albs/build']?.description === 'running' ? true : undefined,
    );
    const fast = repo.commit({ [`${NAME}.spec`]: TINY_SPEC }, 'fast');
    execaSync('git', ['push', '-q', 'origin', 'feature'], { cwd: repo.work });
    execaSync('git', ['checkout', '-q', 'main'], { cwd: repo.work });
    expect(
      (await sendGitea(farm.publicUrl, 'push', giteaPush(cloneUrl, 'refs/heads/feature', fast, slow), 'c-2'))
        .status,
    ).toBe(202);
    const older = await waitFor('the older pipeline to end', () => {
      const l = latestStatuses(gitea.statuses, slow);
      return l.albs && l.albs.state !== 'pending' ? l : undefined;
    });
    expect(older.albs?.state).toBe('error');
    expect(older['albs/build']?.description).toMatch(/superseded by pipeline/);
    const newer = await waitFor('the newer pipeline to end', () => {
      const l = latestStatuses(gitea.statuses, fast);
      return l.albs && Object.values(l).every((x) => x.state !== 'pending') ? l : undefined;
    });
    expect(newer.albs?.state).toBe('success');
  }, 120_000);
});
