import { createHmac, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubExample } from '../forge/github-examples.js';
import { dnfInstall } from '../helpers/dnf.js';
import { fakeGithub, INSTALLATION, INSTALLATION_TOKEN, GITHUB_SECRET as SECRET } from './fake-github.js';
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

describe('albs serve with GitHub: a tag push from a GitHub App installation', () => {
  let github: Awaited<ReturnType<typeof fakeGithub>>;
  let repo: PackageRepo;
  let farm: Farm;
  let serve: Serve;
  let sha: string;

  beforeAll(async () => {
    repo = packageRepo('version: 1\non: {tags: ["v*"]}\nsign: {key: release}\npublish: [{repo: tiny}]\n');
    sha = repo.tag('v1.0');
    repo.push();
    github = await fakeGithub(repo.base);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    farm = await farmConfig('http://127.0.0.1:9');
    const pem = join(farm.dir, 'app.pem');
    writeFileSync(pem, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
    const secret = join(farm.dir, 'github.secret');
    writeFileSync(secret, `${SECRET}\n`, { mode: 0o600 });
    writeFileSync(
      farm.configFile,
      `${(await import('node:fs')).readFileSync(farm.configFile, 'utf8')}github:\n  app-id: 12345\n  private-key-file: ${pem}\n  webhook-secret-file: ${secret}\n  api-url: ${github.url}\n`,
    );
    serve = (await startServe(farm)).child;
  }, 60_000);
  afterAll(async () => {
    serve?.kill('SIGTERM');
    await serve;
    github?.server.close();
  });

  it('verifies the delivery, posts statuses with the installation token, and publishes', async () => {
    const payload = githubExample('push', (p) => String(p.ref).startsWith('refs/tags/'));
    payload.ref = 'refs/tags/v1.0';
    payload.after = sha;
    payload.deleted = false;
    payload.created = true;
    if (payload.head_commit) payload.head_commit.id = sha;
    payload.installation = { id: INSTALLATION, node_id: 'MDIz' };
    payload.repository.name = NAME;
    payload.repository.full_name = `${OWNER}/${NAME}`;
    payload.repository.owner.login = OWNER;
    payload.repository.owner.name = OWNER;
    payload.repository.private = false;
    payload.repository.clone_url = `${github.url}/${OWNER}/${NAME}.git`;
    payload.repository.html_url = `https://github.example/${OWNER}/${NAME}`;
    const body = JSON.stringify(payload);
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const send = (sig: string) =>
      fetch(`${farm.publicUrl}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': 'gh-1',
          'x-hub-signature-256': sig,
        },
        body,
      });
    expect((await send(`sha256=${'0'.repeat(64)}`)).status).toBe(401);
    expect((await send(signature)).status).toBe(202);
    const latest = await waitFor('every GitHub status to finish', () => {
      const l = latestStatuses(github.statuses, sha);
      return l.albs && Object.values(l).every((s) => s.state !== 'pending') ? l : undefined;
    });
    expect(Object.fromEntries(Object.entries(latest).map(([c, s]) => [c, s.state]))).toEqual({
      'albs/build': 'success',
      'albs/sign (tiny)': 'success',
      'albs/publish (tiny)': 'success',
      albs: 'success',
    });
    // The app's JWT got the token; the token posted the statuses and authenticated the clone.
    expect(github.tokenRequests[0]).toMatch(/^bearer /i);
    expect(new Set(github.statuses.map((s) => s.authorization?.replace(/^token /i, 'token ')))).toEqual(
      new Set([`token ${INSTALLATION_TOKEN}`]),
    );
    expect(github.gitAuth).toContain(
      `Basic ${Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString('base64')}`,
    );
    const repoFile = await (await fetch(`${farm.publicUrl}/repos/tiny/tiny.repo`)).text();
    const install = await dnfInstall(repoFile, NAME);
    expect(install.installed).toBe(true);
  }, 180_000);
});
