import { describe, expect, it } from 'vitest';
import type { CommandEvent, ForgeEvent, IgnoredEvent } from '../../src/forge/forge.js';
import { commandIn } from '../../src/forge/forge.js';
import { parseGiteaEvent } from '../../src/forge/gitea/gitea-events.js';
import {
  giteaCreate,
  giteaIssueComment,
  giteaPullRequest,
  giteaPush,
  giteaRepository,
  SHA_A,
  SHA_B,
  SHA_TAG_OBJECT,
  ZERO,
} from './gitea-payloads.js';

function event(result: ForgeEvent | CommandEvent | IgnoredEvent): ForgeEvent {
  if ('ignored' in result) throw new Error(`expected an event, got ignored: ${result.ignored}`);
  if ('command' in result) throw new Error(`expected an event, got the command ${result.command}`);
  return result;
}

function ignored(result: ForgeEvent | CommandEvent | IgnoredEvent): string {
  if (!('ignored' in result)) throw new Error(`expected ignored, got ${JSON.stringify(result)}`);
  return result.ignored;
}

describe('parseGiteaEvent', () => {
  it('turns a tag push into a tag trigger on the tagged commit', () => {
    const result = event(parseGiteaEvent('push', 'd-1', giteaPush('refs/tags/v1.0', ZERO, SHA_A)));
    expect(result).toEqual({
      forge: 'gitea',
      deliveryId: 'd-1',
      event: 'push',
      repo: { owner: 'alma', name: 'hello' },
      fullName: 'alma/hello',
      cloneUrl: 'http://gitea.test/alma/hello.git',
      htmlUrl: 'http://gitea.test/alma/hello',
      private: false,
      trigger: { event: 'tag', ref: 'v1.0' },
      sha: SHA_A,
      fetchRef: 'refs/tags/v1.0',
      sender: 'ann',
    });
  });

  it('builds the commit of an annotated tag, not the tag object (head_commit, which Gitea peels)', () => {
    const result = event(
      parseGiteaEvent('push', 'd-1', giteaPush('refs/tags/v2', ZERO, SHA_TAG_OBJECT, SHA_A)),
    );
    expect(result.sha).toBe(SHA_A);
  });

  it('turns a branch push, and a branch creation (before all zeros), into a branch trigger', () => {
    const update = event(parseGiteaEvent('push', 'd-2', giteaPush('refs/heads/release/9', SHA_B, SHA_A)));
    expect(update.trigger).toEqual({ event: 'branch', ref: 'release/9' });
    expect(update.sha).toBe(SHA_A);
    expect(update.fetchRef).toBe('refs/heads/release/9');
    const created = event(parseGiteaEvent('push', 'd-3', giteaPush('refs/heads/new', ZERO, SHA_A)));
    expect(created.trigger).toEqual({ event: 'branch', ref: 'new' });
  });

  it('ignores deletions, other refs and other events', () => {
    expect(ignored(parseGiteaEvent('push', 'd', giteaPush('refs/tags/v1.0', SHA_A, ZERO)))).toMatch(
      /deleted refs\/tags\/v1\.0/,
    );
    expect(ignored(parseGiteaEvent('push', 'd', giteaPush('refs/notes/commits', SHA_B, SHA_A)))).toMatch(
      /refs\/notes\/commits/,
    );
    expect(ignored(parseGiteaEvent('issues', 'd', { action: 'opened' }))).toMatch(/issues events/);
    expect(ignored(parseGiteaEvent('delete', 'd', giteaCreate('v1', 'tag', SHA_A)))).toMatch(/delete/);
  });

  it('turns a tag create into the same trigger as the tag push, with the sha Gitea sends', () => {
    const pushed = event(parseGiteaEvent('push', 'p', giteaPush('refs/tags/v1.0', ZERO, SHA_A)));
    const created = event(parseGiteaEvent('create', 'c', giteaCreate('v1.0', 'tag', SHA_A)));
    expect(created.event).toBe('create');
    expect(created.trigger).toEqual(pushed.trigger);
    expect(created.sha).toBe(SHA_A);
    expect(created.fetchRef).toBe('refs/tags/v1.0');
    // Gitea's Actions payload (and maybe a later webhook) carries the full ref name.
    expect(
      event(parseGiteaEvent('create', 'c', giteaCreate('refs/tags/v1.0', 'tag', SHA_A))).trigger,
    ).toEqual(pushed.trigger);
  });

  it('ignores a branch create: its push starts the pipeline', () => {
    expect(ignored(parseGiteaEvent('create', 'c', giteaCreate('feature', 'branch', SHA_A)))).toMatch(
      /push of the branch/,
    );
  });

  it('turns opened, synchronized and reopened pull requests into pull_request triggers', () => {
    for (const action of ['opened', 'synchronized', 'reopened']) {
      const result = event(parseGiteaEvent('pull_request', `pr-${action}`, giteaPullRequest(action)));
      expect(result.trigger).toEqual({ event: 'pull_request', ref: 'fix-build' });
      expect(result.sha).toBe(SHA_A);
      expect(result.fetchRef).toBe('refs/pull/12/head');
      expect(result.sender).toBe('bob');
      expect(result.fullName).toBe('alma/hello');
      expect(result.pullRequest).toEqual({ number: 12, baseRef: 'main', baseSha: SHA_B, fromFork: false });
    }
  });

  it('tells pull requests from forks, and counts a deleted head repository as a fork', () => {
    const fork = event(parseGiteaEvent('pull_request', 'f', giteaPullRequest('opened', { fork: true })));
    expect(fork.pullRequest?.fromFork).toBe(true);
    expect(fork.cloneUrl).toBe('http://gitea.test/alma/hello.git');
    const gone = event(
      parseGiteaEvent('pull_request', 'g', giteaPullRequest('synchronized', { headRepoDeleted: true })),
    );
    expect(gone.pullRequest?.fromFork).toBe(true);
  });

  it('ignores other pull request actions, GitHub spellings included', () => {
    for (const action of ['closed', 'edited', 'synchronize', 'label_updated', 'reviewed']) {
      expect(ignored(parseGiteaEvent('pull_request', 'x', giteaPullRequest(action)))).toMatch(action);
    }
  });

  it('reads the owner from `username` when `login` is absent', () => {
    const payload = giteaPush('refs/heads/main', SHA_B, SHA_A);
    const { login: _, ...owner } = payload.repository.owner;
    const { login: __, ...sender } = payload.sender;
    const result = event(
      parseGiteaEvent('push', 'u', { ...payload, sender, repository: { ...payload.repository, owner } }),
    );
    expect(result.repo.owner).toBe('alma');
    expect(result.sender).toBe('ann');
  });

  it('reports private repositories', () => {
    const payload = {
      ...giteaPush('refs/heads/main', SHA_B, SHA_A),
      repository: giteaRepository('alma', 'x', 8, true),
    };
    expect(event(parseGiteaEvent('push', 'p', payload)).private).toBe(true);
  });

  describe('untrusted payloads: ignored with the field named, never thrown', () => {
    const push = giteaPush('refs/heads/main', SHA_B, SHA_A);
    const pr = giteaPullRequest('opened');
    const cases: [string, string, unknown, RegExp][] = [
      ['push', 'no body', null, /not a JSON object/],
      ['push', 'an array', [], /not a JSON object/],
      ['push', 'a string', 'hello', /not a JSON object/],
      ['push', 'no ref', { ...push, ref: undefined }, /ref is missing/],
      ['push', 'a numeric after', { ...push, after: 42 }, /after is number 42/],
      ['push', 'a short sha', { ...push, after: 'abc' }, /after is the string "abc"/],
      ['push', 'an upper-case sha', { ...push, after: SHA_A.toUpperCase() }, /after/],
      [
        'push',
        'no repository',
        { ...push, repository: undefined },
        /repository\.owner\.login and repository\.owner\.username/,
      ],
      ['push', 'a repository array', { ...push, repository: [] }, /repository\.owner/],
      [
        'push',
        'a numeric name',
        { ...push, repository: { ...push.repository, name: 5 } },
        /repository\.name is number 5/,
      ],
      [
        'push',
        'a private string',
        { ...push, repository: { ...push.repository, private: 'no' } },
        /repository\.private/,
      ],
      [
        'push',
        'an ext:: clone url',
        { ...push, repository: { ...push.repository, clone_url: 'ext::sh -c touch% /tmp/x' } },
        /repository\.clone_url/,
      ],
      [
        'push',
        'a file clone url',
        { ...push, repository: { ...push.repository, clone_url: 'file:///etc' } },
        /repository\.clone_url has the scheme file:/,
      ],
      [
        'push',
        'a full_name that disagrees',
        { ...push, repository: { ...push.repository, full_name: 'evil/other' } },
        /repository\.full_name/,
      ],
      ['push', 'no sender', { ...push, sender: null }, /sender\.login and sender\.username/],
      [
        'push',
        'a newline in the ref',
        { ...push, ref: 'refs/heads/a\nb' },
        /ref is the string "refs\/heads\/a\\nb", expected a string without control/,
      ],
      [
        'push',
        'an option as branch',
        { ...push, ref: 'refs/heads/--upload-pack=x' },
        /ref is the string "--upload-pack=x", expected a ref name/,
      ],
      ['push', 'a ".." in the tag', { ...push, ref: 'refs/tags/a..b' }, /ref name git accepts/],
      ['push', 'an empty tag', { ...push, ref: 'refs/tags/' }, /ref/],
      [
        'push',
        'a head_commit without id',
        { ...giteaPush('refs/tags/v1', ZERO, SHA_A), head_commit: {} },
        /head_commit\.id is missing/,
      ],
      [
        'create',
        'no ref_type',
        { ...giteaCreate('v1', 'tag', SHA_A), ref_type: undefined },
        /ref_type is missing/,
      ],
      ['create', 'no sha', { ...giteaCreate('v1', 'tag', SHA_A), sha: '' }, /sha is the string ""/],
      ['pull_request', 'no action', { ...pr, action: undefined }, /action is missing/],
      ['pull_request', 'no pull_request', { ...pr, pull_request: undefined }, /pull_request is missing/],
      [
        'pull_request',
        'a string number',
        { ...pr, pull_request: { ...pr.pull_request, number: '12' } },
        /pull_request\.number is the string "12"/,
      ],
      [
        'pull_request',
        'a negative number',
        { ...pr, pull_request: { ...pr.pull_request, number: -1 } },
        /pull_request\.number is number -1, expected a positive integer/,
      ],
      [
        'pull_request',
        'no head sha',
        { ...pr, pull_request: { ...pr.pull_request, head: { ...pr.pull_request.head, sha: null } } },
        /pull_request\.head\.sha is null/,
      ],
      [
        'pull_request',
        'no base ref',
        { ...pr, pull_request: { ...pr.pull_request, base: { ...pr.pull_request.base, ref: undefined } } },
        /pull_request\.base\.ref is missing/,
      ],
    ];
    for (const [name, what, payload, reason] of cases) {
      it(`${name}: ${what}`, () => {
        const result = parseGiteaEvent(name, 'bad-1', payload);
        expect(ignored(result)).toMatch(reason);
        expect(ignored(result)).toContain('bad-1');
      });
    }

    it('does not follow __proto__ keys into Object.prototype', () => {
      const payload = JSON.parse(
        `{"ref":"refs/heads/main","after":"${SHA_A}","repository":{"__proto__":{"name":"x"}},"sender":{"login":"a"}}`,
      );
      expect(ignored(parseGiteaEvent('push', 'p', payload))).toMatch(/repository\.owner/);
    });

    it('needs a delivery id', () => {
      expect(ignored(parseGiteaEvent('push', '', push))).toMatch(/X-Gitea-Delivery/);
    });

    it('quotes attacker text short and escaped', () => {
      const reason = ignored(
        parseGiteaEvent('push', 'q', { ...push, after: `\u001b[31m${'x'.repeat(500)}` }),
      );
      expect(reason).not.toContain('\u001b');
      expect(reason.length).toBeLessThan(300);
    });
  });
});

describe('parseGiteaEvent: comment commands', () => {
  function command(result: ForgeEvent | CommandEvent | IgnoredEvent): CommandEvent {
    if ('ignored' in result) throw new Error(`expected a command, got ignored: ${result.ignored}`);
    if (!('command' in result)) throw new Error('expected a command, got a pipeline event');
    return result;
  }

  it('turns "/albs retry-failed" in a pull request comment into a command on that pull request', () => {
    const payload = giteaIssueComment('Flaky mirror, again.\n/albs retry-failed\n', { number: 12 });
    expect(command(parseGiteaEvent('issue_comment', 'c-1', payload))).toEqual({
      forge: 'gitea',
      deliveryId: 'c-1',
      event: 'issue_comment',
      repo: { owner: 'alma', name: 'hello' },
      fullName: 'alma/hello',
      cloneUrl: 'http://gitea.test/alma/hello.git',
      htmlUrl: 'http://gitea.test/alma/hello',
      private: false,
      command: 'retry-failed',
      sender: 'carol',
      on: { pullRequest: 12 },
      commentId: 301,
    });
    // Gitea's X-Gitea-Event-Type for the same delivery.
    expect(command(parseGiteaEvent('pull_request_comment', 'c-1', payload)).command).toBe('retry-failed');
  });

  it('ignores comments that hold no command, edits, issues, and commands it does not know', () => {
    expect(ignored(parseGiteaEvent('issue_comment', 'c-2', giteaIssueComment('LGTM')))).toMatch(
      /without an \/albs command/,
    );
    expect(
      ignored(
        parseGiteaEvent('issue_comment', 'c-3', giteaIssueComment('/albs rebuild', { action: 'edited' })),
      ),
    ).toMatch(/only new comments/);
    expect(
      ignored(parseGiteaEvent('issue_comment', 'c-4', giteaIssueComment('/albs rebuild', { isPull: false }))),
    ).toMatch(/on an issue, not a pull request/);
    expect(ignored(parseGiteaEvent('issue_comment', 'c-5', giteaIssueComment('/albs rebiuld')))).toMatch(
      /"\/albs rebiuld" is no command; the commands are/,
    );
  });

  it('reads a command only from a line of its own, never from a quote', () => {
    expect(commandIn('  /albs cancel  ')).toBe('cancel');
    expect(commandIn('> /albs rebuild\nthanks')).toBeUndefined();
    expect(commandIn('please /albs rebuild')).toBeUndefined();
    expect(commandIn('/albs')).toEqual({ unknown: '' });
    expect(commandIn('/albs rebuild now')).toBeUndefined();
  });
});
