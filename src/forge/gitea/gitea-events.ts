import { type CommandEvent, commandIn, type ForgeEvent, type IgnoredEvent } from '../forge.js';
import {
  at,
  isZeroSha,
  PayloadFieldError,
  requireId,
  requireObject,
  requireOneOf,
  requireRefName,
  requireSha,
  requireString,
  showText,
} from '../payload-fields.js';
import { readWebhookRepository } from '../webhook-repository.js';

/** Pull request actions that put new code in front of albs; Gitea says `synchronized`, GitHub `synchronize`. */
const PULL_REQUEST_ACTIONS = new Set(['opened', 'synchronized', 'reopened']);

/**
 * A Gitea webhook delivery (X-Gitea-Event, X-Gitea-Delivery, the parsed JSON body) as what albs acts
 * on. Shapes are Gitea's `modules/structs/hook.go`: PushPayload, CreatePayload, PullRequestPayload.
 *
 * - `push` of refs/tags/X or refs/heads/X starts a tag or branch pipeline (a deletion, `after` all
 *   zeros, is ignored; a creation, `before` all zeros, is not).
 * - `create` of a tag starts the same tag pipeline as its push: a hook may subscribe to only one of
 *   the two. A branch `create` is ignored: the branch's push starts its pipeline.
 * - `pull_request` opened / synchronized / reopened starts a pull_request pipeline.
 * - `issue_comment` created on a pull request (`is_pull: true`; Gitea's X-Gitea-Event-Type says
 *   `pull_request_comment`, accepted as the event name too) whose body holds `/albs COMMAND` is a
 *   CommandEvent (IssueCommentPayload). Gitea has no commit-comment webhook.
 *
 * Never throws: anything else, or a payload with a missing or ill-typed field, is an IgnoredEvent
 * whose reason names the event and the field.
 */
export function parseGiteaEvent(
  eventName: string,
  deliveryId: string,
  payload: unknown,
): ForgeEvent | CommandEvent | IgnoredEvent {
  const name = showText(eventName);
  const delivery = showText(deliveryId);
  try {
    if (deliveryId === '') return { ignored: `gitea ${name} delivery has no id (X-Gitea-Delivery)` };
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      return { ignored: `gitea ${name} delivery ${delivery}: the body is not a JSON object` };
    }
    switch (eventName) {
      case 'push':
        return push(deliveryId, payload);
      case 'create':
        return create(deliveryId, payload);
      case 'pull_request':
        return pullRequest(deliveryId, payload);
      case 'issue_comment':
      case 'pull_request_comment':
        return issueComment(deliveryId, payload);
      default:
        return { ignored: `gitea ${name} events start no pipeline` };
    }
  } catch (error) {
    if (error instanceof PayloadFieldError) {
      return { ignored: `gitea ${name} delivery ${delivery} is malformed: ${error.message}` };
    }
    // Not a payload problem but a bug here: still not the delivery handler's crash.
    return { ignored: `gitea ${name} delivery ${delivery} could not be read: ${String(error)}` };
  }
}

function common(deliveryId: string, event: string, payload: object) {
  return {
    forge: 'gitea' as const,
    deliveryId,
    event,
    ...readWebhookRepository(payload),
    sender: requireOneOf(payload, ['sender.login', 'sender.username']),
  };
}

function push(deliveryId: string, payload: object): ForgeEvent | IgnoredEvent {
  const ref = requireString(payload, 'ref');
  const after = requireSha(payload, 'after');
  if (isZeroSha(after)) return { ignored: `gitea push deleted ${showText(ref)}: nothing to build` };
  let trigger: ForgeEvent['trigger'];
  let sha = after;
  if (ref.startsWith('refs/tags/')) {
    trigger = { event: 'tag', ref: requireRefName(ref.slice('refs/tags/'.length), 'ref') };
    // For an annotated tag `after` is the tag object; head_commit is the commit it points to
    // (Gitea peels it), which is what statuses go on and what gets built.
    const headCommit = at(payload, 'head_commit');
    if (headCommit !== undefined && headCommit !== null) {
      sha = requireSha(payload, 'head_commit.id');
    }
  } else if (ref.startsWith('refs/heads/')) {
    trigger = { event: 'branch', ref: requireRefName(ref.slice('refs/heads/'.length), 'ref') };
  } else {
    return { ignored: `gitea push of ${showText(ref)}: only refs/tags/ and refs/heads/ start pipelines` };
  }
  return { ...common(deliveryId, 'push', payload), trigger, sha, fetchRef: ref };
}

function create(deliveryId: string, payload: object): ForgeEvent | IgnoredEvent {
  const refType = requireString(payload, 'ref_type');
  if (refType === 'branch')
    return { ignored: 'gitea branch create: the push of the branch starts its pipeline' };
  if (refType !== 'tag')
    return { ignored: `gitea create of a ${showText(refType)}: only tags start pipelines` };
  // Gitea's webhook sends the short name; its Actions payload the full one: accept both.
  const ref = requireString(payload, 'ref');
  const name = requireRefName(ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : ref, 'ref');
  return {
    ...common(deliveryId, 'create', payload),
    trigger: { event: 'tag', ref: name },
    // The tag's new value as pushed: for an annotated tag the tag object, which `git rev-parse
    // SHA^{commit}` peels after the fetch (the create payload carries no commit id).
    sha: requireSha(payload, 'sha'),
    fetchRef: `refs/tags/${name}`,
  };
}

function pullRequest(deliveryId: string, payload: object): ForgeEvent | IgnoredEvent {
  const action = requireString(payload, 'action');
  if (!PULL_REQUEST_ACTIONS.has(action)) {
    return {
      ignored: `gitea pull_request ${showText(action)}: only opened, synchronized and reopened start pipelines`,
    };
  }
  requireObject(payload, 'pull_request');
  const number = requireId(payload, 'pull_request.number');
  return {
    ...common(deliveryId, 'pull_request', payload),
    trigger: {
      event: 'pull_request',
      ref: requireRefName(requireString(payload, 'pull_request.head.ref'), 'pull_request.head.ref'),
    },
    sha: requireSha(payload, 'pull_request.head.sha'),
    // Gitea keeps every pull request's head, fork or not, at this ref of the base repository.
    fetchRef: `refs/pull/${number}/head`,
    pullRequest: {
      number,
      baseRef: requireRefName(requireString(payload, 'pull_request.base.ref'), 'pull_request.base.ref'),
      baseSha: requireSha(payload, 'pull_request.base.sha'),
      fromFork: isFromFork(payload),
    },
  };
}

/**
 * Whether the head lives in another repository than the base: by repository id, else by full name.
 * Gitea sends `head.repo` null when the fork was deleted; a pull request whose repositories cannot be
 * compared counts as a fork, the cautious answer (a fork's code gets no secrets).
 */
function isFromFork(payload: object): boolean {
  const headId = at(payload, 'pull_request.head.repo.id') ?? at(payload, 'pull_request.head.repo_id');
  const baseId = at(payload, 'pull_request.base.repo.id') ?? at(payload, 'pull_request.base.repo_id');
  const headName = at(payload, 'pull_request.head.repo.full_name');
  const baseName = at(payload, 'pull_request.base.repo.full_name');
  const idsKnown = isPositiveInteger(headId) && isPositiveInteger(baseId);
  const namesKnown =
    typeof headName === 'string' && headName !== '' && typeof baseName === 'string' && baseName !== '';
  if (idsKnown && headId !== baseId) return true;
  // Gitea's owner and repository names are case-insensitive.
  if (namesKnown && headName.toLowerCase() !== baseName.toLowerCase()) return true;
  return !(idsKnown || namesKnown);
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function issueComment(deliveryId: string, payload: object): CommandEvent | IgnoredEvent {
  const action = requireString(payload, 'action');
  if (action !== 'created')
    return { ignored: `gitea issue_comment ${showText(action)}: only new comments hold commands` };
  const body = at(payload, 'comment.body');
  const command = typeof body === 'string' ? commandIn(body) : undefined;
  if (command === undefined) return { ignored: 'gitea issue_comment without an /albs command' };
  if (typeof command === 'object') {
    return {
      ignored: `gitea issue_comment: "/albs ${showText(command.unknown)}" is no command; the commands are /albs rebuild, /albs retry-failed, /albs cancel`,
    };
  }
  if (at(payload, 'is_pull') !== true) {
    return { ignored: 'gitea issue_comment on an issue, not a pull request: commands act on pull requests' };
  }
  return {
    forge: 'gitea',
    deliveryId,
    event: 'issue_comment',
    ...readWebhookRepository(payload),
    command,
    sender: requireOneOf(payload, ['sender.login', 'sender.username']),
    on: { pullRequest: requireId(payload, 'issue.number') },
    commentId: requireId(payload, 'comment.id'),
  };
}
