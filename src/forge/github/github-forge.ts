import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import {
  type CommentTarget,
  type CommitStatus,
  type Forge,
  ForgeError,
  type ForgeRepo,
  type Permission,
} from '../forge.js';
import { fitDescription } from '../status-description.js';

export interface GithubForgeOptions {
  /** The GitHub App's id. */
  appId: number | string;
  /** The GitHub App's private key (PEM). */
  privateKey: string;
  /** https://api.github.com, or a GitHub Enterprise Server's https://HOST/api/v3. */
  apiUrl: string;
  /**
   * The webhook secret `probot.webhooks.verifyAndReceive` checks deliveries with; without one, no
   * delivery verifies.
   */
  secret?: string | undefined;
  /** Where Probot and Octokit log (retries, rate limits); by default JSON lines at level warn. */
  log?: Logger | undefined;
  /** How often a request that hit a secondary rate limit is retried after GitHub's Retry-After. Default 3. */
  secondaryRateLimitRetries?: number;
}

type InstallationOctokit = InstanceType<typeof ProbotOctokit>;

/** The part of Octokit's RequestError albs reads (probot bundles its own copy of the class). */
interface RequestErrorLike {
  status?: unknown;
  message?: unknown;
  request?: { method?: string; url?: string };
  response?: unknown;
}

/** Installation tokens (ghs_…), user tokens and JWTs never reach a message. */
function redactSecrets(text: string): string {
  return text
    .replace(/\bgh[opsur]_[A-Za-z0-9_]+/g, '[token]')
    .replace(/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[jwt]');
}

function hint(status: number | undefined, url: string, fullName: string, installationId: number): string {
  const tokenRequest = url.includes('/access_tokens');
  switch (status) {
    case undefined:
      return 'check that the GitHub API is reachable from albs';
    case 401:
      return 'GitHub does not accept the app credentials: check the GitHub App id and private key';
    case 403:
      return tokenRequest
        ? `installation ${installationId} is suspended: unsuspend the GitHub App in the account's settings`
        : `the GitHub App may not write commit statuses on ${fullName}: grant it "Commit statuses: write" and accept the new permission in the installation`;
    case 404:
      return tokenRequest
        ? `GitHub knows no installation ${installationId} of this app: the app was uninstalled; install it on ${fullName} again`
        : `the GitHub App's installation ${installationId} cannot see ${fullName}: add the repository to the installation`;
    case 422:
      return 'GitHub refused the status as sent (a commit not in the repository, or more than 1000 statuses for one context): see its message';
    default:
      return status >= 500 ? 'GitHub is failing: retry later (see githubstatus.com)' : "see GitHub's message";
  }
}

/**
 * Probot gives the app's auth strategy its own `request` without the baseUrl, and that request
 * replaces the Octokit's own: requests made through Octokit still reach the right host (its hook
 * passes its request along), but `octokit.auth({ type: 'installation' })` called directly, as
 * cloneAuthHeader does, asked https://api.github.com for the token, with the app's JWT, even for a
 * GitHub Enterprise Server. Pinning the baseUrl on that request sends it where the app lives.
 */
function withApiUrl(auth: unknown, apiUrl: string): unknown {
  if (auth === null || typeof auth !== 'object') return auth;
  const request = (auth as { request?: unknown }).request;
  if (typeof request !== 'function' || typeof (request as { defaults?: unknown }).defaults !== 'function') {
    return auth;
  }
  return {
    ...auth,
    request: (request as unknown as { defaults(options: object): unknown }).defaults({ baseUrl: apiUrl }),
  };
}

/**
 * The Forge port for GitHub and GitHub Enterprise Server, as a GitHub App through Probot: each
 * repository's installation token posts statuses and authenticates clones. Probot's Octokit retries
 * 5xx answers and network errors (@octokit/plugin-retry) and paces writes per installation
 * (@octokit/plugin-throttling); here a secondary rate limit is waited out and retried (Probot's
 * own handler gives up at once) and a primary one only when it resets within minutes.
 *
 * `probot` is exposed for the server: `probot.webhooks.verifyAndReceive` checks GitHub deliveries.
 */
export class GithubForge implements Forge {
  readonly name = 'github' as const;
  readonly probot: Probot;
  private readonly installations = new Map<number, Promise<InstallationOctokit>>();

  constructor(options: GithubForgeOptions) {
    const secondaryRetries = options.secondaryRateLimitRetries ?? 3;
    let parsed: URL | undefined;
    try {
      parsed = new URL(options.apiUrl);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      throw new Error(
        `GitHub API URL ${JSON.stringify(options.apiUrl)} is not an http(s) URL: give https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server`,
      );
    }
    const apiUrl = options.apiUrl.replace(/\/+$/, '');
    // Probot hands its Octokit throttle options that log secondary rate limits and never retry
    // them: a burst of statuses from a wide matrix would then lose statuses. These handlers run
    // last (defaults given as a function see the options Probot built) and so win.
    const AlbsOctokit = ProbotOctokit.defaults((instanceOptions: Record<string, unknown>) => ({
      ...instanceOptions,
      auth: withApiUrl(instanceOptions.auth, apiUrl),
      throttle: {
        ...(instanceOptions.throttle as object | undefined),
        onSecondaryRateLimit: (
          retryAfter: number,
          request: { method: string; url: string },
          octokit: { log: { warn(message: string): void } },
          retryCount: number,
        ) => {
          const retry = retryCount < secondaryRetries;
          octokit.log.warn(
            `GitHub secondary rate limit on ${request.method} ${request.url}: ${retry ? `retrying in ${retryAfter} s (retry ${retryCount + 1} of ${secondaryRetries})` : `gave up after ${secondaryRetries} retries`}`,
          );
          return retry;
        },
        onRateLimit: (
          retryAfter: number,
          request: { method: string; url: string },
          octokit: { log: { warn(message: string): void } },
          retryCount: number,
        ) => {
          // The primary limit resets hourly. Waiting for a reset far off would post a stale status
          // and hold the server's shutdown (StatusReporter.flush): wait only for one within 5 min.
          const retry = retryCount < 2 && retryAfter <= 300;
          octokit.log.warn(
            `GitHub rate limit exhausted on ${request.method} ${request.url}: ${retry ? `retrying in ${retryAfter} s` : 'gave up'}`,
          );
          return retry;
        },
      },
    })) as typeof ProbotOctokit;
    this.probot = new Probot({
      appId: options.appId,
      privateKey: options.privateKey,
      // Without a secret Probot would check signatures against the well-known "development": an
      // unguessable one makes every delivery fail verification instead of any forger pass it.
      secret: options.secret || randomBytes(32).toString('hex'),
      baseUrl: apiUrl,
      Octokit: AlbsOctokit,
      ...(options.log ? { log: options.log } : { logFormat: 'json' as const, logLevel: 'warn' as const }),
    });
  }

  async setStatus(repo: ForgeRepo, sha: string, status: CommitStatus): Promise<void> {
    const installationId = this.requireInstallation(repo, `post the status ${status.context}`);
    try {
      const octokit = await this.installation(installationId);
      await octokit.rest.repos.createCommitStatus({
        owner: repo.owner,
        repo: repo.name,
        sha,
        state: status.state,
        target_url: status.targetUrl,
        description: fitDescription(status.description),
        context: status.context,
      });
    } catch (error) {
      throw this.forgeError(error, `posting the status ${status.context}`, repo, installationId);
    }
  }

  /**
   * `GET /repos/{owner}/{repo}/collaborators/{username}/permission` (the app needs "Metadata:
   * read"): its `permission` is admin, write, read or none (maintain counts as write, triage as
   * read). A user GitHub does not know is none.
   */
  async permission(repo: ForgeRepo, user: string): Promise<Permission> {
    const installationId = this.requireInstallation(repo, `ask ${user}'s permission`);
    try {
      const octokit = await this.installation(installationId);
      const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
        owner: repo.owner,
        repo: repo.name,
        username: user,
      });
      const level: unknown = data.permission;
      return level === 'admin' || level === 'write' || level === 'read' ? level : 'none';
    } catch (error) {
      if ((error as RequestErrorLike | null)?.status === 404) return 'none';
      throw this.forgeError(error, `asking ${user}'s permission`, repo, installationId);
    }
  }

  /**
   * A pull request's comment through `POST /repos/{owner}/{repo}/issues/{n}/comments` (the app
   * needs "Pull requests: write"), a commit's through `POST …/commits/{sha}/comments` ("Contents:
   * write").
   */
  async comment(repo: ForgeRepo, on: CommentTarget, body: string): Promise<void> {
    const installationId = this.requireInstallation(repo, 'comment');
    try {
      const octokit = await this.installation(installationId);
      if ('pullRequest' in on) {
        await octokit.rest.issues.createComment({
          owner: repo.owner,
          repo: repo.name,
          issue_number: on.pullRequest,
          body,
        });
      } else {
        await octokit.rest.repos.createCommitComment({
          owner: repo.owner,
          repo: repo.name,
          commit_sha: on.commit,
          body,
        });
      }
    } catch (error) {
      throw this.forgeError(error, 'commenting', repo, installationId);
    }
  }

  async cloneAuthHeader(repo: ForgeRepo): Promise<string | undefined> {
    const installationId = this.requireInstallation(repo, 'clone');
    try {
      const octokit = await this.installation(installationId);
      // The installation's auth strategy caches the token until shortly before it expires (1 h).
      const auth = (await octokit.auth({ type: 'installation' })) as { token?: unknown };
      if (typeof auth.token !== 'string')
        throw new Error('the installation authentication returned no token');
      return `Authorization: Basic ${Buffer.from(`x-access-token:${auth.token}`).toString('base64')}`;
    } catch (error) {
      throw this.forgeError(error, 'getting a clone token', repo, installationId);
    }
  }

  private requireInstallation(repo: ForgeRepo, what: string): number {
    if (repo.installationId === undefined) {
      throw new ForgeError(
        `cannot ${what} for ${repo.owner}/${repo.name} on GitHub: the event named no GitHub App installation; albs serves GitHub repositories through its GitHub App: install it on the repository and send its webhooks, not a repository webhook`,
      );
    }
    return repo.installationId;
  }

  /** One Octokit per installation, kept: its token cache and throttling state live in it. */
  private installation(installationId: number): Promise<InstallationOctokit> {
    let octokit = this.installations.get(installationId);
    if (octokit === undefined) {
      octokit = this.probot.auth(installationId) as Promise<InstallationOctokit>;
      this.installations.set(installationId, octokit);
      // A failure is not kept: the next call asks again.
      octokit.catch(() => this.installations.delete(installationId));
    }
    return octokit;
  }

  private forgeError(error: unknown, what: string, repo: ForgeRepo, installationId: number): ForgeError {
    if (error instanceof ForgeError) return error;
    const fullName = `${repo.owner}/${repo.name}`;
    const requestError = (error ?? {}) as RequestErrorLike;
    // Octokit reports a network failure as status 500 without a response.
    const status =
      typeof requestError.status === 'number' && requestError.response !== undefined
        ? requestError.status
        : undefined;
    const request = requestError.request;
    const url = request?.url?.replace(/\?.*$/, '') ?? '';
    const where = request?.method && url ? ` (${request.method} ${url})` : '';
    const message = typeof requestError.message === 'string' ? requestError.message : String(error);
    const shown = message.length > 400 ? `${message.slice(0, 400)}…` : message;
    const answer = status === undefined ? 'failed' : `got ${status}`;
    return new ForgeError(
      redactSecrets(
        `${what} for ${fullName} on GitHub ${answer}${where}: ${shown}; ${hint(status, url, fullName, installationId)}`,
      ),
      status,
      { cause: error },
    );
  }
}
