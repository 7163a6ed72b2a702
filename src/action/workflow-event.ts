/**
 * What the pipeline is for, from the workflow that runs the action: GITHUB_EVENT_NAME, the event's
 * payload at GITHUB_EVENT_PATH and GITHUB_REF, unless the `event` and `ref` inputs say otherwise.
 */
import { readFileSync } from 'node:fs';
import { shortRef } from '../plan/match-trigger.js';
import { EVENT_KINDS, type EventKind, type Trigger } from '../plan/types.js';
import { InputError } from './inputs.js';

export interface WorkflowContext {
  eventName: string;
  /** GITHUB_REF: refs/heads/main, refs/tags/v1, refs/pull/7/merge. */
  ref: string;
  /** GITHUB_HEAD_REF: a pull request's head branch. */
  headRef: string;
  sha: string;
  payload: Record<string, unknown>;
  workspace: string;
  /** OWNER/NAME and the server it is on, for the builds API's git form. */
  repository: string;
  serverUrl: string;
}

export function readWorkflowContext(env: NodeJS.ProcessEnv): WorkflowContext {
  let payload: Record<string, unknown> = {};
  const path = env.GITHUB_EVENT_PATH;
  if (path) {
    try {
      payload = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new InputError(
        `GITHUB_EVENT_PATH ${path}: cannot read the event's payload (${error instanceof Error ? error.message : String(error)}); the runner sets it: run the action as a step of a workflow job`,
        { cause: error },
      );
    }
  }
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    ref: env.GITHUB_REF ?? '',
    headRef: env.GITHUB_HEAD_REF ?? '',
    sha: env.GITHUB_SHA ?? '',
    payload,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    repository: env.GITHUB_REPOSITORY ?? '',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
  };
}

function field(value: unknown, ...path: string[]): string | undefined {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'string' && at !== '' ? at : undefined;
}

/** The trigger the workflow's own event stands for; undefined when it names none. */
function eventTrigger(context: WorkflowContext): Trigger | undefined {
  const { eventName, ref, payload } = context;
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const head = field(payload, 'pull_request', 'head', 'ref') ?? (context.headRef || undefined);
    return head ? { event: 'pull_request', ref: head } : undefined;
  }
  if (eventName === 'release') {
    const tag = field(payload, 'release', 'tag_name') ?? (ref.startsWith('refs/tags/') ? shortRef(ref) : '');
    return tag ? { event: 'tag', ref: tag } : undefined;
  }
  // push, workflow_dispatch, schedule, …: what GITHUB_REF names.
  if (ref.startsWith('refs/tags/')) return { event: 'tag', ref: shortRef(ref) };
  if (ref.startsWith('refs/heads/')) return { event: 'branch', ref: shortRef(ref) };
  if (ref.startsWith('refs/pull/') && context.headRef) return { event: 'pull_request', ref: context.headRef };
  return undefined;
}

/**
 * The `event` and `ref` inputs where given, else the workflow's event: a tag push is `tag`, a branch
 * push `branch`, `pull_request` is `pull_request` (its head branch), `release` is `tag`,
 * `workflow_dispatch` the branch (or tag) it was started on.
 */
export function workflowTrigger(context: WorkflowContext, eventInput: string, refInput: string): Trigger {
  if (eventInput !== '' && !(EVENT_KINDS as readonly string[]).includes(eventInput)) {
    throw new InputError(
      `input event is "${eventInput}"; give ${EVENT_KINDS.join(', ')}, or leave it out to take the workflow's event (${context.eventName || 'none'})`,
    );
  }
  const fromWorkflow = eventTrigger(context);
  const what = `the workflow's event (${context.eventName || 'GITHUB_EVENT_NAME unset'}${context.ref ? `, ${context.ref}` : ''})`;
  if (refInput !== '') {
    const event: EventKind =
      (eventInput as EventKind) ||
      (refInput.startsWith('refs/tags/')
        ? 'tag'
        : refInput.startsWith('refs/heads/')
          ? 'branch'
          : (fromWorkflow?.event ?? 'branch'));
    return { event, ref: shortRef(refInput) };
  }
  if (fromWorkflow === undefined) {
    throw new InputError(
      `${what} names no tag, branch or pull request: give the inputs event and ref (e.g. event: branch, ref: main)`,
    );
  }
  if (eventInput === '' || eventInput === fromWorkflow.event || eventInput === 'pull_request') {
    return { event: (eventInput as EventKind) || fromWorkflow.event, ref: fromWorkflow.ref };
  }
  throw new InputError(
    `input event is ${eventInput}, but ${what} is a ${fromWorkflow.event} (${fromWorkflow.ref}): give the input ref too, the ${eventInput} to build`,
  );
}
