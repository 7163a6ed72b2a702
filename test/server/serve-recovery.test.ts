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

const ALBS_YML = `version: 1
on: {tags: ["v*"]}
sign: {key: release}
publish: [{repo: tiny}]
`;

const finished = (statuses: Record<string, { state: string }>) =>
  Object.keys(statuses).length > 0 && Object.values(statuses).every((s) => s.state !== 'pending');

describe('albs serve: what a source may not do, and a restart mid-pipeline', () => {
  let gitea: Awaited<ReturnType<typeof fakeGitea>>;
  let repo: PackageRepo;
  let cloneUrl: string;
  let farm: Farm;
  let serve: Serve;

  beforeAll(async () => {
    repo = packageRepo(ALBS_YML);
    repo.push();
    gitea = await fakeGitea(repo.base);
    cloneUrl = `${gitea.url}/${OWNER}/${NAME}.git`;
  });
  afterAll(async () => {
    serve?.kill('SIGKILL');
    await serve;
    gitea?.server.close();
  });

  it('a source no allow rule grants its key: the sign job fails naming the rule to add', async () => {
    farm = await farmConfig(gitea.url);
    // The rule grants another owner only.
    execaSync('sed', ['-i', `s|"${OWNER}/\\*"|"someone-else/*"|`, farm.configFile]);
    serve = (await startServe(farm)).child;
    const sha = repo.tag('v1.0');
    repo.push();
    expect(
      (await sendGitea(farm.publicUrl, 'push', giteaPush(cloneUrl, 'refs/tags/v1.0', sha), 'a-1')).status,
    ).toBe(202);
    const latest = await waitFor('the pipeline to end', () => {
      const l = latestStatuses(gitea.statuses, sha);
      return l.albs && finished(l) ? l : undefined;
    });
    expect(latest['albs/sign (tiny)']?.state).toBe('failure');
    expect(latest['albs/sign (tiny)']?.description).toMatch(
      /no allow rule .* grants acme\/tiny the key "release"/,
    );
    expect(latest['albs/publish (tiny)']?.state).toBe('error');
    expect(latest.albs?.state).toBe('failure');
    const record = (await (
      await fetch(`${farm.publicUrl}/api/v1/pipelines?repo=${OWNER}/${NAME}`)
    ).json()) as {
      pipelines: { jobs: { id: string; reason: string }[] }[];
    };
    const sign = record.pipelines[0]?.jobs.find((j) => j.id === 'sign.tiny');
    expect(sign?.reason).toContain(
      `add to ${farm.configFile}: allow: [{repos: ["acme/tiny"], keys: [release]`,
    );
    serve.kill('SIGTERM');
    await serve;
  }, 120_000);

  it('killed mid-build and restarted: the pipeline ends in error on the forge, and new deliveries work', async () => {
    farm = await farmConfig(gitea.url);
    serve = (await startServe(farm)).child;
    repo.commit({ [`${NAME}.spec`]: TINY_SPEC.replace('%install', '%build\nsleep 60\n\n%install') }, 'slow');
    const slow = repo.tag('v2.0');
    repo.push();
    expect(
      (await sendGitea(farm.publicUrl, 'push', giteaPush(cloneUrl, 'refs/tags/v2.0', slow), 'r-1')).status,
    ).toBe(202);
    await waitFor('the build to run', () =>
      latestStatuses(gitea.statuses, slow)['albs/build']?.description === 'running' ? true : undefined,
    );
    serve.kill('SIGKILL');
    await serve;

    serve = (await startServe(farm)).child;
    const ended = await waitFor('the restarted server to end the pipeline', () => {
      const l = latestStatuses(gitea.statuses, slow);
      return l.albs?.state === 'error' ? l : undefined;
    });
    expect(ended.albs?.description).toContain('server restarted');
    expect(ended['albs/build']?.state).toBe('error');
    expect(ended['albs/publish (tiny)']?.state).toBe('error');
    // Nothing was published from it.
    expect((await fetch(`${farm.publicUrl}/repos/tiny/tiny.repo`)).status).toBe(404);

    repo.commit({ [`${NAME}.spec`]: TINY_SPEC.replace('Version: 1.0', 'Version: 3.0') }, 'fast again');
    const fast = repo.tag('v3.0');
    repo.push();
    expect(
      (await sendGitea(farm.publicUrl, 'push', giteaPush(cloneUrl, 'refs/tags/v3.0', fast), 'r-2')).status,
    ).toBe(202);
    const done = await waitFor('the new pipeline to end', () => {
      const l = latestStatuses(gitea.statuses, fast);
      return l.albs && finished(l) ? l : undefined;
    });
    expect(done.albs?.state).toBe('success');
    expect((await fetch(`${farm.publicUrl}/repos/tiny/tiny.repo`)).status).toBe(200);
  }, 180_000);
});
