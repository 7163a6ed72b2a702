/**
 * Why the git cache could not give a commit, a file or a tree. Messages name the repository by its
 * URL without user name or password, never carry an auth header's value, and say what to do.
 */
export class GitCacheError extends Error {
  override name = 'GitCacheError';
}

/**
 * A clone URL, ref, sha, path or auth header refused before git ran: the caller's input is wrong,
 * not the server or the network, so retrying the same call cannot help.
 */
export class GitCacheInputError extends GitCacheError {
  override name = 'GitCacheInputError';
}
