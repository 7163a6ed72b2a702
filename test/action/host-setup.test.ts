import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allowUserNamespaces, ensureTools, HostSetupError } from '../../src/action/host-setup.js';
import { Workflow } from '../../src/action/workflow-commands.js';

/**
 * What the action does to a runner before the pipeline, with the commands it runs replaced by
 * scripts that record their arguments: a test must not change this machine's sysctls or packages.
 */
function capture(): { workflow: Workflow; text: () => string } {
  const written: string[] = [];
  return { workflow: new Workflow((t) => written.push(t), {}), text: () => written.join('') };
}

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

/** A directory with an executable `name` that appends its arguments to `log` and exits `code`. */
function fakeCommand(name: string, code: number): { dir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'albs-action-fake-'));
  const log = join(dir, 'calls');
  writeFileSync(log, '');
  writeFileSync(
    join(dir, name),
    `#!/bin/sh\necho "$*" >> '${log}'\necho "fake ${name} says hello"\nexit ${code}\n`,
    {
      mode: 0o755,
    },
  );
  return { dir, log };
}

describe("Ubuntu's restriction of unprivileged user namespaces", () => {
  it('lifted with sudo when the sysctl is 1 and the action is not root, in a group that says why and how long it took', async () => {
    const sysctl = join(mkdtempSync(join(tmpdir(), 'albs-action-sysctl-')), 'restrict');
    writeFileSync(sysctl, '1\n');
    const sudo = fakeCommand('sudo', 0);
    process.env.PATH = `${sudo.dir}:${savedPath}`;
    const { workflow, text } = capture();
    await allowUserNamespaces(workflow, 1001, sysctl);
    expect(readFileSync(sudo.log, 'utf8')).toBe(
      '-n sysctl -w kernel.apparmor_restrict_unprivileged_userns=0\n',
    );
    const lines = text().split('\n');
    expect(lines[0]).toMatch(
      /^::group::Allowing unprivileged user namespaces for the bubblewrap sandbox: Ubuntu's AppArmor restricts them/,
    );
    expect(lines).toContain('+ sudo -n sysctl -w kernel.apparmor_restrict_unprivileged_userns=0');
    expect(text()).toMatch(/\ntook [0-9.]+ s\n::endgroup::\n$/);
  });

  it('left alone where it is 0, where there is no such sysctl, and for root', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'albs-action-sysctl-'));
    writeFileSync(join(dir, 'zero'), '0\n');
    writeFileSync(join(dir, 'one'), '1\n');
    const sudo = fakeCommand('sudo', 0);
    process.env.PATH = `${sudo.dir}:${savedPath}`;
    const { workflow, text } = capture();
    await allowUserNamespaces(workflow, 1001, join(dir, 'zero'));
    await allowUserNamespaces(workflow, 1001, join(dir, 'absent'));
    await allowUserNamespaces(workflow, 0, join(dir, 'one'));
    expect(text()).toBe('');
    expect(readFileSync(sudo.log, 'utf8')).toBe('');
  });

  it('a sudo that refuses fails the step with the command to run by hand', async () => {
    const sysctl = join(mkdtempSync(join(tmpdir(), 'albs-action-sysctl-')), 'restrict');
    writeFileSync(sysctl, '1\n');
    process.env.PATH = `${fakeCommand('sudo', 1).dir}:${savedPath}`;
    const { workflow } = capture();
    const failed = allowUserNamespaces(workflow, 1001, sysctl);
    await expect(failed).rejects.toThrow(HostSetupError);
    await expect(failed).rejects.toThrow(/sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0/);
  });
});

describe("the tools, with the project's own scripts/setup", () => {
  function actionRoot(script: string): string {
    const root = mkdtempSync(join(tmpdir(), 'albs-action-root-'));
    mkdirSync(join(root, 'scripts'));
    writeFileSync(join(root, 'scripts', 'setup'), script, { mode: 0o755 });
    return root;
  }

  it('all there: one line, nothing installed', async () => {
    const root = actionRoot(
      '#!/bin/bash\n[[ $1 == --check ]] && { echo "scripts/setup: all 36 required tools are installed"; exit 0; }\nexit 9\n',
    );
    const { workflow, text } = capture();
    await ensureTools(root, workflow, 0);
    expect(text()).toBe('albs-ci: scripts/setup: all 36 required tools are installed\n');
  });

  it('some missing: scripts/setup installs them (with sudo -n when not root), in a group that says how long it took', async () => {
    const calls = join(mkdtempSync(join(tmpdir(), 'albs-action-calls-')), 'calls');
    const root = actionRoot(
      `#!/bin/bash\necho "setup $*" >> '${calls}'\n[[ $1 == --check ]] && { echo "missing 2 of 36 required tools: bwrap rpmbuild"; exit 1; }\necho "scripts/setup: done"\n`,
    );
    const sudo = fakeCommand('sudo', 0);
    process.env.PATH = `${sudo.dir}:${savedPath}`;
    const { workflow, text } = capture();
    await ensureTools(root, workflow, 0);
    expect(readFileSync(calls, 'utf8')).toBe('setup --check\nsetup \n');
    expect(text()).toMatch(/^::group::Installing albs-ci's tools with scripts\/setup \(some are missing\)\n/);
    expect(text()).toContain('missing 2 of 36 required tools: bwrap rpmbuild');
    expect(text()).toMatch(/scripts\/setup exited 0 after [0-9.]+ s\n::endgroup::\n$/);

    await ensureTools(root, workflow, 1001);
    expect(readFileSync(sudo.log, 'utf8')).toBe(`-n bash ${join(root, 'scripts', 'setup')}\n`);
  });
});
