import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { machine, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execaSync } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { githubExample } from '../forge/github-examples.js';
import { ALBS_BIN } from '../helpers/cli.js';
import { dnfInstall } from '../helpers/dnf.js';
import { copyExample } from '../run/package-repo.js';
import { commands, runAction } from './action-runner.js';

const git = (cwd: string, ...args: string[]) =>
  execaSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', ...args], { cwd }).stdout;

/** The end of every environment a process of the build's sandbox started with, in the build log. */
const DUMP_ENVIRONMENTS = `for f in /proc/[0-9]*/environ; do echo "== environ of $f"; tr '\\0' '\\n' < "$f" || true; done
echo "== env"; env`;

/**
 * The noarch example in a git repository of its own, as a workflow's checkout leaves it: every tag
 * and branch starts its pipeline (the payloads' tags are simple-tag and 0.0.1), and its %build
 * writes every environment it can see into the build log.
 */
function workspace(): { dir: string; sha: string } {
  const dir = copyExample('hello-noarch');
  const albs = readFileSync(join(dir, '.albs.yml'), 'utf8');
  writeFileSync(
    join(dir, '.albs.yml'),
    albs.replace('tags: ["v*"]', 'tags: ["*"]').replace('branches: [main]', 'branches: ["*"]'),
  );
  const spec = readFileSync(join(dir, 'hello-noarch.spec'), 'utf8');
  writeFileSync(join(dir, 'hello-noarch.spec'), spec.replace('%build\n', `%build\n${DUMP_ENVIRONMENTS}\n`));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'hello-noarch');
  return { dir, sha: git(dir, 'rev-parse', 'HEAD') };
}

/** The lines of an armored key that carry key material (not the armor's header and footer). */
function materialLines(armored: string): string[] {
  return armored
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length >= 16 && !l.startsWith('-----'));
}

describe('the action in run mode, run as a runner runs it', () => {
  let key: string;
  let publicKey: string;
  const passphrase = 'correct horse battery staple 7';

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'albs-action-key-'));
    writeFileSync(join(dir, 'pass'), `${passphrase}\n`, { mode: 0o600 });
    execaSync(process.execPath, [
      ALBS_BIN,
      'keygen',
      '--name',
      'Action Release',
      '--email',
      'release@example.org',
      '--type',
      'ed25519',
      '--passphrase-file',
      join(dir, 'pass'),
      '--out',
      join(dir, 'key'),
    ]);
    key = readFileSync(join(dir, 'key', 'signing-key.asc'), 'utf8');
    publicKey = readFileSync(join(dir, 'key', 'signing-key.pub.asc'), 'utf8');
  });

  it('a tag push: built, tested, signed with the given key into a dnf-installable repository; every output set; the key in no build', async () => {
    const { dir, sha } = workspace();
    const payload = githubExample('push', (p) => p.ref === 'refs/tags/simple-tag');
    const run = await runAction({
      eventName: 'push',
      payload,
      workspace: dir,
      ref: payload.ref,
      sha,
      inputs: { 'signing-key': key, passphrase },
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode, run.stdout).toBe(0);
    const out = join(run.runnerTemp, 'albs-out');
    expect(run.outputs.status).toBe('success');
    expect(run.outputs.out).toBe(out);
    expect(run.outputs['pipeline-id']).toMatch(/^[0-9a-f-]{36}$/);
    const repos = JSON.parse(run.outputs.repos!) as Record<string, string>;
    expect(repos).toEqual({ 'almalinux-9': join(out, 'repos', 'almalinux-9') });
    const packages = JSON.parse(run.outputs.packages!) as string[];
    expect(packages.map((p) => p.split('/').pop()).sort()).toEqual([
      'hello-noarch-1.0.0-1.noarch.rpm',
      'hello-noarch-1.0.0-1.src.rpm',
    ]);
    for (const file of packages) expect(existsSync(file), file).toBe(true);

    // The summary: the grid (no arch in the matrix: one column), then the repository and how to install.
    expect(run.summary).toContain('## albs-ci: ✅ success');
    expect(run.summary).toContain('tag `simple-tag`');
    expect(run.summary).toContain('| dist | build · test |');
    expect(run.summary).toMatch(
      /\| almalinux-9 \| ✅ build success [0-9.]+ s<br>✅ test success [0-9.]+ s \|/,
    );
    expect(run.summary).toContain('### Published repositories');
    expect(run.summary).toContain(
      `sudo cp ${join(repos['almalinux-9']!, 'almalinux-9.repo')} /etc/yum.repos.d/`,
    );
    expect(run.summary).not.toMatch(/throwaway/i);

    // One log group per job, each with its log.
    const groups = commands(run.stdout).filter((c) => c.startsWith('::group::'));
    expect(groups).toEqual([
      expect.stringMatching(/^::group::build \(almalinux-9\): success in /),
      expect.stringMatching(/^::group::test \(almalinux-9\): success in /),
      expect.stringMatching(/^::group::sign \(almalinux-9\): success in /),
      expect.stringMatching(/^::group::publish \(almalinux-9\): success in /),
    ]);
    expect(commands(run.stdout).filter((c) => c === '::endgroup::')).toHaveLength(4);

    // Signed with the given key: its public half is the repository's, and dnf checks both signatures.
    const repoDir = repos['almalinux-9']!;
    expect(readFileSync(join(repoDir, 'RPM-GPG-KEY-release'), 'utf8').trim()).toBe(publicKey.trim());
    const install = await dnfInstall(readFileSync(join(repoDir, 'almalinux-9.repo'), 'utf8'), 'hello-noarch');
    expect(install.output).not.toMatch(/error/i);
    expect(install.exitCode).toBe(0);
    expect(install.installed).toBe(true);

    // The build dumped every environment its sandbox shows: neither the key nor the passphrase is there,
    // nor anything of the runner's (INPUT_*, GITHUB_*).
    const buildLog = readFileSync(join(out, 'logs', 'build.almalinux-9.log'), 'utf8');
    expect(buildLog).toContain('== environ of /proc/');
    expect(buildLog).toContain('== env');
    for (const line of materialLines(key)) expect(buildLog).not.toContain(line);
    expect(buildLog).not.toContain(passphrase);
    expect(buildLog).not.toMatch(/INPUT_|GITHUB_|ALBS_SIGNING_KEY|ALBS_KEY_PASSPHRASE/);
    // Nor anywhere else in what the action printed, but the masks that tell the runner to hide it.
    const printed = run.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    for (const line of materialLines(key)) expect(printed).not.toContain(line);
    expect(printed).not.toContain(passphrase);
    expect(run.stdout).toContain(`::add-mask::${passphrase}`);
    for (const line of materialLines(key)) expect(run.stdout).toContain(`::add-mask::${line}`);
    // Nor in OUT, beside the signed repository.
    for (const file of readdirSync(out, { recursive: true }) as string[]) {
      const path = join(out, file);
      if (!file.endsWith('.log') && !file.endsWith('.asc') && !file.endsWith('.json')) continue;
      const text = readFileSync(path, 'utf8');
      for (const line of materialLines(key)) expect(text, path).not.toContain(line);
    }
  });

  it('a pull request: built and tested at its head branch, never signed or published; the key not used', async () => {
    const { dir, sha } = workspace();
    git(dir, 'checkout', '-q', '--detach');
    const payload = githubExample('pull_request', (p) => p.action === 'opened');
    const run = await runAction({
      eventName: 'pull_request',
      payload,
      workspace: dir,
      ref: `refs/pull/${payload.number}/merge`,
      sha,
      inputs: { 'signing-key': key, passphrase },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.status).toBe('success');
    expect(run.summary).toContain(`pull_request \`${payload.pull_request.head.ref}\``);
    expect(run.summary).toMatch(
      /\| almalinux-9 \| ✅ build success [0-9.]+ s<br>✅ test success [0-9.]+ s \|/,
    );
    expect(run.summary).not.toContain('sign (');
    expect(JSON.parse(run.outputs.repos!)).toEqual({});
    expect(JSON.parse(run.outputs.packages!)).toHaveLength(2);
    expect(commands(run.stdout).filter((c) => c.startsWith('::group::'))).toHaveLength(2);
    expect(existsSync(join(run.runnerTemp, 'albs-out', 'repos'))).toBe(false);
  });

  it('a release without signing-key: the release tag published, signed with a throwaway key, with a warning annotation', async () => {
    const { dir, sha } = workspace();
    const payload = githubExample('release', (p) => p.action === 'published');
    const run = await runAction({
      eventName: 'release',
      payload,
      workspace: dir,
      ref: `refs/tags/${payload.release.tag_name}`,
      sha,
      inputs: { keep: '2' },
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.status).toBe('success');
    expect(run.summary).toContain(`tag \`${payload.release.tag_name}\``);
    expect(commands(run.stdout)).toContainEqual(
      expect.stringMatching(/^::warning title=albs-ci%3A throwaway signing key::no signing-key given: /),
    );
    expect(run.summary).toMatch(/throwaway key/);
    expect(Object.keys(JSON.parse(run.outputs.repos!))).toEqual(['almalinux-9']);
  });

  // hello-c's matrix is x86_64, aarch64, ppc64le (+ s390x): this test expects an x86_64 runner.
  it.runIf(machine() === 'x86_64')(
    'a matrix over arches: a grid column per arch as written; the arches this runner lacks skipped and named; a foreign arch input refused',
    async () => {
      const dir = copyExample('hello-c');
      git(dir, 'init', '-q', '-b', 'main');
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', 'hello-c');
      const sha = git(dir, 'rev-parse', 'HEAD');
      const payload = githubExample('push', (p) => p.ref === 'refs/heads/master');
      const base = { eventName: 'push', payload, workspace: dir, ref: 'refs/heads/main', sha };
      const run = await runAction({ ...base, inputs: {} });
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.summary).toContain('| dist | extra_cflags | x86_64 | aarch64 | ppc64le | s390x |');
      // almalinux-8 has no ppc64le (excluded) and no s390x (only an include for almalinux-9 adds it).
      expect(run.summary).toMatch(
        /\| almalinux-8 \| — \| ✅ build success [0-9.]+ s<br>✅ test success [0-9.]+ s \| ⏭️ build skipped<br>⏭️ test skipped \| — \| — \|/,
      );
      const warnings = commands(run.stdout).filter((c) =>
        c.startsWith('::warning title=albs-ci%3A jobs skipped::'),
      );
      expect(warnings).toEqual([
        expect.stringMatching(
          /no runner here has the labels \[aarch64\]: skipped build\.aarch64\.almalinux-8, .*this runner is x86_64/,
        ),
        expect.stringMatching(/no runner here has the labels \[ppc64le\]: skipped build\.ppc64le\./),
        expect.stringMatching(/no runner here has the labels \[s390x\]: skipped build\.s390x\./),
      ]);
      expect(run.summary).toContain('- no runner here for [aarch64]: skipped build.aarch64.almalinux-8');

      const foreign = await runAction({ ...base, inputs: { arch: 'aarch64' } });
      expect(foreign.exitCode).toBe(1);
      expect(foreign.outputs.status).toBe('failure');
      expect(commands(foreign.stdout).at(-1)).toMatch(
        /^::error title=albs-ci::albs run could not start the pipeline: albs: --arch aarch64: this host is x86_64 and albs run never cross-builds/,
      );
    },
  );

  it('an invalid .albs.yml: an error annotation at its file, line and column; the step fails and nothing runs', async () => {
    const { dir, sha } = workspace();
    mkdirSync(join(dir, 'pkg'));
    // Line 4, column 12: the value of build.timeout.
    writeFileSync(
      join(dir, 'pkg', '.albs.yml'),
      'version: 1\nbuild:\n  builder: rpmbuild\n  timeout: forever\n',
    );
    const run = await runAction({
      eventName: 'push',
      payload: githubExample('push', (p) => p.ref === 'refs/heads/master'),
      workspace: dir,
      ref: 'refs/heads/master',
      sha,
      inputs: { path: 'pkg' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failure');
    const errors = commands(run.stdout).filter((c) => c.startsWith('::error '));
    expect(errors[0]).toMatch(
      /^::error title=pkg\/.albs.yml%3A invalid,file=pkg\/.albs.yml,line=4,col=12::.*timeout/,
    );
    expect(errors.at(-1)).toMatch(
      /^::error title=albs-ci::pkg\/.albs.yml is invalid: 1 error, each annotated at its line/,
    );
    expect(existsSync(join(run.runnerTemp, 'albs-out', 'pipeline.json'))).toBe(false);
  });

  it('an input the mode needs, or a bad one, fails the step naming it', async () => {
    const { dir, sha } = workspace();
    const payload = githubExample('push', (p) => p.ref === 'refs/heads/master');
    const base = { eventName: 'push', payload, workspace: dir, ref: payload.ref, sha };
    const errorOf = async (inputs: Record<string, string>) => {
      const run = await runAction({ ...base, inputs });
      expect(run.exitCode).toBe(1);
      expect(run.outputs.status).toBe('failure');
      return commands(run.stdout).find((c) => c.startsWith('::error '));
    };
    expect(await errorOf({ mode: 'build' })).toMatch(/input mode is "build"; give run .* or submit/);
    expect(await errorOf({ keep: 'all' })).toMatch(/input keep is "all"; give a whole number/);
    expect(await errorOf({ passphrase: 'x' })).toMatch(/input passphrase is set but signing-key is not/);
    expect(await errorOf({ event: 'tag' })).toMatch(
      /input event is tag, but .* is a branch \(master\): give the input ref too/,
    );
    expect(await errorOf({ path: 'nowhere' })).toMatch(/input path is "nowhere"/);
    expect(await errorOf({ mode: 'submit' })).toMatch(/mode submit needs the input server-url/);
    expect(await errorOf({ mode: 'submit', 'server-url': 'http://127.0.0.1:9' })).toMatch(
      /mode submit needs the input token/,
    );
  });
});
