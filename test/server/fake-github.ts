import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { httpBackend, type PostedStatus } from './farm.js';

export const INSTALLATION = 4242;
export const INSTALLATION_TOKEN = 'ghs_installationtoken0123456789';
export const GITHUB_SECRET = 'github-webhook-secret';

/** A comment albs posted: on a pull request (`number`) or on a commit (`sha`). */
export interface GithubComment {
  number?: number;
  sha?: string;
  body: string;
}

/**
 * A GitHub API on loopback, as a GitHub App sees it: installation tokens, commit statuses,
 * collaborator permissions (from `permissions`; a user not in it is unknown: 404), pull request
 * and commit comments, and the repository's git over smart HTTP (clone URLs are https on GitHub,
 * http here).
 */
export async function fakeGithub(gitRoot: string, permissions: Record<string, string> = {}) {
  const statuses: PostedStatus[] = [];
  const comments: GithubComment[] = [];
  const tokenRequests: (string | undefined)[] = [];
  const gitAuth: (string | undefined)[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://github.invalid');
    if (/^\/[^/]+\/[^/]+\.git\//.test(url.pathname)) {
      gitAuth.push(req.headers.authorization);
      httpBackend(gitRoot, url, req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const body = () => JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (req.method === 'POST' && url.pathname === `/app/installations/${INSTALLATION}/access_tokens`) {
        tokenRequests.push(req.headers.authorization);
        return send(201, {
          token: INSTALLATION_TOKEN,
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          permissions: { statuses: 'write', contents: 'write', issues: 'write', metadata: 'read' },
          repository_selection: 'all',
        });
      }
      const status = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]+)$/.exec(url.pathname);
      if (req.method === 'POST' && status) {
        const posted = body();
        statuses.push({ sha: status[3]!, ...posted, authorization: req.headers.authorization });
        return send(201, { id: statuses.length, state: posted.state, context: posted.context });
      }
      const asked = /^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/.exec(url.pathname);
      if (req.method === 'GET' && asked) {
        const user = decodeURIComponent(asked[3]!);
        const permission = permissions[user];
        if (permission === undefined) return send(404, { message: 'Not Found' });
        return send(200, { permission, role_name: permission, user: { login: user, id: 1 } });
      }
      const onIssue = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
      if (req.method === 'POST' && onIssue) {
        comments.push({ number: Number(onIssue[3]), body: body().body });
        return send(201, { id: comments.length });
      }
      const onCommit = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]+)\/comments$/.exec(url.pathname);
      if (req.method === 'POST' && onCommit) {
        comments.push({ sha: onCommit[3]!, body: body().body });
        return send(201, { id: comments.length });
      }
      send(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, server, statuses, comments, tokenRequests, gitAuth };
}

/** POSTs a delivery signed as GitHub signs it (X-Hub-Signature-256). */
export function sendGithub(
  serverUrl: string,
  event: string,
  payload: unknown,
  delivery: string,
): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${serverUrl}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': delivery,
      'x-hub-signature-256': `sha256=${createHmac('sha256', GITHUB_SECRET).update(body).digest('hex')}`,
    },
    body,
  });
}
