/** The repository the server tests and benches push: OWNER/NAME on the fake forge. */
export const OWNER = 'acme';
export const NAME = 'tiny';

/** A push of `ref` to `sha`, shaped as Gitea sends it (modules/structs/hook.go PushPayload). */
export function giteaPush(
  cloneUrl: string,
  ref: string,
  sha: string,
  before = '0'.repeat(40),
  headCommit: string | null = null,
) {
  const repository = {
    id: 7,
    owner: { id: 3, login: OWNER, username: OWNER },
    name: NAME,
    full_name: `${OWNER}/${NAME}`,
    private: false,
    html_url: `https://gitea.example.org/${OWNER}/${NAME}`,
    clone_url: cloneUrl,
    default_branch: 'main',
  };
  return {
    ref,
    before,
    after: sha,
    compare_url: '',
    commits: [],
    total_commits: 0,
    // For an annotated tag `after` is the tag object and head_commit the commit.
    head_commit: headCommit === null ? null : { id: headCommit, message: 'release', url: '' },
    repository,
    pusher: { id: 9, login: 'alice', username: 'alice' },
    sender: { id: 9, login: 'alice', username: 'alice' },
  };
}
