import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import recordSchema from '../../schemas/pipeline-record.schema.json' with { type: 'json' };
import { dnfInstall } from '../helpers/dnf.js';
import {
  type Farm,
  fakeGitea,
  farmConfig,
  GITEA_TOKEN,
  giteaPush,
  latestStatuses,
  NAME,
  OWNER,
  type PackageRepo,
  packageRepo,
  type Serve,
  sendGitea,
  startServe,
  waitFor,
} from './farm.js';

const ALBS_YML = `version: 1
on:
  tags: ["v*"]
  branches: [main, "broken*"]
test: [install]
sign: {key: release}
publish:
  - repo: tiny
    when: tag
`;

describe('albs serve with Gitea: a signed tag push to a published repository', () => {
  let gitea: Awaited<ReturnType<typeof fakeGitea>>;
  let repo: PackageRepo;
  let farm: Farm;
  let serve: Serve;
  let cloneUrl: string;
  let sha: string;
  /** v1.0 is an annotated tag: its object is not the commit. */
  let tagObject: string;

  beforeAll(async () => {
    repo = packageRepo(ALBS_YML);
    sha = repo.tag('v1.0', true);
    tagObject = repo.tagObject('v1.0');
    repo.push();
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

  const pipelines = async () =>
    (await (await fetch(`${farm.publicUrl}/api/v1/pipelines?repo=${OWNER}/${NAME}`)).json()) as {
      pipelines: { id: string; result: string; source: { sha: string } }[];
    };

  it('answers 202, posts a pending status per job, and ends with every status success', async () => {
    const push = await sendGitea(
      farm.publicUrl,
      'push',
      giteaPush(cloneUrl, 'refs/tags/v1.0', tagObject, undefined, sha),
      'd-1',
    );
    expect(push.status).toBe(202);
    // Each context's latest state is coalesced apart: wait until none is pending any more.
    const final = await waitFor('every status to finish', () => {
      const latest = Object.values(latestStatuses(gitea.statuses, sha));
      const albs = latestStatuses(gitea.statuses, sha).albs;
      return albs && latest.every((s) => s.state !== 'pending') ? albs : undefined;
    });
    const latest = latestStatuses(gitea.statuses, sha);
    expect(final.description).toMatch(/^success/);
    expect(Object.fromEntries(Object.entries(latest).map(([c, s]) => [c, s.state]))).toEqual({
      'albs/build': 'success',
      'albs/test': 'success',
      'albs/sign (tiny)': 'success',
      'albs/publish (tiny)': 'success',
      albs: 'success',
    });
    // Every context was pending first.
    for (const context of Object.keys(latest)) {
      expect(gitea.statuses.find((s) => s.context === context)?.state).toBe('pending');
    }
    expect(new Set(gitea.statuses.map((s) => s.authorization))).toEqual(new Set([`token ${GITEA_TOKEN}`]));
    // The clone went through the forge's token too.
    expect(gitea.gitAuth).toContain(`token ${GITEA_TOKEN}`);
    const [pipeline] = (await pipelines()).pipelines;
    // The summary links to the pipeline's page, each job's status to the job's page.
    expect(final.target_url).toBe(`${farm.publicUrl}/pipelines/${pipeline!.id}`);
    expect(latest['albs/build']!.target_url).toBe(`${farm.publicUrl}/pipelines/${pipeline!.id}/jobs/build`);
    expect(await (await fetch(latest['albs/build']!.target_url)).text()).toContain('rpmbuild');
    // The pipeline's page: the published repository with its install line, the key that signed.
    const page = await (await fetch(final.target_url)).text();
    expect(page).toContain(`${farm.publicUrl}/repos/tiny/tiny.repo`);
    expect(page).toContain('/etc/yum.repos.d/tiny.repo');
    const api = `${farm.publicUrl}/api/v1/pipelines/${pipeline!.id}`;
    // The record is what schemas/pipeline-record.schema.json says.
    // biome-ignore lint/suspicious/noExplicitAny: a JSON record, checked against its schema just below
    const record: any = await (await fetch(api)).json();
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(recordSchema);
    expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
    expect(record).toMatchObject({
      result: 'success',
      source: {
        forge: 'gitea',
        repository: `${OWNER}/${NAME}`,
        sha,
        event: 'push',
        deliveryId: 'd-1',
        sender: 'alice',
      },
      repos: [{ repo: 'tiny', family: 'rpm', url: `${farm.publicUrl}/repos/tiny/` }],
    });
    const sign = record.jobs.find((j: { id: string }) => j.id === 'sign.tiny');
    expect(sign.signedBy).toEqual({
      key: 'release',
      fingerprint: expect.stringMatching(/^[0-9A-F]{40,64}$/),
    });
    expect(page).toContain(`release ${sign.signedBy.fingerprint}`);
    expect(sign.attempts).toEqual([
      expect.objectContaining({ runner: expect.stringMatching(/^embedded@/), outcome: 'success' }),
    ]);
    const log = await (await fetch(`${api}/jobs/build/log`)).text();
    expect(log).toContain('rpmbuild');
  }, 180_000);

  it('dnf installs the package over HTTP from PUBLIC_URL/repos/tiny with gpgcheck and repo_gpgcheck', async () => {
    const repoFile = await (await fetch(`${farm.publicUrl}/repos/tiny/tiny.repo`)).text();
    expect(repoFile).toContain(`baseurl=${farm.publicUrl}/repos/tiny/`);
    expect(repoFile).toContain(`gpgkey=${farm.publicUrl}/repos/tiny/RPM-GPG-KEY-release`);
    const install = await dnfInstall(repoFile, NAME);
    expect(install.output).not.toMatch(/error/i);
    expect(install.installed).toBe(true);
  }, 120_000);

  it('the create event of the tag (naming the tag object), and a redelivery, make no second pipeline', async () => {
    const create = await sendGitea(
      farm.publicUrl,
      'create',
      { ...giteaPush(cloneUrl, 'v1.0', sha), ref: 'v1.0', ref_type: 'tag', sha: tagObject },
      'd-2',
    );
    expect([200, 202]).toContain(create.status);
    const again = await sendGitea(
      farm.publicUrl,
      'push',
      giteaPush(cloneUrl, 'refs/tags/v1.0', tagObject, undefined, sha),
      'd-1',
    );
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ duplicate: 'd-1' });
    await new Promise((r) => setTimeout(r, 500));
    expect((await pipelines()).pipelines.filter((p) => p.source.sha === sha)).toHaveLength(1);
    expect(gitea.statuses.filter((s) => s.sha === tagObject)).toEqual([]);
  });

  it('a bad or missing signature: 401 and nothing recorded', async () => {
    const recorded = () =>
      readFileSync(join(farm.dataDir, 'deliveries', 'journal.log'), 'utf8').split('\n').length;
    const entriesBefore = recorded();
    const before = (await pipelines()).pipelines.length;
    const bad = await sendGitea(
      farm.publicUrl,
      'push',
      giteaPush(cloneUrl, 'refs/heads/main', sha),
      'd-bad',
      'not-the-secret',
    );
    expect(bad.status).toBe(401);
    const missing = await fetch(`${farm.publicUrl}/api/gitea/webhooks`, {
      method: 'POST',
      headers: { 'x-gitea-event': 'push', 'x-gitea-delivery': 'd-none' },
      body: JSON.stringify(giteaPush(cloneUrl, 'refs/heads/main', sha)),
    });
    expect(missing.status).toBe(401);
    expect(recorded()).toBe(entriesBefore);
    expect((await pipelines()).pipelines.length).toBe(before);
  });

  it('a broken .albs.yml: one failure status on albs naming the line', async () => {
    repo.commit({ '.albs.yml': `${ALBS_YML}test: [rpmlnt]\n` }, 'broken');
    const broken = repo.commit({ README: 'x\n' }, 'still broken');
    repo.push();
    const push = await sendGitea(
      farm.publicUrl,
      'push',
      giteaPush(cloneUrl, 'refs/heads/main', broken, sha),
      'd-3',
    );
    expect(push.status).toBe(202);
    const albs = await waitFor(
      'the albs status of the broken commit',
      () => latestStatuses(gitea.statuses, broken).albs,
    );
    expect(albs.state).toBe('failure');
    expect(albs.description).toMatch(/^\.albs\.yml:\d+:\d+: /);
    expect(Object.keys(latestStatuses(gitea.statuses, broken))).toEqual(['albs']);
  });

  it('GET /metrics counts the deliveries, the pipelines, the jobs and the status posts', async () => {
    const metrics = await (await fetch(`${farm.publicUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /albs_webhook_deliveries_total\{forge="gitea",event="push",outcome="accepted"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /albs_webhook_deliveries_total\{forge="gitea",event="push",outcome="bad-signature"\} 2/,
    );
    expect(metrics).toMatch(
      /albs_webhook_deliveries_total\{forge="gitea",event="push",outcome="duplicate"\} 1/,
    );
    expect(metrics).toMatch(/albs_pipelines_total\{result="success"\} 1/);
    expect(metrics).toMatch(/albs_pipelines_total\{result="failure"\} 1/);
    expect(metrics).toMatch(/albs_job_duration_seconds_count\{stage="build",arch="none"\} 1/);
    expect(metrics).toMatch(/albs_status_posts_total\{forge="gitea",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/albs_queue_depth 0/);
  });

  it('the server log has the delivery and the pipeline, and never the token or the secret', async () => {
    serve.kill('SIGTERM');
    const result = await serve;
    const log = String(result.all);
    expect(log).toContain('"deliveryId":"d-1"');
    expect(log).toContain('pipeline finished');
    expect(log).not.toContain(GITEA_TOKEN);
    expect(log).not.toContain('gitea-webhook-secret');
    expect(readFileSync(farm.configFile, 'utf8')).toContain('token-file');
  });
});
