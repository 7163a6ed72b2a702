import { type CommandEvent, commandIn, type ForgeEvent, type IgnoredEvent } from '../forge.js';
import {
  at,
  isZeroSha,
  optionalId,
  PayloadFieldError,
  requireBoolean,
  requireId,
  requireObject,
  requireRefName,
  requireSha,
  requireString,
  showText,
} from '../payload-fields.js';
import { readWebhookRepository } from '../webhook-repository.js';

const PULL_REQUEST_ACTIONS = new Set(['opened', 'synchronize', 'reopened']);

/**
 * A GitHub App webhook delivery (X-GitHub-Event, X-GitHub-Delivery, the parsed JSON body; its
 * signature already checked, e.g. by `probot.webhooks.verifyAndReceive`) as what albs acts on.
 *
 * - `push` of refs/tags/X or refs/heads/X starts a tag or branch pipeline; `deleted: true` is ignored.
 * - `pull_request` opened / synchronize / reopened starts a pull_request pipeline; one whose head
 *   repository was deleted (`head.repo` null) is ignored: its code can no longer be attributed.
 * - `create` is ignored: GitHub sends a push for every new tag as well, which starts the pipeline.
 * - `issue_comment` created on a pull request (`issue.pull_request` set) and `commit_comment`
 *   created, whose body holds `/albs COMMAND`, are CommandEvents.
 *
 * `repo.installationId` comes from `installation.id`: statuses and clones use that installation's
 * token. Never throws: anything else, or a payload with a missing or ill-typed field, is an
 * IgnoredEvent whose reason names the event and the field.
 */
export function parseGithubEvent(
  eventName: string,
  deliveryId: string,
  payload: unknown,
): ForgeEvent | CommandEvent | IgnoredEvent {
  const name = showText(eventName);
  const delivery = showText(deliveryId);
  try {
    if (deliveryId === '') return { ignored: `github ${name} delivery has no id (X-GitHub-Delivery)` };
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      return { ignored: `github ${name} delivery ${delivery}: the body is not a JSON object` };
    }
    switch (eventName) {
      case 'push':
        return push(deliveryId, payload);
      case 'pull_request':
        return pullRequest(deliveryId, payload);
      case 'issue_comment':
      case 'commit_comment':
        return comment(eventName, deliveryId, payload);
      case 'create':
        return { ignored: 'github create events start no pipeline: the push of the tag does' };
      default:
        return { ignored: `github ${name} events start no pipeline` };
    }
  } catch (error) {
    if (error instanceof PayloadFieldError) {
      return { ignored: `github ${name} delivery ${delivery} is malformed: ${error.message}` };
    }
    return { ignored: `github ${name} delivery ${delivery} could not be read: ${String(error)}` };
  }
}

function common(deliveryId: string, event: string, payload: object) {
  const repository = readWebhookRepository(payload);
  return {
    forge: 'github' as const,
    deliveryId,
    event,
    ...repository,
    repo: { ...repository.repo, installationId: optionalId(payload, 'installation.id') },
    sender: requireString(payload, 'sender.login'),
  };
}

function push(deliveryId: string, payload: object): ForgeEvent | IgnoredEvent {
  const ref = requireString(payload, 'ref');
  if (requireBoolean(payload, 'deleted'))
    return { ignored: `github push deleted ${showText(ref)}: nothing to build` };
  const after = requireSha(payload, 'after');
  if (isZeroSha(after)) return { ignored: `github push deleted ${showText(ref)}: nothing to build` };
  let trigger: ForgeEvent['trigger'];
  let sha = after;
  if (ref.startsWith('refs/tags/')) {
    trigger = { event: 'tag', ref: requireRefName(ref.slice('refs/tags/'.length), 'ref') };
    // For an annotated tag `after` is the tag object, which GitHub refuses statuses on ("No commit
    // found for SHA"); head_commit is the commit it points to.
    const headCommit = at(payload, 'head_commit');
    if (headCommit !== undefined && headCommit !== null) sha = requireSha(payload, 'head_commit.id');
  } else if (ref.startsWith('refs/heads/')) {
    trigger = { event: 'branch', ref: requireRefName(ref.slice('refs/heads/'.length), 'ref') };
  } else {
    return { ignored: `github push of ${showText(ref)}: only refs/tags/ and refs/heads/ start pipelines` };
  }
  return { ...common(deliveryId, 'push', payload), trigger, sha, fetchRef: ref };
}

function pullRequest(deliveryId: string, payload: object): ForgeEvent | IgnoredEvent {
  const action = requireString(payload, 'action');
  if (!PULL_REQUEST_ACTIONS.has(action)) {
    return {
      ignored: `github pull_request ${showText(action)}: only opened, synchronize and reopened start pipelines`,
    };
  }
  requireObject(payload, 'pull_request');
  const number = requireId(payload, 'pull_request.number');
  if (at(payload, 'pull_request.head.repo') === null) {
    return { ignored: `github pull_request #${number}: its head repository was deleted` };
  }
  const headRepo = requireString(payload, 'pull_request.head.repo.full_name');
  const baseRepo = requireString(payload, 'pull_request.base.repo.full_name');
  return {
    ...common(deliveryId, 'pull_request', payload),
    trigger: {
      event: 'pull_request',
      ref: requireRefName(requireString(payload, 'pull_request.head.ref'), 'pull_request.head.ref'),
    },
    sha: requireSha(payload, 'pull_request.head.sha'),
    // GitHub keeps every pull request's head, fork or not, at this ref of the base repository.
    fetchRef: `refs/pull/${number}/head`,
    pullRequest: {
      number,
      baseRef: requireRefName(requireString(payload, 'pull_request.base.ref'), 'pull_request.base.ref'),
      baseSha: requireSha(payload, 'pull_request.base.sha'),
      // GitHub names are case-insensitive: a rename of the case is not a fork.
      fromFork: headRepo.toLowerCase() !== baseRepo.toLowerCase(),
    },
  };
}

function comment(eventName: string, deliveryId: string, payload: object): CommandEvent | IgnoredEvent {
  const action = requireString(payload, 'action');
  if (action !== 'created')
    return { ignored: `github ${eventName} ${showText(action)}: only new comments hold commands` };
  const body = at(payload, 'comment.body');
  const command = typeof body === 'string' ? commandIn(body) : undefined;
  if (command === undefined) return { ignored: `github ${eventName} without an /albs command` };
  if (typeof command === 'object') {
    return {
      ignored: `github ${eventName}: "/albs ${showText(command.unknown)}" is no command; the commands are /albs rebuild, /albs retry-failed, /albs cancel`,
    };
  }
  let on: CommandEvent['on'];
  if (eventName === 'commit_comment') {
    on = { commit: requireSha(payload, 'comment.commit_id') };
  } else {
    const pr = at(payload, 'issue.pull_request');
    if (pr === undefined || pr === null) {
      return {
        ignored: 'github issue_comment on an issue, not a pull request: commands act on pull requests',
      };
    }
    on = { pullRequest: requireId(payload, 'issue.number') };
  }
  const {
    forge,
    repo,
    fullName,
    cloneUrl,
    htmlUrl,
    private: isPrivate,
  } = common(deliveryId, eventName, payload);
  return {
    forge,
    deliveryId,
    event: eventName,
    repo,
    fullName,
    cloneUrl,
    htmlUrl,
    private: isPrivate,
    command,
    sender: requireString(payload, 'sender.login'),
    on,
    commentId: requireId(payload, 'comment.id'),
  };
}
