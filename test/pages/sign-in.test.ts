/**
 * Sign-in with the forge (OAuth2, Gitea's endpoints on a fake Gitea over real HTTP): a private
 * repository's page is shown to a user the forge lets read it, and to nobody else.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageRoutes } from '../../src/server/pages/page-routes.js';
import { oauthProviders, SignIn } from '../../src/server/pages/sign-in.js';
import { PipelineRecords } from '../../src/server/pipeline-records.js';
import { loadServerConfig } from '../../src/server/server-config.js';
import { readServerSecrets, type ServerConfigError } from '../../src/server/server-secrets.js';
import { fakeOAuthGitea, listen, recordOf } from './helpers.js';

const PRIVATE_ID = '01JAAAAAAAAAAAAAAAAAAAAAAD';
const CLIENT_ID = 'albs-pages';
const CLIENT_SECRET = 'client-secret-0123456789';

describe('sign-in with Gitea for the pages of a private repository', () => {
  let gitea: Server;
  let pages: Server;
  let giteaUrl: string;
  let base: string;
  /** Who signs in at the fake Gitea's authorize page next. */
  let user = 'alice';

  beforeAll(async () => {
    gitea = fakeOAuthGitea(() => user, CLIENT_ID, CLIENT_SECRET);
    giteaUrl = await listen(gitea);
    const records = await PipelineRecords.open(
      join(mkdtempSync(join(tmpdir(), 'albs-sign-in-')), 'pipelines'),
    );
    const secret = recordOf('version: 1\n');
    secret.id = PRIVATE_ID;
    Object.assign(secret.source, { repository: 'acme/secret', owner: 'acme', name: 'secret', private: true });
    await records.create(secret);
    let routes: ReturnType<typeof pageRoutes> | undefined;
    pages = createServer((req, res) => {
      void routes!(req, res, new URL(req.url ?? '/', 'http://x')).then((done) => {
        if (!done) res.writeHead(404).end();
      });
    });
    base = await listen(pages);
    const signIn = new SignIn(
      [
        {
          forge: 'gitea',
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          webUrl: giteaUrl,
          apiUrl: `${giteaUrl}/api/v1`,
        },
      ],
      's'.repeat(40),
      base,
    );
    routes = pageRoutes({ records, readTokens: new Map(), signIn });
  });

  afterAll(() => {
    gitea?.close();
    pages?.closeAllConnections();
    pages?.close();
  });

  /** A browser's part: follows redirects by hand, keeping the cookies the pages set. */
  async function browse(
    path: string,
    jar: Map<string, string>,
  ): Promise<{ status: number; url: string; text: string }> {
    let url = path.startsWith('http') ? path : `${base}${path}`;
    for (let hops = 0; hops < 10; hops++) {
      const headers: Record<string, string> = {};
      if (url.startsWith(base) && jar.size > 0) {
        headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      }
      const response = await fetch(url, { redirect: 'manual', headers });
      if (url.startsWith(base)) {
        for (const cookie of response.headers.getSetCookie()) {
          const [pair] = cookie.split(';');
          const at = pair!.indexOf('=');
          const value = pair!.slice(at + 1);
          if (value === '') jar.delete(pair!.slice(0, at));
          else jar.set(pair!.slice(0, at), value);
        }
      }
      const location = response.headers.get('location');
      if (response.status !== 302 || !location)
        return { status: response.status, url, text: await response.text() };
      url = new URL(location, url).toString();
    }
    throw new Error(`too many redirects from ${path}`);
  }

  it('a private page sends a visitor to sign in; after signing in at Gitea, a reader sees it and its listing', async () => {
    user = 'alice';
    const jar = new Map<string, string>();
    const first = await browse(`/pipelines/${PRIVATE_ID}`, jar);
    expect(new URL(first.url).pathname).toBe('/sign-in');
    expect(first.text).not.toContain('acme/secret');
    const link = /href="(\/sign-in\/gitea\?next=[^"]+)">Sign in with Gitea/.exec(first.text)?.[1];
    expect(link).toBe(`/sign-in/gitea?next=${encodeURIComponent(`/pipelines/${PRIVATE_ID}`)}`);
    const page = await browse(link!.replace(/&amp;/g, '&'), jar);
    expect(page.url).toBe(`${base}/pipelines/${PRIVATE_ID}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('acme/secret');
    expect((await browse('/pipelines', jar)).text).toContain('acme/secret');
    expect((await browse('/sign-in', jar)).text).toMatch(/Signed in on Gitea as <strong>alice<\/strong>/);
    // Signed out: sent to sign in again.
    await browse('/sign-out', jar);
    expect(new URL((await browse(`/pipelines/${PRIVATE_ID}`, jar)).url).pathname).toBe('/sign-in');
  });

  it('a user Gitea does not let read the repository is told there is no such pipeline', async () => {
    user = 'bob';
    const jar = new Map<string, string>();
    const page = await browse(`/sign-in/gitea?next=/pipelines/${PRIVATE_ID}`, jar);
    expect(page.status).toBe(404);
    expect(page.text).not.toContain('acme/secret');
    expect((await browse('/pipelines', jar)).text).not.toContain('acme/secret');
  });

  it('a forged or foreign cookie is no session; a callback this browser did not start is refused', async () => {
    const jar = new Map([['albs_session', 'AAAA-not-a-session']]);
    expect(new URL((await browse(`/pipelines/${PRIVATE_ID}`, jar)).url).pathname).toBe('/sign-in');
    const stray = await browse('/sign-in/gitea/callback?code=code-alice&state=guessed', new Map());
    expect(stray.status).toBe(400);
    expect(stray.text).toMatch(/Sign-in failed: this sign-in was not started here/);
  });
});

describe('the oauth and session-secret-file settings', () => {
  const base =
    'public-url: https://albs.example.org\ndata-dir: /var/lib/albs\ngitea: {url: https://git.example.org}\n';
  const messages = (text: string) =>
    loadServerConfig(text, 'server.yml').problems.map((p) => `${p.severity}: ${p.message}`);

  it('are read with the forge they sign in to', () => {
    const { config } = loadServerConfig(
      `${base}oauth: {gitea: {client-id: abc, client-secret-file: gitea-oauth.secret}}\nsession-secret-file: /etc/albs/session.secret\n`,
      '/etc/albs/server.yml',
    );
    expect(config?.oauth).toEqual({
      gitea: { clientId: 'abc', clientSecretFile: '/etc/albs/gitea-oauth.secret' },
    });
    expect(config?.sessionSecretFile).toBe('/etc/albs/session.secret');
  });

  it('oauth needs session-secret-file, and a section for each forge it names', () => {
    expect(messages(`${base}oauth: {github: {client-id: abc, client-secret-file: x}}\n`)).toEqual([
      expect.stringMatching(/^error: oauth is set but "session-secret-file" is not/),
      expect.stringMatching(/^error: oauth.github is set but there is no "github" section/),
    ]);
    expect(messages(`${base}session-secret-file: /s\n`)).toEqual([
      expect.stringMatching(/^warning: session-secret-file is set but "oauth" is not/),
    ]);
  });
});

describe('the sign-in secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'albs-sign-in-secrets-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };
  const configWith = (session: string) =>
    loadServerConfig(
      `public-url: https://albs.example.org\ndata-dir: ${dir}\ngitea: {url: https://git.example.org}\n` +
        `oauth: {gitea: {client-id: abc, client-secret-file: ${file('client.secret', 'the-client-secret\n')}}}\n` +
        `session-secret-file: ${session}\n`,
      join(dir, 'server.yml'),
    ).config!;

  // The forge's own secrets, from the environment as albs serve allows.
  const env = { ALBS_GITEA_TOKEN: 'gitea-token', ALBS_GITEA_WEBHOOK_SECRET: 'hook-secret' };

  it('the client secret and the session secret are read from their files (mode 600)', async () => {
    const secrets = await readServerSecrets(configWith(file('session.secret', `${'s'.repeat(64)}\n`)), env);
    expect(secrets.oauthSecrets).toEqual({ gitea: 'the-client-secret' });
    expect(secrets.sessionSecret).toBe('s'.repeat(64));
  });

  it('a short session secret is refused, saying how to make one', async () => {
    const error = await readServerSecrets(configWith(file('short.secret', 'short\n')), env).catch(
      (e: unknown) => e,
    );
    expect((error as ServerConfigError).problems).toEqual([
      expect.stringMatching(
        /^session-secret-file: .*short.secret holds 5 characters; a session secret needs 32 or more/,
      ),
    ]);
  });
});

describe('the OAuth2 providers of a server config', () => {
  const secrets = { oauthSecrets: { gitea: 'g-secret', github: 'h-secret' } };
  const oauth = { gitea: { clientId: 'g' }, github: { clientId: 'h' } };

  it("Gitea's pages and API under gitea.url; GitHub's web address beside its API's, for github.com and Enterprise", () => {
    expect(
      oauthProviders(
        { gitea: { url: 'https://git.example.org/' }, github: { apiUrl: 'https://api.github.com' }, oauth },
        secrets,
      ),
    ).toEqual([
      {
        forge: 'gitea',
        clientId: 'g',
        clientSecret: 'g-secret',
        webUrl: 'https://git.example.org',
        apiUrl: 'https://git.example.org/api/v1',
      },
      {
        forge: 'github',
        clientId: 'h',
        clientSecret: 'h-secret',
        webUrl: 'https://github.com',
        apiUrl: 'https://api.github.com',
      },
    ]);
    expect(
      oauthProviders(
        { github: { apiUrl: 'https://ghe.example.org/api/v3' }, oauth: { github: oauth.github } },
        secrets,
      ),
    ).toEqual([
      {
        forge: 'github',
        clientId: 'h',
        clientSecret: 'h-secret',
        webUrl: 'https://ghe.example.org',
        apiUrl: 'https://ghe.example.org/api/v3',
      },
    ]);
  });
});
