/**
 * Gitea webhook payloads as Gitea marshals them (go-gitea/gitea modules/structs/hook.go: PushPayload,
 * CreatePayload, PullRequestPayload; repo.go Repository; user.go User, which adds `username` next
 * to `login`; pull.go PRBranchInfo), trimmed of the fields albs never reads only where they are long.
 */

export const SHA_A = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
export const SHA_B = '2c9f4c7e6a3a1a1c7c1f0c3b4cde4a5f6b7c8d9e';
export const SHA_TAG_OBJECT = 'b1946ac92492d2347c6235b4d2611184b1946ac9';
export const ZERO = '0000000000000000000000000000000000000000';

export function giteaUser(login: string, id = 1) {
  return {
    id,
    login,
    login_name: '',
    source_id: 0,
    full_name: '',
    email: `${login}@noreply.localhost`,
    avatar_url: `http://gitea.test/avatars/${id}`,
    html_url: `http://gitea.test/${login}`,
    language: '',
    is_admin: false,
    last_login: '0001-01-01T00:00:00Z',
    created: '2024-05-01T10:00:00Z',
    restricted: false,
    active: false,
    prohibit_login: false,
    location: '',
    website: '',
    description: '',
    visibility: 'public',
    followers_count: 0,
    following_count: 0,
    starred_repos_count: 0,
    username: login,
  };
}

export function giteaRepository(owner: string, name: string, id = 7, isPrivate = false) {
  return {
    id,
    owner: giteaUser(owner, 3),
    name,
    full_name: `${owner}/${name}`,
    description: 'a package',
    empty: false,
    private: isPrivate,
    fork: false,
    template: false,
    parent: null,
    mirror: false,
    size: 40,
    language: '',
    languages_url: `http://gitea.test/api/v1/repos/${owner}/${name}/languages`,
    html_url: `http://gitea.test/${owner}/${name}`,
    url: `http://gitea.test/api/v1/repos/${owner}/${name}`,
    link: '',
    ssh_url: `git@gitea.test:${owner}/${name}.git`,
    clone_url: `http://gitea.test/${owner}/${name}.git`,
    original_url: '',
    website: '',
    stars_count: 0,
    forks_count: 0,
    watchers_count: 1,
    open_issues_count: 0,
    open_pr_counter: 1,
    release_counter: 0,
    default_branch: 'main',
    archived: false,
    created_at: '2024-05-01T10:00:00Z',
    updated_at: '2024-05-02T10:00:00Z',
    archived_at: '1970-01-01T00:00:00Z',
    permissions: { admin: true, push: true, pull: true },
    has_issues: true,
    has_wiki: true,
    has_pull_requests: true,
    has_projects: true,
    has_releases: true,
    has_packages: true,
    has_actions: false,
    ignore_whitespace_conflicts: false,
    allow_merge_commits: true,
    allow_rebase: true,
    allow_rebase_explicit: true,
    allow_squash_merge: true,
    allow_fast_forward_only_merge: false,
    allow_rebase_update: true,
    default_delete_branch_after_merge: false,
    default_merge_style: 'merge',
    default_allow_maintainer_edit: false,
    avatar_url: '',
    internal: false,
    mirror_interval: '',
    object_format_name: 'sha1',
    mirror_updated: '0001-01-01T00:00:00Z',
    repo_transfer: null,
    topics: null,
    licenses: null,
  };
}

function commit(id: string) {
  return {
    id,
    message: 'Update the spec\n',
    url: `http://gitea.test/alma/hello/commit/${id}`,
    author: { name: 'Ann', email: 'ann@example.org', username: 'ann' },
    committer: { name: 'Ann', email: 'ann@example.org', username: 'ann' },
    verification: null,
    timestamp: '2024-05-02T10:00:00Z',
    added: [],
    removed: [],
    modified: ['hello.spec'],
  };
}

export function giteaPush(ref: string, before: string, after: string, headCommit = after) {
  const deleted = /^0+$/.test(after);
  return {
    ref,
    before,
    after,
    compare_url: `http://gitea.test/alma/hello/compare/${before}...${after}`,
    commits: deleted ? [] : [commit(after)],
    total_commits: deleted ? 0 : 1,
    head_commit: deleted ? null : commit(headCommit),
    repository: giteaRepository('alma', 'hello'),
    pusher: giteaUser('ann', 2),
    sender: giteaUser('ann', 2),
  };
}

export function giteaCreate(ref: string, refType: 'tag' | 'branch', sha: string) {
  return {
    sha,
    ref,
    ref_type: refType,
    repository: giteaRepository('alma', 'hello'),
    sender: giteaUser('ann', 2),
  };
}

function branchInfo(ref: string, sha: string, repo: ReturnType<typeof giteaRepository> | null) {
  return { label: ref, ref, sha, repo_id: repo?.id ?? 0, repo };
}

export function giteaPullRequest(
  action: string,
  options: { fork?: boolean; headRepoDeleted?: boolean; number?: number } = {},
) {
  const number = options.number ?? 12;
  const base = giteaRepository('alma', 'hello');
  const head = options.headRepoDeleted
    ? null
    : options.fork
      ? { ...giteaRepository('bob', 'hello', 99), fork: true }
      : base;
  return {
    action,
    number,
    pull_request: {
      id: 40,
      url: `http://gitea.test/alma/hello/pulls/${number}`,
      number,
      user: giteaUser('bob', 5),
      title: 'Fix the build',
      body: '',
      labels: [],
      milestone: null,
      assignee: null,
      assignees: null,
      requested_reviewers: null,
      state: 'open',
      draft: false,
      is_locked: false,
      comments: 0,
      html_url: `http://gitea.test/alma/hello/pulls/${number}`,
      diff_url: `http://gitea.test/alma/hello/pulls/${number}.diff`,
      patch_url: `http://gitea.test/alma/hello/pulls/${number}.patch`,
      mergeable: true,
      merged: false,
      merged_at: null,
      merge_commit_sha: null,
      merged_by: null,
      allow_maintainer_edit: false,
      base: branchInfo('main', SHA_B, base),
      head: branchInfo('fix-build', SHA_A, head),
      merge_base: SHA_B,
      due_date: null,
      created_at: '2024-05-02T10:00:00Z',
      updated_at: '2024-05-02T10:00:00Z',
      closed_at: null,
      pin_order: 0,
    },
    requested_reviewer: null,
    repository: base,
    sender: giteaUser('bob', 5),
    commit_id: '',
    review: null,
  };
}

/**
 * An issue_comment delivery (IssueCommentPayload: action, issue, pull_request when the issue is
 * one, comment, repository, sender, is_pull), as Gitea sends it for a comment in a pull request's
 * conversation (X-Gitea-Event issue_comment, X-Gitea-Event-Type pull_request_comment) or, with
 * `isPull: false`, in an issue's.
 */
export function giteaIssueComment(
  body: string,
  options: {
    action?: string;
    isPull?: boolean;
    number?: number;
    commenter?: string;
    commentId?: number;
  } = {},
) {
  const number = options.number ?? 12;
  const isPull = options.isPull ?? true;
  const commenter = giteaUser(options.commenter ?? 'carol', 8);
  const pull = giteaPullRequest('opened', { number }).pull_request;
  const repository = giteaRepository('alma', 'hello');
  return {
    action: options.action ?? 'created',
    issue: {
      id: 40,
      url: `http://gitea.test/api/v1/repos/alma/hello/issues/${number}`,
      html_url: `http://gitea.test/alma/hello/${isPull ? 'pulls' : 'issues'}/${number}`,
      number,
      user: giteaUser('bob', 5),
      original_author: '',
      original_author_id: 0,
      title: 'Fix the build',
      body: '',
      ref: '',
      assets: [],
      labels: [],
      milestone: null,
      assignee: null,
      assignees: null,
      state: 'open',
      is_locked: false,
      comments: 1,
      created_at: '2024-05-02T10:00:00Z',
      updated_at: '2024-05-02T10:05:00Z',
      closed_at: null,
      due_date: null,
      pull_request: isPull
        ? {
            merged: false,
            merged_at: null,
            draft: false,
            html_url: `http://gitea.test/alma/hello/pulls/${number}`,
          }
        : null,
      repository: { id: repository.id, name: 'hello', owner: 'alma', full_name: 'alma/hello' },
      pin_order: 0,
    },
    ...(isPull ? { pull_request: pull } : {}),
    comment: {
      id: options.commentId ?? 301,
      html_url: `http://gitea.test/alma/hello/pulls/${number}#issuecomment-${options.commentId ?? 301}`,
      pull_request_url: isPull ? `http://gitea.test/alma/hello/pulls/${number}` : '',
      issue_url: isPull ? '' : `http://gitea.test/alma/hello/issues/${number}`,
      user: commenter,
      original_author: '',
      original_author_id: 0,
      body,
      assets: [],
      created_at: '2024-05-02T10:05:00Z',
      updated_at: '2024-05-02T10:05:00Z',
    },
    repository,
    sender: commenter,
    is_pull: isPull,
  };
}
