import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CommentTarget,
  type CommitStatus,
  type Forge,
  ForgeError,
  type ForgeRepo,
  type Permission,
} from '../forge.js';
import { fitDescription } from '../status-description.js';

export interface GiteaForgeOptions {
  /** The Gitea base URL, e.g. https://git.example.org (a sub-path install: https://example.org/git). */
  url: string;
  /** An access token of the user albs posts as (scope write:repository). */
  token?: string | undefined;
  /** Tests hand in a fake; by default the global fetch, looked up at call time. */
  fetch?: typeof fetch;
  /** Retries after a 5xx answer, a 408/429 or a network error. Default 3. */
  retries?: number;
  /** The first retry's delay; each further one doubles it. Default 500 ms. */
  retryDelayMs?: number;
  /** One request's time limit: a hung forge must not hold a status (or shutdown) forever. Default 15 s. */
  timeoutMs?: number;
}

/** Answers worth asking again: the server's trouble, or "too many requests" / "timeout". */
function isRetryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** What to do about a refused request, by status. */
function hint(status: number, repo: string, what = 'write statuses to'): string {
  switch (status) {
    case 401:
      return 'the token is not valid: create a new access token in Gitea and configure it';
    case 403:
      return what === 'read permissions of'
        ? `Gitea answers a user's permission on ${repo} only to an administrator of the repository: make the token's user an administrator of it (or of its organisation)`
        : `the token's user may not ${what} ${repo}: give it write access to the repository (token scope write:repository)`;
    case 404:
      return `Gitea knows no repository ${repo} visible to the token's user, or no such commit: check the repository and the user's access`;
    default:
      return 'Gitea refused the request as sent: see its message';
  }
}

/**
 * The Forge port for Gitea (and Forgejo, which keeps its API): statuses through
 * `POST /api/v1/repos/{owner}/{repo}/statuses/{sha}` with `Authorization: token …`; a commenter's
 * permission through `GET …/collaborators/{collaborator}/permission` (answered only to an
 * administrator of the repository), replies through `POST …/issues/{index}/comments`.
 */
export class GiteaForge implements Forge {
  readonly name = 'gitea' as const;
  private readonly url: string;
  private readonly token: string | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly timeoutMs: number;

  constructor(options: GiteaForgeOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new Error(
        `Gitea URL ${JSON.stringify(options.url)} is not a URL: give e.g. https://git.example.org`,
      );
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new Error(
        `Gitea URL ${JSON.stringify(options.url)} is not http(s): give e.g. https://git.example.org`,
      );
    }
    this.url = options.url.replace(/\/+$/, '');
    this.token = options.token || undefined;
    // Looked up per call so that an interceptor installed later (nock, undici's MockAgent) applies.
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.retries = options.retries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async setStatus(repo: ForgeRepo, sha: string, status: CommitStatus): Promise<void> {
    const fullName = `${repo.owner}/${repo.name}`;
    if (this.token === undefined) {
      throw new ForgeError(
        `cannot post the status ${status.context} to ${fullName} on Gitea: no Gitea token is configured; create an access token with scope write:repository and configure it`,
      );
    }
    const path = `/api/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/statuses/${encodeURIComponent(sha)}`;
    await this.request('POST', path, fullName, {
      state: status.state,
      target_url: status.targetUrl,
      description: fitDescription(status.description),
      context: status.context,
    });
  }

  async permission(repo: ForgeRepo, user: string): Promise<Permission> {
    const fullName = `${repo.owner}/${repo.name}`;
    this.requireToken(`ask ${user}'s permission on ${fullName}`);
    const path = `${this.repoPath(repo)}/collaborators/${encodeURIComponent(user)}/permission`;
    let answer: unknown;
    try {
      answer = await this.request('GET', path, fullName, undefined, 'read permissions of');
    } catch (error) {
      // Gitea answers 404 for a user it does not know: such a user may do nothing.
      if (error instanceof ForgeError && error.status === 404) return 'none';
      throw error;
    }
    // RepoCollaboratorPermission.permission is Gitea's access mode: none, read, write, admin, owner.
    const mode = (answer as { permission?: unknown } | undefined)?.permission;
    if (mode === 'owner' || mode === 'admin') return 'admin';
    if (mode === 'write' || mode === 'read') return mode;
    return 'none';
  }

  async comment(repo: ForgeRepo, on: CommentTarget, body: string): Promise<void> {
    const fullName = `${repo.owner}/${repo.name}`;
    if (!('pullRequest' in on)) {
      throw new ForgeError(`Gitea has no commit comments: cannot comment on ${on.commit} in ${fullName}`);
    }
    this.requireToken(`comment on pull request #${on.pullRequest} of ${fullName}`);
    await this.request(
      'POST',
      `${this.repoPath(repo)}/issues/${on.pullRequest}/comments`,
      fullName,
      { body },
      'comment on',
    );
  }

  private requireToken(what: string): void {
    if (this.token === undefined) {
      throw new ForgeError(
        `cannot ${what} on Gitea: no Gitea token is configured; create an access token with scope write:repository and configure it`,
      );
    }
  }

  private repoPath(repo: ForgeRepo): string {
    return `/api/v1/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
  }

  async cloneAuthHeader(_repo: ForgeRepo): Promise<string | undefined> {
    // Gitea accepts the API token header on git's smart-HTTP paths as well.
    return this.token === undefined ? undefined : `Authorization: token ${this.token}`;
  }

  /** Sends one request, retrying; resolves to the answer's JSON (undefined when it is none). */
  private async request(
    method: string,
    path: string,
    fullName: string,
    body: unknown,
    what?: string,
  ): Promise<unknown> {
    const where = `${method} ${this.url}${path}`;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetchImpl(`${this.url}${path}`, {
          method,
          headers: {
            Authorization: `token ${this.token}`,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
            Accept: 'application/json',
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        if (attempt < this.retries) {
          await sleep(this.retryDelayMs * 2 ** attempt);
          continue;
        }
        throw new ForgeError(
          this.redact(
            `${where} for ${fullName} failed after ${attempt + 1} attempts: ${errorText(error)}; check that Gitea at ${this.url} is reachable from albs`,
          ),
          undefined,
          { cause: error },
        );
      }
      if (response.ok) {
        // Read to the end (the connection goes back to the pool), as JSON where it is.
        const text = await response.text().catch(() => '');
        try {
          return text === '' ? undefined : (JSON.parse(text) as unknown);
        } catch {
          return undefined;
        }
      }
      // Redacted before it is shortened: a cut could leave a prefix of the token that no longer matches.
      const message = await forgeMessage(response, (text) => this.redact(text));
      if (isRetryable(response.status) && attempt < this.retries) {
        await sleep(this.retryDelayMs * 2 ** attempt);
        continue;
      }
      const gaveUp = isRetryable(response.status) ? ` after ${attempt + 1} attempts` : '';
      throw new ForgeError(
        this.redact(
          `Gitea answered ${response.status} to ${where} for ${fullName}${gaveUp}: ${message}; ${isRetryable(response.status) ? `Gitea at ${this.url} is failing: check its logs` : hint(response.status, fullName, what)}`,
        ),
        response.status,
      );
    }
  }

  /** The token never reaches a message, even when a forge or proxy echoes the request back. */
  private redact(text: string): string {
    return this.token === undefined ? text : text.replaceAll(this.token, '[token]');
  }
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch's TypeError("fetch failed") hides the reason (ECONNREFUSED, a timeout) in its cause.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/** Gitea's error body is {"message": "…", "url": "…"}; anything else is shown shortened. */
async function forgeMessage(response: Response, redact: (text: string) => string): Promise<string> {
  const text = redact(await response.text().catch(() => ''));
  let message = text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (
      parsed !== null &&
      typeof parsed === 'object' &&
      typeof (parsed as { message?: unknown }).message === 'string'
    ) {
      message = (parsed as { message: string }).message;
    }
  } catch {
    // Not JSON: a proxy's HTML page, say; shown as text.
  }
  message = message.replace(/\s+/g, ' ').trim();
  if (message === '') return response.statusText || 'no message';
  return JSON.stringify(message.length > 300 ? `${message.slice(0, 300)}…` : message);
}
