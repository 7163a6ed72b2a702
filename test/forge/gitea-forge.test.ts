import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CommitStatus, ForgeError } from '../../src/forge/forge.js';
import { GiteaForge } from '../../src/forge/gitea/gitea-forge.js';
import { ApiContract, type RecordedRequest } from './api-contract.js';
import { nock, recordRequests } from './nock-recorder.js';

const GITEA = 'http://gitea.test';
const TOKEN = 'c0ffee0123456789abcdef0123456789abcdef01';
const SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const REPO = { owner: 'alma', name: 'hello' };
const STATUS: CommitStatus = {
  context: 'albs/build (x86_64, almalinux-9)',
  state: 'pending',
  description: 'queued',
  targetUrl: 'https://albs.example.org/p/01J/build-x86_64',
};

const specPath = fileURLToPath(new URL('./specs/gitea-api-subset.json', import.meta.url));
const spec = JSON.parse(readFileSync(specPath, 'utf8'));
/** The subset with the collaborator-permission operation the comment commands ask (see specs/README.md). */
const permissionSpec = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('./specs/gitea-api-collaborator-permission.json', import.meta.url)),
    'utf8',
  ),
);
const fullSpec = {
  ...spec,
  paths: { ...spec.paths, ...permissionSpec.paths },
  definitions: { ...spec.definitions, ...permissionSpec.definitions },
  responses: { ...spec.responses, ...permissionSpec.responses },
};

type Answer = Response | Error | (() => Response);

/** A fetch that records each request and answers from `answers` in turn (201 when they run out). */
function fakeFetch(answers: Answer[] = []) {
  const requests: RecordedRequest[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((init?.headers ?? {}) as Record<string, string>))
      headers[k.toLowerCase()] = v;
    requests.push({
      method: init?.method ?? 'GET',
      url: String(input),
      headers,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const answer = answers.shift();
    if (answer instanceof Error) throw answer;
    if (typeof answer === 'function') return answer();
    return answer ?? new Response(JSON.stringify({ id: 1, status: 'pending' }), { status: 201 });
  }) as typeof globalThis.fetch;
  return { fetch: fetchFn, requests };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** Every request a test made, checked against Gitea's API spec after it. */
const made: RecordedRequest[] = [];
const contract = ApiContract.swagger2(fullSpec, GITEA);

function forge(answers: Answer[] = [], options: { token?: string; url?: string } = {}) {
  const fake = fakeFetch(answers);
  const instance = new GiteaForge({
    url: options.url ?? GITEA,
    token: 'token' in options ? options.token : TOKEN,
    fetch: fake.fetch,
    retryDelayMs: 1,
  });
  return { forge: instance, requests: fake.requests };
}

afterEach(() => {
  const problems = made.flatMap((r) => contract.problems(r));
  made.length = 0;
  expect(problems).toEqual([]);
});

function record(requests: RecordedRequest[]) {
  made.push(...requests);
}

describe('GiteaForge.setStatus', () => {
  it('posts the status to the statuses endpoint with the token header', async () => {
    const { forge: gitea, requests } = forge();
    await gitea.setStatus(REPO, SHA, STATUS);
    record(requests);
    expect(requests).toEqual([
      {
        method: 'POST',
        url: `${GITEA}/api/v1/repos/alma/hello/statuses/${SHA}`,
        headers: {
          authorization: `token ${TOKEN}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: {
          state: 'pending',
          target_url: STATUS.targetUrl,
          description: 'queued',
          context: STATUS.context,
        },
      },
    ]);
  });

  it('posts every state albs uses, each one Gitea accepts', async () => {
    const { forge: gitea, requests } = forge();
    for (const state of ['pending', 'success', 'failure', 'error'] as const) {
      await gitea.setStatus(REPO, SHA, { ...STATUS, state });
    }
    record(requests);
    expect(requests.map((r) => (r.body as { state: string }).state)).toEqual([
      'pending',
      'success',
      'failure',
      'error',
    ]);
  });

  it('URL-encodes owner, repository and sha, and keeps a sub-path install', async () => {
    const { forge: gitea, requests } = forge([], { url: `${GITEA}/git/` });
    await gitea.setStatus({ owner: 'a b', name: 'c#d?' }, SHA, STATUS);
    expect(requests[0]?.url).toBe(`${GITEA}/git/api/v1/repos/a%20b/c%23d%3F/statuses/${SHA}`);
    made.push(...requests.map((r) => ({ ...r, url: r.url.replace('/git/', '/') })));
  });

  it('cuts a description longer than 140 characters with "…"', async () => {
    const { forge: gitea, requests } = forge();
    await gitea.setStatus(REPO, SHA, { ...STATUS, description: `failed: ${'x'.repeat(300)}` });
    record(requests);
    const description = (requests[0]?.body as { description: string } | undefined)?.description ?? '';
    expect(Array.from(description)).toHaveLength(140);
    expect(description.endsWith('…')).toBe(true);
    expect(description.startsWith('failed: xxx')).toBe(true);
  });

  it('retries a 502 and succeeds with the 201 that follows', async () => {
    const { forge: gitea, requests } = forge([json(502, { message: 'Bad Gateway' }), json(201, { id: 2 })]);
    await gitea.setStatus(REPO, SHA, STATUS);
    record(requests);
    expect(requests).toHaveLength(2);
    expect(requests[1]).toEqual(requests[0]);
  });

  it('retries network errors with growing delays, then gives up with a ForgeError', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: new Error('connect ECONNREFUSED'),
    });
    const fake = fakeFetch([refused, refused, refused]);
    const gitea = new GiteaForge({
      url: GITEA,
      token: TOKEN,
      fetch: fake.fetch,
      retries: 2,
      retryDelayMs: 20,
    });
    const started = Date.now();
    const error = await gitea.setStatus(REPO, SHA, STATUS).catch((e: unknown) => e);
    record(fake.requests);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20 + 40 - 5);
    expect(fake.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(ForgeError);
    expect((error as ForgeError).status).toBeUndefined();
    expect((error as ForgeError).message).toMatch(
      /failed after 3 attempts: fetch failed: connect ECONNREFUSED/,
    );
    expect((error as ForgeError).message).toContain('alma/hello');
  });

  it('gives up on a 5xx after the retries, naming the status', async () => {
    const { forge: gitea, requests } = forge([
      json(500, { message: 'db locked' }),
      json(503, { message: 'db locked' }),
      json(500, { message: 'db locked' }),
      json(500, { message: 'db locked' }),
    ]);
    const error = (await gitea.setStatus(REPO, SHA, STATUS).catch((e: unknown) => e)) as ForgeError;
    record(requests);
    expect(requests).toHaveLength(4);
    expect(error).toBeInstanceOf(ForgeError);
    expect(error.status).toBe(500);
    expect(error.message).toMatch(/Gitea answered 500 .* after 4 attempts: "db locked"/);
  });

  it('fails at once on a 422, with the status code and the forge message but not the token', async () => {
    const { forge: gitea, requests } = forge([
      json(422, { message: `invalid state for token ${TOKEN}`, url: `${GITEA}/api/swagger` }),
    ]);
    const error = (await gitea.setStatus(REPO, SHA, STATUS).catch((e: unknown) => e)) as ForgeError;
    record(requests);
    expect(requests).toHaveLength(1);
    expect(error).toBeInstanceOf(ForgeError);
    expect(error.status).toBe(422);
    expect(error.message).toContain('422');
    expect(error.message).toContain('invalid state for token');
    expect(error.message).toContain(`POST ${GITEA}/api/v1/repos/alma/hello/statuses/${SHA}`);
    expect(error.message).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it('says what to do about 401, 403 and 404', async () => {
    const cases: [number, RegExp][] = [
      [401, /token is not valid/],
      [403, /write access to the repository/],
      [404, /no repository alma\/hello/],
    ];
    for (const [status, fix] of cases) {
      const { forge: gitea, requests } = forge([json(status, { message: 'no' })]);
      const error = (await gitea.setStatus(REPO, SHA, STATUS).catch((e: unknown) => e)) as ForgeError;
      record(requests);
      expect(error.status).toBe(status);
      expect(error.message).toMatch(fix);
    }
  });

  it('shows a non-JSON error page shortened', async () => {
    const { forge: gitea, requests } = forge([
      new Response(`<html>${'x'.repeat(5000)}</html>`, { status: 413 }),
    ]);
    const error = (await gitea.setStatus(REPO, SHA, STATUS).catch((e: unknown) => e)) as ForgeError;
    record(requests);
    expect(error.status).toBe(413);
    expect(error.message.length).toBeLessThan(900);
  });

  it('refuses to post without a token, sending nothing', async () => {
    const { forge: gitea, requests } = forge([], { token: undefined });
    await expect(gitea.setStatus(REPO, SHA, STATUS)).rejects.toThrow(/no Gitea token is configured/);
    expect(requests).toHaveLength(0);
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => new GiteaForge({ url: 'git.example.org' })).toThrow(/is not a URL/);
    expect(() => new GiteaForge({ url: 'ftp://git.example.org' })).toThrow(/is not http\(s\)/);
  });
});

describe('GiteaForge.permission and comment', () => {
  it("asks a commenter's permission: owner and admin are admin, an unknown user none", async () => {
    const answer = (permission: string) =>
      json(200, { permission, role_name: permission, user: { id: 1, login: 'x' } });
    const { forge: gitea, requests } = forge([
      answer('owner'),
      answer('write'),
      answer('read'),
      json(404, { message: 'user does not exist [uid: 0, name: ghost]' }),
    ]);
    expect(await gitea.permission(REPO, 'alice')).toBe('admin');
    expect(await gitea.permission(REPO, 'bob')).toBe('write');
    expect(await gitea.permission(REPO, 'reader')).toBe('read');
    expect(await gitea.permission(REPO, 'ghost')).toBe('none');
    record(requests);
    expect(requests[0]).toMatchObject({
      method: 'GET',
      url: `${GITEA}/api/v1/repos/alma/hello/collaborators/alice/permission`,
      body: undefined,
    });
    expect(requests[0]?.headers.authorization).toBe(`token ${TOKEN}`);
  });

  it("says that Gitea answers permissions only to the repository's administrators", async () => {
    const { forge: gitea, requests } = forge([
      json(403, {
        message:
          'Only admins can query all permissions, repo admins can query all repo permissions, collaborators can query only their own',
      }),
    ]);
    const error = await gitea.permission(REPO, 'bob').catch((e: unknown) => e);
    record(requests);
    expect(error).toBeInstanceOf(ForgeError);
    expect((error as ForgeError).message).toMatch(/make the token's user an administrator of it/);
  });

  it('comments on a pull request, and refuses a commit (Gitea has no commit comments)', async () => {
    const { forge: gitea, requests } = forge();
    await gitea.comment(REPO, { pullRequest: 12 }, '@bob retrying');
    record(requests);
    expect(requests).toMatchObject([
      {
        method: 'POST',
        url: `${GITEA}/api/v1/repos/alma/hello/issues/12/comments`,
        body: { body: '@bob retrying' },
      },
    ]);
    await expect(gitea.comment(REPO, { commit: SHA }, 'x')).rejects.toThrow(/Gitea has no commit comments/);
  });
});

describe('GiteaForge.cloneAuthHeader', () => {
  it('is the token header, or undefined without a token', async () => {
    expect(await forge().forge.cloneAuthHeader(REPO)).toBe(`Authorization: token ${TOKEN}`);
    expect(await forge([], { token: undefined }).forge.cloneAuthHeader(REPO)).toBeUndefined();
  });
});

describe('GiteaForge with the global fetch (nock)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('reaches the network through the global fetch, retrying a 502', async () => {
    const seen: RecordedRequest[] = [];
    const path = `/api/v1/repos/alma/hello/statuses/${SHA}`;
    const scope = recordRequests(
      nock(GITEA).post(path).reply(502, 'Bad Gateway').post(path).reply(201, { id: 1 }),
      seen,
    );
    await new GiteaForge({ url: GITEA, token: TOKEN, retryDelayMs: 1 }).setStatus(REPO, SHA, STATUS);
    record(seen);
    expect(scope.isDone()).toBe(true);
    expect(seen).toHaveLength(2);
    expect(seen[0]?.headers.authorization).toBe(`token ${TOKEN}`);
    expect(seen[0]?.body).toEqual({
      state: 'pending',
      target_url: STATUS.targetUrl,
      description: 'queued',
      context: STATUS.context,
    });
  });

  it('keeps the token out of a message even when the answer echoes the request', async () => {
    const path = `/api/v1/repos/alma/hello/statuses/${SHA}`;
    nock(GITEA)
      .post(path)
      .reply(400, `bad request: Authorization: token ${TOKEN} ${'x'.repeat(1000)}`);
    const error = (await new GiteaForge({ url: GITEA, token: TOKEN })
      .setStatus(REPO, SHA, STATUS)
      .catch((e: unknown) => e)) as ForgeError;
    expect(error.status).toBe(400);
    expect(error.message).toContain('[token]');
    // Not even a prefix: cutting the answer short must not cut the token in two.
    expect(error.message).not.toContain(TOKEN.slice(0, 12));
  });
});

describe('the Gitea spec the contract tests read', () => {
  it('is the shared forge-specs copy, when that is at hand', () => {
    const shared = fileURLToPath(
      new URL('../../../shared/forge-specs/gitea-api-subset.json', import.meta.url),
    );
    if (!existsSync(shared)) return;
    expect(spec).toEqual(JSON.parse(readFileSync(shared, 'utf8')));
  });

  it('catches what Gitea would not take', () => {
    const request = (
      body: unknown,
      url = `${GITEA}/api/v1/repos/alma/hello/statuses/${SHA}`,
    ): RecordedRequest => ({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(contract.problems(request({ state: 'pending', context: 'c' }))).toEqual([]);
    expect(contract.problems(request({ state: 'queued' })).join()).toMatch(
      /state must be equal to one of the allowed values/,
    );
    expect(contract.problems(request({ state: 'pending', targetUrl: 'x' })).join()).toMatch(
      /must NOT have additional properties.*targetUrl/,
    );
    expect(contract.problems(request({ state: 1 })).join()).toMatch(/state must be string/);
    expect(contract.problems(request({}, `${GITEA}/api/v1/repos/alma/hello/status/${SHA}`)).join()).toMatch(
      /no path of the spec/,
    );
    expect(contract.problems({ ...request(undefined), method: 'DELETE' }).join()).toMatch(
      /no DELETE operation on \/repos\/\{owner\}\/\{repo\}\/statuses\/\{sha\}/,
    );
  });

  it('checks the token header against the spec security definition', () => {
    // Gitea reads `Authorization: token …` (AuthorizationHeaderToken); the header is what GiteaForge sends.
    expect(spec.securityDefinitions.AuthorizationHeaderToken).toMatchObject({
      in: 'header',
      name: 'Authorization',
    });
    expect(spec.securityDefinitions.AuthorizationHeaderToken.description).toMatch(/prepended with "token"/);
  });
});
