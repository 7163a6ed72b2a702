import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { albs, REPO_ROOT } from '../helpers/cli.js';
import {
  type Farm,
  fakeGitea,
  farmConfig,
  giteaPush,
  type Serve,
  sendGitea,
  startServe,
  waitFor,
} from './farm.js';

const TOKEN = 'submit-token-0123456789abcdef';
const READ_TOKEN = 'read-token-0123456789abcdef';
const SRPM = readFileSync(join(REPO_ROOT, 'examples', 'hello-srpm', 'hello-srpm-1.0.0-1.src.rpm'));
const SHA256 = createHash('sha256').update(SRPM).digest('hex');

describe('albs submit and POST /api/v1/builds', () => {
  let gitea: Awaited<ReturnType<typeof fakeGitea>>;
  let files: Server;
  let filesUrl: string;
  let farm: Farm;
  let serve: Serve;
  let tokenFile: string;

  beforeAll(async () => {
    gitea = await fakeGitea();
    files = createServer((req, res) => {
      if (req.url === '/hello-srpm-1.0.0-1.src.rpm') res.end(SRPM);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    filesUrl = `http://127.0.0.1:${(files.address() as { port: number }).port}`;
    farm = await farmConfig(gitea.url);
    const tokens = join(farm.dir, 'submit.tokens');
    writeFileSync(tokens, `alice ${TOKEN}\n`, { mode: 0o600 });
    const readTokens = join(farm.dir, 'read.tokens');
    writeFileSync(readTokens, `auditor ${READ_TOKEN}\n`, { mode: 0o600 });
    writeFileSync(
      farm.configFile,
      `${readFileSync(farm.configFile, 'utf8')}submit-tokens-file: ${tokens}\nread-tokens-file: ${readTokens}\n`,
    );
    tokenFile = join(farm.dir, 'alice.token');
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    serve = (await startServe(farm)).child;
  }, 60_000);
  afterAll(async () => {
    serve?.kill('SIGTERM');
    await serve;
    gitea?.server.close();
    files?.close();
  });

  it('a src.rpm link with its sha256: built and install-tested by default, followed with --wait', async () => {
    const result = await albs([
      'submit',
      '--server',
      farm.publicUrl,
      '--token-file',
      tokenFile,
      '--srpm',
      `${filesUrl}/hello-srpm-1.0.0-1.src.rpm`,
      '--sha256',
      SHA256,
      '--wait',
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp(`^${farm.publicUrl}/api/v1/pipelines/[0-9A-Z]{26}\\n`));
    expect(result.stdout).toContain('build: success');
    expect(result.stdout).toContain('test: success');
    expect(result.stdout).toMatch(/pipeline success$/);
    expect(result.exitCode).toBe(0);
    const id = /pipelines\/([0-9A-Z]{26})/.exec(result.stdout)![1];
    const record = (await (await fetch(`${farm.publicUrl}/api/v1/pipelines/${id}`)).json()) as {
      source: unknown;
      jobs: unknown[];
    };
    expect(record.source).toMatchObject({ forge: 'submit', repository: 'submit:alice', sender: 'alice' });
    // A submission has no forge to report to.
    expect(gitea.statuses).toEqual([]);
  }, 120_000);

  it('a wrong sha256 fails the pipeline with the reason, before any build', async () => {
    const result = await albs([
      'submit',
      '--server',
      farm.publicUrl,
      '--token-file',
      tokenFile,
      '--srpm',
      `${filesUrl}/hello-srpm-1.0.0-1.src.rpm`,
      '--sha256',
      'f'.repeat(64),
      '--wait',
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/pipeline failure: the src\.rpm downloaded from .* has SHA-256 /);
    const id = /pipelines\/([0-9A-Z]{26})/.exec(result.stdout)![1];
    const record = (await (await fetch(`${farm.publicUrl}/api/v1/pipelines/${id}`)).json()) as {
      source: unknown;
      jobs: unknown[];
    };
    expect(record.jobs).toEqual([]);
  });

  it('without a submit token: 401, and a bad body: 400 naming the fix', async () => {
    const post = (body: unknown, token?: string) =>
      fetch(`${farm.publicUrl}/api/v1/builds`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    expect((await post({ srpm: `${filesUrl}/x.src.rpm`, sha256: SHA256 })).status).toBe(401);
    expect(
      (await post({ srpm: `${filesUrl}/x.src.rpm`, sha256: SHA256 }, 'wrong-token-0123456789')).status,
    ).toBe(401);
    const bad = await post({ srpm: `${filesUrl}/x.src.rpm` }, TOKEN);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/needs "sha256"/);
  });

  it('the record of a private repository needs a read token; others do not see it listed', async () => {
    const payload = giteaPush(`${gitea.url}/acme/secret.git`, 'refs/tags/v1', 'c'.repeat(40));
    payload.repository.name = 'secret';
    payload.repository.full_name = 'acme/secret';
    payload.repository.private = true;
    expect((await sendGitea(farm.publicUrl, 'push', payload, 'private-1')).status).toBe(202);
    const list = async (token?: string) =>
      (
        (await (
          await fetch(`${farm.publicUrl}/api/v1/pipelines?repo=acme/secret`, {
            headers: token ? { authorization: `Bearer ${token}` } : {},
          })
        ).json()) as { pipelines: { id: string }[] }
      ).pipelines;
    const [record] = await waitFor('the private pipeline record', async () => {
      const found = await list(READ_TOKEN);
      return found.length > 0 ? found : undefined;
    });
    expect(await list()).toEqual([]);
    expect((await fetch(`${farm.publicUrl}/api/v1/pipelines/${record!.id}`)).status).toBe(404);
    const read = await fetch(`${farm.publicUrl}/api/v1/pipelines/${record!.id}`, {
      headers: { authorization: `Bearer ${READ_TOKEN}` },
    });
    expect(read.status).toBe(200);
  });
});
