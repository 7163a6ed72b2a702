/**
 * Sign-in to the pipeline pages with the forge (OAuth2's authorization-code flow, Gitea and
 * GitHub): /sign-in/FORGE sends the browser to the forge, /sign-in/FORGE/callback takes the code
 * back, exchanges it for the user's token and keeps the user in a cookie encrypted and signed with
 * the session secret (AES-256-GCM), so that any replica of a farm reads it. Whether a user may read
 * a private repository is the forge's answer to GET repos/OWNER/NAME with the user's token, kept a
 * minute.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PipelineRecord } from '../pipeline-records.js';

export type OAuthForge = 'gitea' | 'github';

/** Where one forge's OAuth2 endpoints and API are, and the application's credentials. */
export interface OAuthProvider {
  forge: OAuthForge;
  clientId: string;
  clientSecret: string;
  /** The web address: /login/oauth/authorize and /login/oauth/access_token are under it. */
  webUrl: string;
  /** The API: Gitea's /api/v1, GitHub's api-url. */
  apiUrl: string;
}

export interface Session {
  forge: OAuthForge;
  login: string;
  token: string;
  /** Milliseconds since the epoch. */
  expires: number;
}

const SESSION_COOKIE = 'albs_session';
const STATE_COOKIE = 'albs_oauth_state';
const SESSION_MS = 12 * 3600 * 1000;
const STATE_MS = 10 * 60 * 1000;
/** How long the forge's answer to "may this user read that repository" is kept. */
const READ_CACHE_MS = 60 * 1000;

/** The providers of a server's config: GitHub's web address is its API's without api. or /api/v3. */
export function oauthProviders(
  config: {
    gitea?: { url: string };
    github?: { apiUrl: string };
    oauth?: { gitea?: { clientId: string }; github?: { clientId: string } };
  },
  secrets: { oauthSecrets?: { gitea?: string; github?: string } },
): OAuthProvider[] {
  const providers: OAuthProvider[] = [];
  const gitea = config.oauth?.gitea;
  if (gitea && config.gitea && secrets.oauthSecrets?.gitea) {
    const url = config.gitea.url.replace(/\/+$/, '');
    providers.push({
      forge: 'gitea',
      clientId: gitea.clientId,
      clientSecret: secrets.oauthSecrets.gitea,
      webUrl: url,
      apiUrl: `${url}/api/v1`,
    });
  }
  const github = config.oauth?.github;
  if (github && config.github && secrets.oauthSecrets?.github) {
    const api = config.github.apiUrl.replace(/\/+$/, '');
    const web = /^https:\/\/api\.github\.com$/.test(api)
      ? 'https://github.com'
      : api.replace(/\/api\/v3$/, '');
    providers.push({
      forge: 'github',
      clientId: github.clientId,
      clientSecret: secrets.oauthSecrets.github,
      webUrl: web,
      apiUrl: api,
    });
  }
  return providers;
}

export class SignIn {
  private readonly key: Buffer;
  private readonly reads = new Map<string, { may: boolean; until: number }>();

  constructor(
    readonly providers: OAuthProvider[],
    sessionSecret: string,
    private readonly publicUrl: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHash('sha256').update(`albs session\n${sessionSecret}`).digest();
  }

  provider(forge: string): OAuthProvider | undefined {
    return this.providers.find((p) => p.forge === forge);
  }

  private seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  private open<T>(text: string | undefined): T | undefined {
    if (!text) return undefined;
    try {
      const raw = Buffer.from(text, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      return JSON.parse(plain) as T;
    } catch {
      // Tampered with, or sealed under another secret: no session.
      return undefined;
    }
  }

  private cookie(name: string, value: string, maxAgeMs: number): string {
    const secure = this.publicUrl.startsWith('https:') ? '; Secure' : '';
    return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${Math.floor(maxAgeMs / 1000)}${secure}`;
  }

  session(req: IncomingMessage): Session | undefined {
    const session = this.open<Session>(cookies(req)[SESSION_COOKIE]);
    return session && session.expires > this.now() ? session : undefined;
  }

  /** /sign-in/FORGE: to the forge's authorize page, with a state only this browser holds. */
  start(res: ServerResponse, provider: OAuthProvider, next: string): void {
    const state = randomBytes(16).toString('hex');
    const url = new URL(`${provider.webUrl}/login/oauth/authorize`);
    url.searchParams.set('client_id', provider.clientId);
    url.searchParams.set('redirect_uri', this.redirectUri(provider));
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('state', state);
    if (provider.forge === 'github') url.searchParams.set('scope', 'repo');
    res.writeHead(302, {
      location: url.toString(),
      'set-cookie': this.cookie(
        STATE_COOKIE,
        this.seal({ state, next, until: this.now() + STATE_MS }),
        STATE_MS,
      ),
      'cache-control': 'no-store',
    });
    res.end();
  }

  private redirectUri(provider: OAuthProvider): string {
    return `${this.publicUrl}/sign-in/${provider.forge}/callback`;
  }

  /**
   * /sign-in/FORGE/callback: the code exchanged for the user's token, the user's login asked for;
   * resolves to where the browser goes next, or throws an Error whose message says what failed.
   */
  async finish(req: IncomingMessage, res: ServerResponse, provider: OAuthProvider, url: URL): Promise<void> {
    const saved = this.open<{ state: string; next: string; until: number }>(cookies(req)[STATE_COOKIE]);
    const error = url.searchParams.get('error');
    if (error)
      throw new Error(`${provider.forge} said: ${url.searchParams.get('error_description') ?? error}`);
    if (!saved || saved.until < this.now() || saved.state !== url.searchParams.get('state')) {
      throw new Error('this sign-in was not started here, or took more than 10 minutes: sign in again');
    }
    const code = url.searchParams.get('code') ?? '';
    // Form-encoded, as OAuth2 (RFC 6749) has it; both forges answer JSON when asked to.
    const answer = await fetch(`${provider.webUrl}/login/oauth/access_token`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: provider.clientId,
        client_secret: provider.clientSecret,
        code,
        grant_type: 'authorization_code',
        redirect_uri: this.redirectUri(provider),
      }).toString(),
    });
    const body = (await answer.json().catch(() => ({}))) as { access_token?: string; error?: string };
    if (!answer.ok || !body.access_token) {
      throw new Error(
        `${provider.forge} did not give a token for the code (HTTP ${answer.status}${body.error ? `, ${body.error}` : ''}): check oauth.${provider.forge}.client-id and its secret`,
      );
    }
    const user = await fetch(`${provider.apiUrl}/user`, {
      headers: authorization(provider, body.access_token),
    });
    const login = ((await user.json().catch(() => ({}))) as { login?: string }).login;
    if (!user.ok || !login)
      throw new Error(`${provider.forge} did not say who signed in (HTTP ${user.status})`);
    const session: Session = {
      forge: provider.forge,
      login,
      token: body.access_token,
      expires: this.now() + SESSION_MS,
    };
    res.writeHead(302, {
      location: saved.next,
      'set-cookie': [
        this.cookie(SESSION_COOKIE, this.seal(session), SESSION_MS),
        this.cookie(STATE_COOKIE, '', 0),
      ],
      'cache-control': 'no-store',
    });
    res.end();
  }

  signOut(res: ServerResponse): void {
    res.writeHead(302, { location: '/pipelines', 'set-cookie': this.cookie(SESSION_COOKIE, '', 0) });
    res.end();
  }

  /** Whether the forge lets the session's user read the record's repository (its own forge only). */
  async mayRead(session: Session | undefined, record: PipelineRecord): Promise<boolean> {
    const { forge, owner, name } = record.source;
    if (!session || session.forge !== forge || owner === undefined || name === undefined) return false;
    const provider = this.provider(forge);
    if (!provider) return false;
    const key = `${forge}\n${session.login}\n${owner}/${name}`;
    const cached = this.reads.get(key);
    if (cached && cached.until > this.now()) return cached.may;
    const answer = await fetch(
      `${provider.apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`,
      {
        headers: authorization(provider, session.token),
      },
    ).catch(() => undefined);
    await answer?.body?.cancel();
    const may = answer?.status === 200;
    this.reads.set(key, { may, until: this.now() + READ_CACHE_MS });
    if (this.reads.size > 10_000) this.reads.delete(this.reads.keys().next().value!);
    return may;
  }
}

function authorization(provider: OAuthProvider, token: string): Record<string, string> {
  return provider.forge === 'github'
    ? { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'user-agent': 'albs-ci' }
    : { authorization: `token ${token}`, accept: 'application/json' };
}

function cookies(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return out;
}
