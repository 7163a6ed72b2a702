import { generateKeyPairSync, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CommitStatus, ForgeError } from '../../src/forge/forge.js';
import { GithubForge } from '../../src/forge/github/github-forge.js';
import { ApiContract, type RecordedRequest } from './api-contract.js';
import { collectUnmatched, nock, recordRequests } from './nock-recorder.js';

const require = createRequire(import.meta.url);
const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

const APP_ID = 4242;
const SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const INSTALLATION_TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const STATUS: CommitStatus = {
  context: 'albs/build (x86_64, almalinux-9)',
  state: 'success',
  description: 'built in 3 min',
  targetUrl: 'https://albs.example.org/p/01J/build-x86_64',
};

/** The two kinds of GitHub albs talks to, each checked against its own official description. */
const TARGETS = [
  {
    name: 'github.com',
    apiUrl: 'https://api.github.com',
    origin: 'https://api.github.com',
    prefix: '',
    spec: 'api.github.com.json',
  },
  {
    name: 'GitHub Enterprise Server',
    apiUrl: 'https://ghe.example.org/api/v3',
    origin: 'https://ghe.example.org',
    prefix: '/api/v3',
    spec: 'ghes-3.19.json',
  },
] as const;

const contracts = new Map<string, ApiContract>();
function contractFor(target: (typeof TARGETS)[number]): ApiContract {
  let contract = contracts.get(target.name);
  if (contract === undefined) {
    contract = ApiContract.openapi3(require(`@octokit/openapi/generated/${target.spec}`), target.apiUrl);
    contracts.set(target.name, contract);
  }
  return contract;
}

/**
 * Installation ids are unique per test: Octokit's throttling paces writes per installation in
 * module-wide limiters (one a second), which would otherwise carry from one test to the next.
 */
let nextInstallation = 100;

const made: { target: (typeof TARGETS)[number]; request: RecordedRequest }[] = [];
let unmatched: ReturnType<typeof collectUnmatched>;

beforeAll(() => {
  nock.disableNetConnect();
  unmatched = collectUnmatched();
});
afterAll(() => {
  unmatched.stop();
  nock.enableNetConnect();
});
afterEach(() => {
  const problems = made.flatMap(({ target, request }) => contractFor(target).problems(request));
  const stray = [...unmatched.lines];
  made.length = 0;
  unmatched.lines.length = 0;
  nock.cleanAll();
  expect(problems).toEqual([]);
  expect(stray).toEqual([]);
});

function setup(
  target: (typeof TARGETS)[number],
  options: { logLines?: string[]; secondaryRateLimitRetries?: number } = {},
) {
  const installationId = nextInstallation++;
  const recorded: RecordedRequest[] = [];
  const scope = recordRequests(nock(target.origin), recorded);
  const log = options.logLines
    ? pino({ level: 'warn' }, { write: (line: string) => options.logLines?.push(line) })
    : pino({ level: 'silent' });
  const forge = new GithubForge({
    appId: APP_ID,
    privateKey,
    apiUrl: target.apiUrl,
    secret: 'shh',
    log,
    ...(options.secondaryRateLimitRetries === undefined
      ? {}
      : { secondaryRateLimitRetries: options.secondaryRateLimitRetries }),
  });
  const repo = { owner: 'Codertocat', name: 'Hello-World', installationId };
  const statusesPath = `${target.prefix}/repos/Codertocat/Hello-World/statuses/${SHA}`;
  const tokenPath = `${target.prefix}/app/installations/${installationId}/access_tokens`;
  const grantToken = () =>
    scope.post(tokenPath).reply(201, {
      token: INSTALLATION_TOKEN,
      expires_at: new Date(Date.now() + 3600_000).toISOString(),
      permissions: { statuses: 'write', contents: 'read', metadata: 'read' },
      repository_selection: 'all',
    });
  const done = () => {
    for (const request of recorded) made.push({ target, request });
    return recorded;
  };
  return { forge, repo, scope, recorded, statusesPath, tokenPath, grantToken, done, installationId };
}

function jwtPayload(authorization: string | undefined): { iss: unknown } {
  const jwt = /^bearer (.+)$/i.exec(authorization ?? '')?.[1];
  if (jwt === undefined) throw new Error(`expected a bearer JWT, got ${authorization}`);
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  // The app's requests are signed with its private key: GitHub checks them with the public one.
  expect(
    verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url')),
  ).toBe(true);
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

for (const target of TARGETS) {
  describe(`GithubForge against ${target.name}`, () => {
    it('gets an installation token, then posts the status with it', async () => {
      const t = setup(target);
      t.grantToken();
      t.scope.post(t.statusesPath).reply(201, { id: 1, state: 'success' });
      await t.forge.setStatus(t.repo, SHA, STATUS);
      const [tokenRequest, statusRequest] = t.done();
      expect(t.scope.isDone()).toBe(true);
      expect(tokenRequest?.method).toBe('POST');
      expect(tokenRequest?.url).toBe(`${target.apiUrl}/app/installations/${t.installationId}/access_tokens`);
      expect(jwtPayload(tokenRequest?.headers.authorization).iss).toBe(APP_ID);
      expect(statusRequest?.url).toBe(`${target.apiUrl}/repos/Codertocat/Hello-World/statuses/${SHA}`);
      expect(statusRequest?.headers.authorization).toBe(`token ${INSTALLATION_TOKEN}`);
      expect(statusRequest?.body).toEqual({
        state: 'success',
        target_url: STATUS.targetUrl,
        description: 'built in 3 min',
        context: STATUS.context,
      });
    });

    it('keeps one Octokit and one token per installation', async () => {
      const t = setup(target);
      t.grantToken();
      t.scope.post(t.statusesPath).times(2).reply(201, { id: 1 });
      await t.forge.setStatus(t.repo, SHA, STATUS);
      await t.forge.setStatus(t.repo, SHA, { ...STATUS, context: 'albs' });
      const requests = t.done();
      expect(requests.map((r) => new URL(r.url).pathname)).toEqual([
        t.tokenPath,
        t.statusesPath,
        t.statusesPath,
      ]);
      expect(t.scope.isDone()).toBe(true);
    });

    it('gives clone access as Basic x-access-token:TOKEN', async () => {
      const t = setup(target);
      t.grantToken();
      const header = await t.forge.cloneAuthHeader(t.repo);
      t.done();
      expect(header).toBe(
        `Authorization: Basic ${Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString('base64')}`,
      );
    });

    it("asks a commenter's permission; maintain is write, an unknown user none", async () => {
      const t = setup(target);
      t.grantToken();
      const path = (user: string) =>
        `${target.prefix}/repos/Codertocat/Hello-World/collaborators/${user}/permission`;
      const answer = (permission: string, role: string) => ({
        permission,
        role_name: role,
        user: { login: 'someone', id: 1 },
      });
      t.scope
        .get(path('octocat'))
        .reply(200, answer('write', 'maintain'))
        .get(path('reader'))
        .reply(200, answer('read', 'triage'))
        .get(path('ghost'))
        .reply(404, { message: 'Not Found' });
      expect(await t.forge.permission(t.repo, 'octocat')).toBe('write');
      expect(await t.forge.permission(t.repo, 'reader')).toBe('read');
      expect(await t.forge.permission(t.repo, 'ghost')).toBe('none');
      const requests = t.done();
      expect(requests.slice(1).map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
      expect(requests[1]?.headers.authorization).toBe(`token ${INSTALLATION_TOKEN}`);
      expect(t.scope.isDone()).toBe(true);
    });

    it('replies on a pull request and on a commit', async () => {
      const t = setup(target);
      t.grantToken();
      t.scope
        .post(`${target.prefix}/repos/Codertocat/Hello-World/issues/7/comments`)
        .reply(201, { id: 1 })
        .post(`${target.prefix}/repos/Codertocat/Hello-World/commits/${SHA}/comments`)
        .reply(201, { id: 2 });
      await t.forge.comment(t.repo, { pullRequest: 7 }, '@octocat retrying');
      await t.forge.comment(t.repo, { commit: SHA }, '@octocat rebuilding');
      const [, pr, commit] = t.done();
      expect(pr?.body).toEqual({ body: '@octocat retrying' });
      expect(commit?.body).toEqual({ body: '@octocat rebuilding' });
      expect(t.scope.isDone()).toBe(true);
    });
  });
}

describe('GithubForge', () => {
  const target = TARGETS[0];

  it('cuts a description longer than 140 characters, which GitHub would answer 422', async () => {
    const t = setup(target);
    t.grantToken();
    t.scope.post(t.statusesPath).reply(201, { id: 1 });
    await t.forge.setStatus(t.repo, SHA, { ...STATUS, description: 'é'.repeat(200) });
    const description = (t.done()[1]?.body as { description: string } | undefined)?.description ?? '';
    expect(Array.from(description)).toHaveLength(140);
    expect(description.endsWith('…')).toBe(true);
  });

  it('retries a 502 and succeeds with the 201 that follows', async () => {
    const t = setup(target);
    t.grantToken();
    t.scope.post(t.statusesPath).reply(502, 'Bad Gateway').post(t.statusesPath).reply(201, { id: 1 });
    await t.forge.setStatus(t.repo, SHA, STATUS);
    expect(t.done()).toHaveLength(3);
    expect(t.scope.isDone()).toBe(true);
  });

  it('waits out a secondary rate limit instead of failing', async () => {
    const logLines: string[] = [];
    const t = setup(target, { logLines });
    t.grantToken();
    t.scope
      .post(t.statusesPath)
      .reply(
        403,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api',
        },
        { 'retry-after': '1' },
      )
      .post(t.statusesPath)
      .reply(201, { id: 1 });
    const started = Date.now();
    await t.forge.setStatus(t.repo, SHA, STATUS);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(t.done()).toHaveLength(3);
    expect(logLines.join('')).toMatch(/secondary rate limit on POST .*retrying in 1 s/);
  });

  it('gives up on a secondary rate limit after the configured retries, as a ForgeError 403', async () => {
    const logLines: string[] = [];
    const t = setup(target, { logLines, secondaryRateLimitRetries: 0 });
    t.grantToken();
    t.scope
      .post(t.statusesPath)
      .reply(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '1' });
    const error = (await t.forge.setStatus(t.repo, SHA, STATUS).catch((e: unknown) => e)) as ForgeError;
    t.done();
    expect(error).toBeInstanceOf(ForgeError);
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/secondary rate limit/);
    expect(logLines.join('')).toMatch(/gave up after 0 retries/);
  });

  it('fails at once on a 422, naming the status and GitHub message, without the token', async () => {
    const t = setup(target);
    t.grantToken();
    t.scope.post(t.statusesPath).reply(422, {
      message: 'Validation Failed',
      errors: [
        { resource: 'Status', code: 'custom', field: 'sha', message: `No commit found for SHA: ${SHA}` },
      ],
      documentation_url: 'https://docs.github.com/rest/commits/statuses#create-a-commit-status',
    });
    const error = (await t.forge.setStatus(t.repo, SHA, STATUS).catch((e: unknown) => e)) as ForgeError;
    expect(t.done()).toHaveLength(2);
    expect(error).toBeInstanceOf(ForgeError);
    expect(error.status).toBe(422);
    expect(error.message).toMatch(
      /got 422 \(POST https:\/\/api\.github\.com\/repos\/Codertocat\/Hello-World\/statuses\//,
    );
    expect(error.message).toContain('No commit found for SHA');
    expect(error.message).not.toContain(INSTALLATION_TOKEN);
    expect(error.message).not.toMatch(/eyJ/);
  });

  it('says the app is not installed when GitHub knows no such installation', async () => {
    const t = setup(target);
    t.scope.post(t.tokenPath).reply(404, { message: 'Not Found' });
    const error = (await t.forge.setStatus(t.repo, SHA, STATUS).catch((e: unknown) => e)) as ForgeError;
    t.done();
    expect(error).toBeInstanceOf(ForgeError);
    expect(error.status).toBe(404);
    expect(error.message).toMatch(/no installation \d+ of this app/);
  });

  it('asks for a new installation Octokit after a failed one', async () => {
    const t = setup(target);
    t.scope.post(t.tokenPath).reply(404, { message: 'Not Found' });
    await t.forge.cloneAuthHeader(t.repo).catch(() => undefined);
    t.grantToken();
    expect(await t.forge.cloneAuthHeader(t.repo)).toMatch(/^Authorization: Basic /);
    t.done();
  });

  it('refuses a repository without an installation, sending nothing', async () => {
    const t = setup(target);
    const repo = { owner: 'Codertocat', name: 'Hello-World' };
    await expect(t.forge.setStatus(repo, SHA, STATUS)).rejects.toThrow(/named no GitHub App installation/);
    await expect(t.forge.cloneAuthHeader(repo)).rejects.toBeInstanceOf(ForgeError);
    expect(t.done()).toEqual([]);
  });

  it('exposes the Probot instance whose webhooks verify deliveries with the secret', async () => {
    const t = setup(target);
    await t.forge.probot.ready();
    const payload = JSON.stringify({ zen: 'Design for failure.', hook_id: 1 });
    const { createHmac } = await import('node:crypto');
    const signature = `sha256=${createHmac('sha256', 'shh').update(payload).digest('hex')}`;
    await t.forge.probot.webhooks.verifyAndReceive({ id: 'd-1', name: 'ping', payload, signature });
    await expect(
      t.forge.probot.webhooks.verifyAndReceive({ id: 'd-2', name: 'ping', payload, signature: 'sha256=00' }),
    ).rejects.toThrow();
  });
});

describe('GithubForge construction', () => {
  it('refuses an API URL that is not http(s)', () => {
    expect(() => new GithubForge({ appId: APP_ID, privateKey, apiUrl: 'api.github.com' })).toThrow(
      /not an http\(s\) URL: give https:\/\/api\.github\.com/,
    );
  });

  it('starts without a logger, and without a secret verifies nothing (not even "development")', async () => {
    const forge = new GithubForge({ appId: APP_ID, privateKey, apiUrl: 'https://api.github.com' });
    await forge.probot.ready();
    const payload = JSON.stringify({ zen: 'Design for failure.', hook_id: 1 });
    const { createHmac } = await import('node:crypto');
    const signature = `sha256=${createHmac('sha256', 'development').update(payload).digest('hex')}`;
    await expect(
      forge.probot.webhooks.verifyAndReceive({ id: 'd-3', name: 'ping', payload, signature }),
    ).rejects.toThrow();
  });
});

describe('the GitHub contract checker', () => {
  it('catches what GitHub would not take', () => {
    const contract = contractFor(TARGETS[0]);
    const request = (body: unknown): RecordedRequest => ({
      method: 'POST',
      url: `https://api.github.com/repos/o/r/statuses/${SHA}`,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
    });
    expect(contract.problems(request({ state: 'success' }))).toEqual([]);
    expect(contract.problems(request({ state: 'warning' })).join()).toMatch(/allowed values/);
    expect(contract.problems(request({ context: 'x' })).join()).toMatch(
      /must have required property 'state'/,
    );
    expect(contract.problems(request({ state: 'success', targetUrl: 'x' })).join()).toMatch(
      /additional properties/,
    );
    expect(
      contract
        .problems({
          method: 'POST',
          url: 'https://api.github.com/app/installations/abc/access_tokens',
          headers: {},
          body: undefined,
        })
        .join(),
    ).toMatch(/installation_id.*expected an integer/);
  });
});
