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
  /**
   * What `user` may do in the repository, as the forge says: `admin` and `write` may run comment
   * commands. A user the forge does not know is `none`. Throws ForgeError when the forge refuses
   * albs the question (GitHub: the app lacks "Metadata: read"; Gitea: albs's user is not an
   * administrator of the repository, which Gitea requires to ask about someone else).
   */
  permission(repo: ForgeRepo, user: string): Promise<Permission>;
  /** Posts a comment (Markdown) on a pull request, or on a commit (GitHub only). Throws ForgeError. */
  comment(repo: ForgeRepo, on: CommentTarget, body: string): Promise<void>;
}

/** A user's access to a repository, from least to most. */
export type Permission = 'none' | 'read' | 'write' | 'admin';

/** Where a comment goes: a pull request's conversation, or a commit's comments. */
export type CommentTarget = { pullRequest: number } | { commit: string };

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

/** The comment commands: `/albs rebuild`, `/albs retry-failed`, `/albs cancel`. */
export type CommandName = 'rebuild' | 'retry-failed' | 'cancel';
export const COMMAND_NAMES: readonly CommandName[] = ['rebuild', 'retry-failed', 'cancel'];

/**
 * A comment that holds a command: in a pull request's conversation (Gitea and GitHub
 * `issue_comment` on a pull request) or on a commit (GitHub `commit_comment`). It names no commit
 * to build for a pull request (neither forge puts the head in the comment's payload, Gitea only
 * sometimes): the command acts on the latest pipeline albs recorded for that pull request.
 */
export interface CommandEvent {
  forge: ForgeName;
  deliveryId: string;
  /** issue_comment, commit_comment. */
  event: string;
  repo: ForgeRepo;
  fullName: string;
  cloneUrl: string;
  htmlUrl: string;
  private: boolean;
  command: CommandName;
  /** Who wrote the comment: their permission is asked before anything happens. */
  sender: string;
  /** Where the comment is, and where the reply goes. */
  on: CommentTarget;
  commentId: number;
}

/** What a webhook delivery can be: a pipeline to start, or a command. */
export type WebhookEvent = ForgeEvent | CommandEvent;

export function isCommandEvent(event: WebhookEvent): event is CommandEvent {
  return 'command' in event;
}

/**
 * The command a comment body gives: a line that is `/albs COMMAND` (spaces around allowed), the
 * first such line. Anything else after `/albs` on that line makes it no command (a typo is not
 * guessed at). Quoted lines (`> /albs rebuild`, a reply quoting an earlier command) are not
 * commands.
 */
export function commandIn(body: string): CommandName | { unknown: string } | undefined {
  for (const line of body.split(/\r?\n/)) {
    const match = /^\s*\/albs(?:\s+(\S+))?\s*$/.exec(line);
    if (!match) continue;
    const word = match[1] ?? '';
    return (COMMAND_NAMES as readonly string[]).includes(word) ? (word as CommandName) : { unknown: word };
  }
  return undefined;
}

/** A delivery albs does not act on (a branch deletion, a closed pull request, a ping), and why. */
export interface IgnoredEvent {
  ignored: string;
}
