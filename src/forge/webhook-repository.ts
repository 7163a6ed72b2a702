import type { ForgeEvent } from './forge.js';
import { PayloadFieldError, requireBoolean, requireOneOf, requireString } from './payload-fields.js';

/** The repository part of a ForgeEvent. */
export type WebhookRepository = Pick<ForgeEvent, 'repo' | 'fullName' | 'cloneUrl' | 'htmlUrl' | 'private'>;

/** https URLs only: the clone URL reaches git, and git also speaks ext::, file:// and ssh. */
function requireHttpUrl(payload: unknown, path: string): string {
  const text = requireString(payload, path);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PayloadFieldError(`${path} is not a URL, expected an http(s) URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PayloadFieldError(`${path} has the scheme ${url.protocol}, expected an http(s) URL`);
  }
  return text;
}

/**
 * The `repository` object both forges send (Gitea's `modules/structs/repo.go` copies GitHub's
 * names): owner login (Gitea's users also carry `username`), name, full_name, clone_url, html_url,
 * private. Throws PayloadFieldError naming the field that is missing or ill-typed.
 */
export function readWebhookRepository(payload: unknown, path = 'repository'): WebhookRepository {
  const owner = requireOneOf(payload, [`${path}.owner.login`, `${path}.owner.username`]);
  const name = requireString(payload, `${path}.name`);
  const fullName = requireString(payload, `${path}.full_name`);
  // full_name is what logs and statuses key on, owner/name what API paths are built from: a
  // payload where they disagree is not one a forge sent.
  if (fullName.toLowerCase() !== `${owner}/${name}`.toLowerCase()) {
    throw new PayloadFieldError(
      `${path}.full_name is ${JSON.stringify(fullName)}, expected ${JSON.stringify(`${owner}/${name}`)} (owner login / name)`,
    );
  }
  return {
    repo: { owner, name },
    fullName,
    cloneUrl: requireHttpUrl(payload, `${path}.clone_url`),
    htmlUrl: requireHttpUrl(payload, `${path}.html_url`),
    private: requireBoolean(payload, `${path}.private`),
  };
}
