import { describe, expect, it } from 'vitest';
import type { CommandEvent, ForgeEvent, IgnoredEvent } from '../../src/forge/forge.js';
import { parseGithubEvent } from '../../src/forge/github/github-events.js';
import { githubExample, type Payload } from './github-examples.js';

function event(result: ForgeEvent | CommandEvent | IgnoredEvent): ForgeEvent {
  if ('ignored' in result) throw new Error(`expected an event, got ignored: ${result.ignored}`);
  if ('command' in result) throw new Error(`expected an event, got the command ${result.command}`);
  return result;
}

function ignored(result: ForgeEvent | CommandEvent | IgnoredEvent): string {
  if (!('ignored' in result)) throw new Error(`expected ignored, got ${JSON.stringify(result)}`);
  return result.ignored;
}

const tagPush = () => githubExample('push', (p) => p.ref.startsWith('refs/tags/') && !p.deleted);
const branchPush = () => githubExample('push', (p) => p.ref.startsWith('refs/heads/') && p.installation);
const deletedPush = () => githubExample('push', (p) => p.deleted && p.installation);
const pullRequest = (action: string) =>
  githubExample('pull_request', (p) => p.action === action && p.installation);

describe('parseGithubEvent with real payloads (@octokit/webhooks-examples)', () => {
  it('turns a tag push into a tag trigger', () => {
    const payload = tagPush();
    payload.installation = { id: 31, node_id: 'x' };
    expect(event(parseGithubEvent('push', 'g-1', payload))).toEqual({
      forge: 'github',
      deliveryId: 'g-1',
      event: 'push',
      repo: { owner: 'Codertocat', name: 'Hello-World', installationId: 31 },
      fullName: 'Codertocat/Hello-World',
      cloneUrl: 'https://github.com/Codertocat/Hello-World.git',
      htmlUrl: 'https://github.com/Codertocat/Hello-World',
      private: false,
      trigger: { event: 'tag', ref: 'simple-tag' },
      sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      fetchRef: 'refs/tags/simple-tag',
      sender: 'Codertocat',
    });
  });

  it('builds the commit of an annotated tag (head_commit), not the tag object in `after`', () => {
    const payload = tagPush();
    payload.after = 'b1946ac92492d2347c6235b4d2611184b1946ac9';
    expect(event(parseGithubEvent('push', 'g', payload)).sha).toBe(payload.head_commit.id);
  });

  it('turns a branch push into a branch trigger with the installation id', () => {
    const result = event(parseGithubEvent('push', 'g-2', branchPush()));
    expect(result.trigger).toEqual({ event: 'branch', ref: 'master' });
    expect(result.sha).toBe('6113728f27ae82c7b1a177c8d03f9e96e0adf246');
    expect(result.fetchRef).toBe('refs/heads/master');
    expect(result.repo.installationId).toBe(1);
    expect(result.pullRequest).toBeUndefined();
  });

  it('ignores a deleted ref', () => {
    expect(ignored(parseGithubEvent('push', 'g-3', deletedPush()))).toMatch(/deleted refs\/tags\/simple-tag/);
  });

  it('turns opened, synchronize and reopened pull requests into pull_request triggers', () => {
    for (const action of ['opened', 'synchronize', 'reopened']) {
      const result = event(parseGithubEvent('pull_request', `g-${action}`, pullRequest(action)));
      expect(result.event).toBe('pull_request');
      expect(result.trigger).toEqual({ event: 'pull_request', ref: 'changes' });
      expect(result.sha).toBe('ec26c3e57ca3a959ca5aad62de7213c562f8c821');
      expect(result.fetchRef).toBe('refs/pull/2/head');
      expect(result.repo).toEqual({ owner: 'Codertocat', name: 'Hello-World', installationId: 1 });
      expect(result.pullRequest).toEqual({
        number: 2,
        baseRef: 'master',
        baseSha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
        fromFork: false,
      });
    }
  });

  it('ignores closed pull requests and other actions', () => {
    expect(ignored(parseGithubEvent('pull_request', 'g', pullRequest('closed')))).toMatch(/closed/);
    expect(ignored(parseGithubEvent('pull_request', 'g', pullRequest('labeled')))).toMatch(/labeled/);
    // Gitea's spelling is not GitHub's.
    const gitea = pullRequest('synchronize');
    gitea.action = 'synchronized';
    expect(ignored(parseGithubEvent('pull_request', 'g', gitea))).toMatch(/synchronized/);
  });

  it('tells a pull request from a fork by the head repository', () => {
    const payload = pullRequest('opened');
    payload.pull_request.head.repo.full_name = 'forker/Hello-World';
    payload.pull_request.head.repo.id = 999;
    const result = event(parseGithubEvent('pull_request', 'g', payload));
    expect(result.pullRequest?.fromFork).toBe(true);
    // The base repository is what gets cloned and what statuses go to.
    expect(result.fullName).toBe('Codertocat/Hello-World');
  });

  it('ignores a pull request whose head repository was deleted', () => {
    const payload = pullRequest('synchronize');
    payload.pull_request.head.repo = null;
    expect(ignored(parseGithubEvent('pull_request', 'g', payload))).toMatch(/head repository was deleted/);
  });

  it('ignores create (the tag push starts the pipeline) and other events', () => {
    const create = githubExample('create', (p) => p.ref_type === 'tag');
    expect(ignored(parseGithubEvent('create', 'g', create))).toMatch(/push of the tag/);
    const installation = githubExample('installation', (p) => p.action === 'created');
    expect(ignored(parseGithubEvent('installation', 'g', installation))).toMatch(/installation events/);
    expect(ignored(parseGithubEvent('ping', 'g', { zen: 'Keep it logically awesome.', hook_id: 1 }))).toMatch(
      /ping/,
    );
  });

  it('leaves installationId undefined without an installation, and refuses an ill-typed one', () => {
    const without = tagPush();
    delete without.installation;
    expect(event(parseGithubEvent('push', 'g', without)).repo.installationId).toBeUndefined();
    const bad = branchPush();
    bad.installation.id = '1';
    expect(ignored(parseGithubEvent('push', 'g', bad))).toMatch(/installation\.id is the string "1"/);
  });

  describe('untrusted payloads: ignored with the field named, never thrown', () => {
    const cases: [string, (p: Payload) => void, RegExp][] = [
      ['no deleted flag', (p) => delete p.deleted, /deleted is missing, expected true or false/],
      ['a numeric after', (p) => (p.after = 1), /after is number 1/],
      ['no owner', (p) => delete p.repository.owner, /repository\.owner\.login/],
      ['no clone_url', (p) => delete p.repository.clone_url, /repository\.clone_url is missing/],
      ['no sender', (p) => delete p.sender, /sender\.login is missing/],
      ['a control character in the branch', (p) => (p.ref = 'refs/heads/a\u0007'), /control characters/],
      ['a branch named like an option', (p) => (p.ref = 'refs/heads/-x'), /ref name git accepts/],
    ];
    for (const [what, edit, reason] of cases) {
      it(`push: ${what}`, () => {
        const payload = branchPush();
        edit(payload);
        const result = parseGithubEvent('push', 'bad-2', payload);
        expect(ignored(result)).toMatch(reason);
        expect(ignored(result)).toContain('bad-2');
      });
    }

    it('pull_request: missing pieces', () => {
      const noHead = pullRequest('opened');
      delete noHead.pull_request.head;
      expect(ignored(parseGithubEvent('pull_request', 'b', noHead))).toMatch(
        /pull_request\.head\.repo\.full_name/,
      );
      const noNumber = pullRequest('opened');
      noNumber.pull_request.number = 2.5;
      expect(ignored(parseGithubEvent('pull_request', 'b', noNumber))).toMatch(
        /pull_request\.number is number 2\.5/,
      );
      expect(ignored(parseGithubEvent('pull_request', 'b', 'x'))).toMatch(/not a JSON object/);
    });
  });
});

describe('parseGithubEvent: comment commands (@octokit/webhooks-examples)', () => {
  function command(result: ForgeEvent | CommandEvent | IgnoredEvent): CommandEvent {
    if ('ignored' in result) throw new Error(`expected a command, got ignored: ${result.ignored}`);
    if (!('command' in result)) throw new Error('expected a command, got a pipeline event');
    return result;
  }
  /**
   * The examples' issue_comment deliveries are all on issues: a pull request's adds
   * issue.pull_request, which is how GitHub marks one (its url, html_url, diff_url, patch_url).
   */
  const prComment = (body: string) => {
    const payload = githubExample('issue_comment', (p) => p.action === 'created' && p.installation);
    payload.comment.body = body;
    payload.issue.pull_request = {
      url: `https://api.github.com/repos/${payload.repository.full_name}/pulls/${payload.issue.number}`,
      html_url: `https://github.com/${payload.repository.full_name}/pull/${payload.issue.number}`,
      diff_url: `https://github.com/${payload.repository.full_name}/pull/${payload.issue.number}.diff`,
      patch_url: `https://github.com/${payload.repository.full_name}/pull/${payload.issue.number}.patch`,
      merged_at: null,
    };
    return payload;
  };

  it('turns "/albs rebuild" in a pull request comment into a command on that pull request', () => {
    const payload = prComment('/albs rebuild');
    const result = command(parseGithubEvent('issue_comment', 'g-c1', payload));
    expect(result).toMatchObject({
      forge: 'github',
      event: 'issue_comment',
      fullName: payload.repository.full_name,
      repo: { installationId: payload.installation.id },
      command: 'rebuild',
      sender: payload.sender.login,
      on: { pullRequest: payload.issue.number },
      commentId: payload.comment.id,
    });
  });

  it('turns "/albs cancel" in a commit comment into a command on that commit', () => {
    const payload = githubExample('commit_comment', (p) => p.installation);
    payload.comment.body = 'Wrong tag.\r\n/albs cancel';
    const result = command(parseGithubEvent('commit_comment', 'g-c2', payload));
    expect(result).toMatchObject({ command: 'cancel', on: { commit: payload.comment.commit_id } });
  });

  it('ignores commands on issues, edited comments, and comments without one', () => {
    const onIssue = githubExample('issue_comment', (p) => p.action === 'created');
    onIssue.comment.body = '/albs rebuild';
    expect(ignored(parseGithubEvent('issue_comment', 'g-c3', onIssue))).toMatch(/not a pull request/);
    const edited = githubExample('issue_comment', (p) => p.action === 'edited');
    edited.comment.body = '/albs rebuild';
    expect(ignored(parseGithubEvent('issue_comment', 'g-c4', edited))).toMatch(/only new comments/);
    expect(ignored(parseGithubEvent('issue_comment', 'g-c5', prComment('Looks good')))).toMatch(
      /without an \/albs command/,
    );
  });
});
