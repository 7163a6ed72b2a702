import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aptClient } from '../deb/apt.js';
import { REPO_ROOT } from '../helpers/cli.js';
import {
  type Farm,
  fakeGitea,
  farmConfig,
  giteaPush,
  latestStatuses,
  OWNER,
  type Serve,
  sendGitea,
  startServe,
  waitFor,
} from './farm.js';

const ALBS_YML = `version: 1
source:
  tarball-command: tar --exclude=./debian --exclude-vcs -czf "$ALBS_TARBALL" .
on: {tags: ["v*"]}
matrix:
  dist: [bookworm]
  arch: [amd64]
build: {builder: dpkg}
sign: {key: release}
publish: [{repo: "\${{ matrix.dist }}"}]
`;

describe('albs serve publishing an apt repository over HTTP', () => {
  let gitea: Awaited<ReturnType<typeof fakeGitea>>;
  let farm: Farm;
  let serve: Serve;
  let sha: string;
  let cloneUrl: string;

  beforeAll(async () => {
    // examples/hello-deb as a repository acme/hello-deb on the forge.
    const base = mkdtempSync(join(tmpdir(), 'albs-serve-deb-'));
    const work = join(base, 'work');
    cpSync(join(REPO_ROOT, 'examples', 'hello-deb'), work, {
      recursive: true,
      filter: (from) => !from.includes(`${join('hello-deb', '.albs')}`),
    });
    writeFileSync(join(work, '.albs.yml'), ALBS_YML);
    const git = (cwd: string, ...args: string[]) =>
      execaSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', ...args], { cwd }).stdout;
    git(base, 'init', '-q', '--bare', join(base, OWNER, 'hello-deb.git'));
    git(work, 'init', '-q', '-b', 'main');
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', 'hello-deb');
    git(work, 'tag', 'v1.0.0');
    git(work, 'push', '-q', '--tags', join(base, OWNER, 'hello-deb.git'), 'main');
    sha = git(work, 'rev-parse', 'HEAD');
    gitea = await fakeGitea(base);
    cloneUrl = `${gitea.url}/${OWNER}/hello-deb.git`;
    farm = await farmConfig(gitea.url);
    serve = (await startServe(farm)).child;
  }, 60_000);
  afterAll(async () => {
    serve?.kill('SIGTERM');
    await serve;
    gitea?.server.close();
  });

  it('apt-get installs the package from PUBLIC_URL/repos/bookworm with the key inline in Signed-By', async () => {
    const payload = giteaPush(cloneUrl, 'refs/tags/v1.0.0', sha);
    payload.repository.name = 'hello-deb';
    payload.repository.full_name = `${OWNER}/hello-deb`;
    expect((await sendGitea(farm.publicUrl, 'push', payload, 'deb-1')).status).toBe(202);
    const latest = await waitFor('the deb pipeline to end', () => {
      const l = latestStatuses(gitea.statuses, sha);
      return l.albs && Object.values(l).every((s) => s.state !== 'pending') ? l : undefined;
    });
    expect(latest.albs?.state, JSON.stringify(latest)).toBe('success');
    const sources = await (await fetch(`${farm.publicUrl}/repos/bookworm/bookworm.sources`)).text();
    expect(sources).toContain(`URIs: ${farm.publicUrl}/repos/bookworm/`);
    expect(sources).toMatch(/Signed-By: -----BEGIN PGP PUBLIC KEY BLOCK-----\n \.\n /);
    const file = join(mkdtempSync(join(tmpdir(), 'albs-sources-')), 'bookworm.sources');
    writeFileSync(file, sources);
    const apt = await aptClient(file);
    const update = await apt.update();
    expect(update.exitCode, update.all).toBe(0);
    const install = await apt.install('hello-deb');
    expect(install.exitCode, install.all).toBe(0);
    expect(await apt.installedVersion('hello-deb')).toBe('1.0.0-1');
  }, 180_000);
});
