import type { Trigger } from '../plan/types.js';

export type ForgeName = 'gitea' | 'github';

/** The states both forges take: Gitea also has `warning`, which albs never posts. */
export type CommitState = 'pending' | 'success' | 'failure' | 'error';

export interface CommitStatus {
  /** `albs/build (x86_64, almalinux-9)`, or the summary `albs`. */
  context: string;
  state: CommitState;
  /** At most 140 characters (GitHub answers 422 beyond): adapters cut longer ones with "…". */
  description: string;
  targetUrl: string;
}

/** A repository on a forge, as a webhook names it. */
export interface ForgeRepo {
  owner: string;
  name: string;
  /** GitHub App installation the event came through: statuses are posted with its token. */
  installationId?: number | undefined;
}

/**
 * What albs asks of a forge. Adapters by technology (GiteaForge, GithubForge); the webhook side is
 * not here: parsing deliveries is ./gitea/gitea-events.ts and ./github/github-events.ts, verifying
 * their signatures the server's (GitHub's through GithubForge.probot.webhooks).
 *
 * Every method may be called concurrently. setStatus retries 5xx answers and network errors with
 * backoff itself and throws ForgeError only once it gives up (or at once on a 4xx): the caller
 * logs that and never fails a pipeline for it.
 */
export interface Forge {
  readonly name: ForgeName;
  setStatus(repo: ForgeRepo, sha: string, status: CommitStatus): Promise<void>;
  /**
   * The HTTP header a `git fetch` of this repository's https clone URL sends (`Authorization: …`),
   * or undefined for anonymous access. Handed to git through its environment, never written to a
   * git config file, never logged.
   */
  cloneAuthHeader(repo: ForgeRepo): Promise<string | undefined>;
}

/** A forge request that failed for good: `status` is the HTTP status, undefined for a network error. */
export class ForgeError extends Error {
  override name = 'ForgeError';
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A webhook delivery turned into what albs acts on. */
export interface ForgeEvent {
  forge: ForgeName;
  deliveryId: string;
  /** The forge's event name: push, create, pull_request. */
  event: string;
  repo: ForgeRepo;
  /** OWNER/NAME. */
  fullName: string;
  /** The clone URL of the repository the event is about (the base repository of a pull request). */
  cloneUrl: string;
  /** The repository's web page, for links. */
  htmlUrl: string;
  private: boolean;
  /** tag / branch / pull_request, with the short ref (`v1.0`, `main`, the PR's head branch). */
  trigger: Trigger;
  /**
   * The commit to build: the pushed or tagged commit, or the pull request's head. One exception:
   * a Gitea `create` event of an annotated tag carries only the tag object's id (Gitea sends no
   * commit there), so resolve `sha^{commit}` after fetching `fetchRef`; the `push` of the same tag
   * names the commit.
   */
  sha: string;
  /** The full ref git fetches for `sha`: refs/tags/v1.0, refs/heads/main, refs/pull/7/head. */
  fetchRef: string;
  /** Login of who pushed or opened the pull request. */
  sender: string;
  pullRequest?: {
    number: number;
    /** The branch the pull request goes into, and its commit: the config is read from there. */
    baseRef: string;
    baseSha: string;
    /** Whether the head lives in another repository than the base. */
    fromFork: boolean;
  };
}

/** A delivery albs does not act on (a branch deletion, a closed pull request, a ping), and why. */
export interface IgnoredEvent {
  ignored: string;
}
