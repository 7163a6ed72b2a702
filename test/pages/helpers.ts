import { createServer, type Server } from 'node:http';
import { loadConfig } from '../../src/config/index.js';
import { buildPlan } from '../../src/plan/index.js';
import type { PipelineRecord } from '../../src/server/pipeline-records.js';
import { jobRecords } from '../../src/server/pipeline-service.js';
import { TINY_SPEC } from '../server/farm.js';

/** A record as `albs serve` makes it for this .albs.yml, its jobs in the given states. */
export function recordOf(yaml: string, states: Record<string, string> = {}): PipelineRecord {
  const { config, problems } = loadConfig(yaml, '.albs.yml');
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0 || !config) throw new Error(`bad test config: ${JSON.stringify(errors)}`);
  const plan = buildPlan(config, { event: 'branch', ref: 'main' });
  const jobs = jobRecords(plan).map((j) => ({ ...j, state: (states[j.id] ?? j.state) as never }));
  return {
    version: 1,
    id: '01JAAAAAAAAAAAAAAAAAAAAAAA',
    source: {
      forge: 'gitea',
      repository: 'acme/tiny',
      cloneUrl: 'https://gitea.example.org/acme/tiny.git',
      sha: 'a'.repeat(40),
      ref: 'refs/heads/main',
      event: 'push',
      deliveryId: 'd-1',
      sender: 'alice',
      private: false,
    },
    trigger: { event: 'branch', ref: 'main' },
    result: 'running',
    reason: null,
    createdAt: '2026-11-30T10:00:00.000Z',
    startedAt: '2026-11-30T10:00:01.000Z',
    finishedAt: null,
    jobs,
    repos: [],
  };
}

/** The rows of the page's grid table (class="grid"), each a list of its cells' text. */
export function gridRows(page: string): string[][] {
  const table = /<table class="grid">([\s\S]*?)<\/table>/.exec(page)?.[1];
  if (table === undefined) throw new Error('the page has no grid table');
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      cell[1]!
        .replace(/<\/a>/g, ' | ')
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .replace(/( \| ?)+$/, '')
        .trim(),
    ),
  );
}

/** A %build that says things slowly: the page is open while it runs. */
export const SLOW_SPEC = TINY_SPEC.replace(
  '%install',
  `%build
printf '\\033[32mgreen light\\033[0m\\n'
echo '<script>window.pwned = true</script><img src=x onerror="window.pwned = true">'
for i in 1 2 3 4 5 6 7 8; do echo "tick $i"; sleep 1; done
echo 'build done'

%install`,
);

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/**
 * Gitea's OAuth2 provider and the API calls sign-in makes, as a fake: the authorize page says yes
 * at once for `user()`, a code becomes `token-of-USER`, and only alice may read acme/secret.
 */
export function fakeOAuthGitea(user: () => string, clientId: string, clientSecret: string): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gitea');
    const token = req.headers.authorization?.replace(/^token /, '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/login/oauth/authorize') {
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', `code-${user()}`);
      back.searchParams.set('state', url.searchParams.get('state')!);
      res.writeHead(302, { location: back.toString() }).end();
    } else if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        // OAuth2's token request is a form (RFC 6749 4.1.3).
        if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') {
          return send(415, { error: `a form, not ${req.headers['content-type']}` });
        }
        const sent = Object.fromEntries(new URLSearchParams(body));
        if (sent.client_id !== clientId || sent.client_secret !== clientSecret) {
          return send(400, { error: 'invalid_client' });
        }
        send(200, { access_token: `token-of-${sent.code!.replace(/^code-/, '')}`, token_type: 'bearer' });
      });
    } else if (url.pathname === '/api/v1/user' && token) {
      send(200, { login: token.replace(/^token-of-/, '') });
    } else if (url.pathname === '/api/v1/repos/acme/secret') {
      if (token === 'token-of-alice') send(200, { full_name: 'acme/secret', private: true });
      else send(404, { message: 'not found' });
    } else send(404, { message: `no ${url.pathname}` });
  });
}
