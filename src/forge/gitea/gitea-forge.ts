import { setTimeout as sleep } from 'node:timers/promises';
import { type CommitStatus, type Forge, ForgeError, type ForgeRepo } from '../forge.js';
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
function hint(status: number, repo: string): string {
  switch (status) {
    case 401:
      return 'the token is not valid: create a new access token in Gitea and configure it';
    case 403:
      return `the token's user may not write statuses to ${repo}: give it write access to the repository (token scope write:repository)`;
    case 404:
      return `Gitea knows no repository ${repo} visible to the token's user, or no such commit: check the repository and the user's access`;
    default:
      return 'Gitea refused the request as sent: see its message';
  }
}

/**
 * The Forge port for Gitea (and Forgejo, which keeps its API): statuses through
 * `POST /api/v1/repos/{owner}/{repo}/statuses/{sha}` with `Authorization: token …`.
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

  async cloneAuthHeader(_repo: ForgeRepo): Promise<string | undefined> {
    // Gitea accepts the API token header on git's smart-HTTP paths as well.
    return this.token === undefined ? undefined : `Authorization: token ${this.token}`;
  }

  private async request(method: string, path: string, fullName: string, body: unknown): Promise<void> {
    const where = `${method} ${this.url}${path}`;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetchImpl(`${this.url}${path}`, {
          method,
          headers: {
            Authorization: `token ${this.token}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
          body: JSON.stringify(body),
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
        // Read to the end so the connection goes back to the pool.
        await response.arrayBuffer().catch(() => undefined);
        return;
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
          `Gitea answered ${response.status} to ${where} for ${fullName}${gaveUp}: ${message}; ${isRetryable(response.status) ? `Gitea at ${this.url} is failing: check its logs` : hint(response.status, fullName)}`,
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
