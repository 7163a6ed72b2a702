/**
 * A package that tries what a hostile packager would, from every place a package's code runs:
 * an rpm spec's %(...) at `rpmbuild -bs`, its %build, debian/rules, source.tarball-command and a
 * `run:` test step. It looks for the signing key in every /proc/N/environ and every readable file,
 * lists its open files, remounts /usr, writes /proc/sys, OUT/repos, a package published by an
 * earlier run and the real home directory, and connects to 127.0.0.1. It must find nothing,
 * change nothing, and the pipeline's packages must still be signed and published correctly.
 * Run as root (CI's case) and as an unprivileged user, for rpm and deb.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ALBS_BIN, albs, REPO_ROOT } from '../helpers/cli.js';
import { countingServer } from '../helpers/counting-server.js';

const FOUND = 'ALBS-HOSTILE-FOUND';
const DONE = 'ALBS-HOSTILE-PROBE-DONE';
const USER = 'albs-sandbox-test';

/** The probe. Patterns are split in its text, so that it never finds itself. */
function probe(o: {
  out: string;
  home: string;
  port: number;
  fingerprint: string;
  published: string[];
}): string {
  const half = Math.floor(o.fingerprint.length / 2);
  return `#!/bin/bash
where="$1"
found() { echo "${FOUND}: $where: $*" >&2; }
armor="BEGIN PGP PRIV""ATE KEY BLOCK"
fpr="${o.fingerprint.slice(0, half)}""${o.fingerprint.slice(half)}"
for f in /proc/[0-9]*/environ; do
  if grep -qa -e "$armor" -e "$fpr" -e hunter2 "$f" 2>/dev/null; then found "key material in $f"; fi
done
# Every file it can read, but /usr (the host's programs) and the kernel's trees.
for top in /*; do
  case "$top" in /proc|/sys|/dev|/usr) continue ;; esac
  [ -L "$top" ] && continue
  grep -rlsaiF -e "$armor" -e "$fpr" "$top" 2>/dev/null | while IFS= read -r f; do found "key material in $f"; done
done
if [ "$where" = run ]; then
  # What a program it starts inherits: ls's own listing of its descriptors, but the one it reads.
  ls -l /proc/self/fd | awk 'NR > 1 { print $(NF - 2), $NF }' | while read -r n target; do
    case "$n:$target" in 0:*|1:*|2:*|*:/proc/*/fd) ;; *) found "open fd $n -> $target" ;; esac
  done
fi
mount -o remount,rw /usr 2>/dev/null && found "remounted /usr read-write"
mount -t tmpfs none /usr/share 2>/dev/null && found "mounted over /usr/share"
touch /usr/albs-hostile 2>/dev/null && found "wrote /usr"
cat /proc/sys/vm/swappiness > /proc/sys/vm/swappiness 2>/dev/null && found "wrote /proc/sys"
echo 0 > /proc/sysrq-trigger 2>/dev/null && found "wrote /proc/sysrq-trigger"
[ -e "${o.out}/repos" ] && found "sees ${o.out}/repos"
mkdir -p "${o.out}/repos" 2>/dev/null; touch "${o.out}/repos/albs-hostile" 2>/dev/null
${o.published.map((p) => `echo evil >> "${p}" 2>/dev/null && found "changed ${p}"`).join('\n')}
touch "${o.home}/albs-hostile-home" 2>/dev/null && found "wrote ${o.home}"
(exec 3<>/dev/tcp/127.0.0.1/${o.port}) 2>/dev/null && found "connected to 127.0.0.1:${o.port}"
(exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && found "connected to Redis on 127.0.0.1:6379"
echo "${DONE}: $where" >&2
`;
}

function rpmPackage(dir: string, release: number): void {
  writeFileSync(
    join(dir, 'hostile.spec'),
    `Name: hostile
Version: 1.0
%global probed %(bash %{_sourcedir}/hostile.sh srpm)
Release: ${release}
Summary: A package that tries to escape its build
License: MIT
BuildArch: noarch
AutoReqProv: no
Source0: hostile.sh

%description
Tries to read the signing key and to change what it must not.

%build
bash %{SOURCE0} build

%install
mkdir -p %{buildroot}/usr/share/hostile
echo ${release} > %{buildroot}/usr/share/hostile/release

%files
/usr/share/hostile/release
`,
  );
  writeFileSync(
    join(dir, '.albs.yml'),
    'version: 1\ntest:\n  - run: bash ./hostile.sh run\nsign: {key: release}\npublish: [{repo: hostile}]\n',
  );
}

function debPackage(dir: string, release: number): void {
  // Over what is there: the run's OUT (DIR/.albs/out) stays, as a second push's would.
  cpSync(join(REPO_ROOT, 'examples', 'hello-deb'), dir, {
    recursive: true,
    filter: (from) => !from.includes(`${join('hello-deb', '.albs')}`),
  });
  const rules = readFileSync(join(dir, 'debian', 'rules'), 'utf8').replace(
    'override_dh_auto_build:\n',
    'override_dh_auto_build:\n\tbash ./hostile.sh build\n',
  );
  writeFileSync(join(dir, 'debian', 'rules'), rules);
  chmodSync(join(dir, 'debian', 'rules'), 0o755);
  const changelog = readFileSync(join(dir, 'debian', 'changelog'), 'utf8').replace(
    /^(\S+) \(([^)-]+)-\d+\)/,
    `$1 ($2-${release})`,
  );
  writeFileSync(join(dir, 'debian', 'changelog'), changelog);
  writeFileSync(
    join(dir, '.albs.yml'),
    `version: 1
source:
  tarball-command: bash ./hostile.sh tarball && tar --exclude=./debian --exclude-vcs -czf "$ALBS_TARBALL" .
matrix: {dist: [bookworm], arch: [amd64]}
build: {builder: dpkg}
test:
  - run: bash ./hostile.sh run
sign: {key: release}
publish: [{repo: hostile}]
`,
  );
}

/** Every published package file under OUT/repos/hostile (through the live link). */
function published(out: string): string[] {
  const live = join(out, 'repos', 'hostile');
  if (!existsSync(live)) return [];
  return readdirSync(live, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(?:rpm|deb)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function allLogs(out: string): string {
  return readdirSync(join(out, 'logs'))
    .map((f) => readFileSync(join(out, 'logs', f), 'utf8'))
    .join('\n');
}

interface Runner {
  uid: number;
  gid: number;
  home: string;
  run(args: string[], env?: Record<string, string>): Promise<{ exitCode: number; stdout: string }>;
}

async function rootRunner(): Promise<Runner> {
  return {
    uid: 0,
    gid: 0,
    home: '/root',
    run: (args, env) => albs(args, { env }),
  };
}

/** An ordinary user, made for the test where missing. */
async function userRunner(): Promise<Runner> {
  const exists = await execa('id', ['-u', USER], { reject: false });
  if (exists.exitCode !== 0) await execa('useradd', ['--create-home', '--shell', '/bin/bash', USER]);
  const uid = Number((await execa('id', ['-u', USER])).stdout);
  const gid = Number((await execa('id', ['-g', USER])).stdout);
  const home = `/home/${USER}`;
  return {
    uid,
    gid,
    home,
    async run(args, env = {}) {
      const result = await execa(
        'setpriv',
        [`--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--', process.execPath, ALBS_BIN, ...args],
        {
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, USER, LANG: 'C.UTF-8', ...env },
          extendEnv: false,
          reject: false,
          stdin: 'ignore',
          cwd: '/',
        },
      );
      return { exitCode: result.exitCode ?? -1, stdout: `${result.stdout}\n${result.stderr}` };
    },
  };
}

const local = countingServer('127.0.0.1');

describe.each([
  ['root', rootRunner],
  ['an unprivileged user', userRunner],
] as const)('a hostile package, albs run as %s', (_who, makeRunner) => {
  it.each(['rpm', 'deb'] as const)(
    '%s: finds no key, changes nothing outside its workspace, reaches no local port; its packages are signed and published',
    async (family) => {
      const runner = await makeRunner();
      const top = mkdtempSync(join(tmpdir(), 'albs-hostile-'));
      chmodSync(top, 0o755);
      const dir = join(top, 'package');
      const keys = join(top, 'keys');
      const before = local.connections;
      const pass = join(top, 'pass');
      writeFileSync(pass, 'hunter2\n');
      try {
        // The key: a file inside the repository for the first run, the environment for the second.
        const keygen = await albs([
          'keygen',
          '--name',
          'Hostile Test',
          '--email',
          'h@example.org',
          '--type',
          'ed25519',
          '--passphrase-file',
          pass,
          '--out',
          keys,
        ]);
        expect(keygen.exitCode, keygen.stderr).toBe(0);
        const secret = readFileSync(join(keys, 'signing-key.asc'), 'utf8');
        const fingerprint = (
          await execa('gpg', ['--show-keys', '--with-colons', join(keys, 'signing-key.pub.asc')])
        ).stdout
          .split('\n')
          .find((l) => l.startsWith('fpr:'))
          ?.split(':')[9];
        expect(fingerprint).toMatch(/^[0-9A-F]{40}$/);

        const out = join(dir, '.albs', 'out');
        const make = (release: number, keyFile: boolean) => {
          if (family === 'rpm') {
            mkdirSync(dir, { recursive: true });
            rpmPackage(dir, release);
          } else {
            debPackage(dir, release);
          }
          writeFileSync(
            join(dir, 'hostile.sh'),
            probe({
              out,
              home: runner.home,
              port: local.port,
              fingerprint: fingerprint ?? '',
              published: published(out),
            }),
          );
          rmSync(join(dir, 'secrets'), { recursive: true, force: true });
          if (keyFile) {
            mkdirSync(join(dir, 'secrets'), { recursive: true });
            writeFileSync(join(dir, 'secrets', 'release.asc'), secret);
          }
          chownTree(top, runner.uid, runner.gid);
        };

        make(1, true);
        const first = await runner.run([
          'run',
          dir,
          '--key',
          join(dir, 'secrets', 'release.asc'),
          '--passphrase-file',
          pass,
        ]);
        expect(first.exitCode, first.stdout).toBe(0);
        const firstLogs = allLogs(out);
        expect(firstLogs).not.toContain(FOUND);
        const places = family === 'rpm' ? ['srpm', 'build', 'run'] : ['tarball', 'build', 'run'];
        for (const where of places) expect(firstLogs).toContain(`${DONE}: ${where}`);
        const kept = published(out);
        expect(kept).toHaveLength(family === 'rpm' ? 1 : 2);
        const sums = kept.map(sha256);

        make(2, false);
        const second = await runner.run(['run', dir], {
          ALBS_SIGNING_KEY: secret,
          ALBS_KEY_PASSPHRASE: 'hunter2',
        });
        expect(second.exitCode, second.stdout).toBe(0);
        const secondLogs = allLogs(out);
        expect(secondLogs).not.toContain(FOUND);
        for (const where of places) expect(secondLogs).toContain(`${DONE}: ${where}`);

        // What the first run published is as it was, and the second run's packages are beside it.
        expect(kept.map(sha256)).toEqual(sums);
        expect(published(out).length).toBe(kept.length * 2);
        expect(existsSync(join(out, 'repos', 'albs-hostile'))).toBe(false);
        expect(existsSync(join(runner.home, 'albs-hostile-home'))).toBe(false);
        expect(local.connections).toBe(before);
        if (family === 'rpm') {
          for (const file of published(out)) {
            const verify = await albs(['verify', 'rpm', '--key', join(keys, 'signing-key.pub.asc'), file]);
            expect(verify.exitCode, verify.stdout).toBe(0);
          }
        } else {
          const release = readFileSync(
            join(out, 'repos', 'hostile', 'dists', 'hostile', 'InRelease'),
            'utf8',
          );
          expect(release).toContain('BEGIN PGP SIGNED MESSAGE');
        }
      } finally {
        rmSync(top, { recursive: true, force: true });
        rmSync(join(runner.home, 'albs-hostile-home'), { force: true });
      }
    },
    300_000,
  );
});

function chownTree(dir: string, uid: number, gid: number): void {
  if (uid === 0) return;
  chownSync(dir, uid, gid);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    chownSync(join(entry.parentPath, entry.name), uid, gid);
  }
}
