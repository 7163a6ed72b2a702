/**
 * Makes a GitHub-hosted runner (ubuntu-latest) able to run the pipeline: the system tools, with
 * the project's own scripts/setup, and bubblewrap's unprivileged user namespaces, which Ubuntu's
 * AppArmor restricts. Each change is made only when needed, in a log group that says what and how
 * long it took. The sandbox itself is never turned off.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { duration } from './job-summary.js';
import type { Workflow } from './workflow-commands.js';

/** Ubuntu 23.10 and later: 1 keeps unprivileged processes from making user namespaces. */
export const USERNS_SYSCTL = '/proc/sys/kernel/apparmor_restrict_unprivileged_userns';

export class HostSetupError extends Error {
  override name = 'HostSetupError';
}

interface Ran {
  code: number;
  output: string;
}

/** Runs a command, its output shown as it comes (inside the caller's group) and kept. */
function run(file: string, args: string[], workflow: Workflow, show: boolean): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      if (show) workflow.untrusted(text);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => resolve({ code: 127, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function asRoot(euid: number, file: string, args: string[]): [string, string[]] {
  return euid === 0 ? [file, args] : ['sudo', ['-n', file, ...args]];
}

/** scripts/setup --check; when something is missing, scripts/setup as root (sudo -n on a runner). */
export async function ensureTools(actionRoot: string, workflow: Workflow, euid: number): Promise<void> {
  const script = join(actionRoot, 'scripts', 'setup');
  const check = await run('bash', [script, '--check'], workflow, false);
  if (check.code === 0) {
    workflow.line(`albs-ci: ${check.output.trim().split('\n').pop()}`);
    return;
  }
  workflow.group("Installing albs-ci's tools with scripts/setup (some are missing)");
  const started = performance.now();
  workflow.untrusted(check.output);
  const [file, args] = asRoot(euid, 'bash', [script]);
  const install = await run(file, args, workflow, true);
  workflow.line(`scripts/setup exited ${install.code} after ${duration(performance.now() - started)}`);
  workflow.endGroup();
  if (install.code !== 0) {
    throw new HostSetupError(
      `scripts/setup could not install the tools albs-ci needs (exit ${install.code}; its output is in the log group above): run the job on ubuntu-latest, where sudo needs no password, or install them in an earlier step`,
    );
  }
}

/** Whether this host restricts unprivileged user namespaces, which bubblewrap needs when not root. */
export function usernsRestricted(euid: number, sysctlFile = USERNS_SYSCTL): boolean {
  if (euid === 0) return false; // root builds drop to a build uid without a user namespace
  try {
    return readFileSync(sysctlFile, 'utf8').trim() === '1';
  } catch {
    return false; // no such knob: not Ubuntu's AppArmor
  }
}

/**
 * kernel.apparmor_restrict_unprivileged_userns=0 with sudo, when it is 1 and this is not root:
 * GitHub's Ubuntu runners allow it, and bubblewrap cannot make its sandbox without it.
 */
export async function allowUserNamespaces(workflow: Workflow, euid: number, sysctlFile = USERNS_SYSCTL) {
  if (!usernsRestricted(euid, sysctlFile)) return;
  workflow.group(
    "Allowing unprivileged user namespaces for the bubblewrap sandbox: Ubuntu's AppArmor restricts them (kernel.apparmor_restrict_unprivileged_userns=1)",
  );
  const started = performance.now();
  workflow.line('+ sudo -n sysctl -w kernel.apparmor_restrict_unprivileged_userns=0');
  const done = await run(
    'sudo',
    ['-n', 'sysctl', '-w', 'kernel.apparmor_restrict_unprivileged_userns=0'],
    workflow,
    true,
  );
  workflow.line(`took ${duration(performance.now() - started)}`);
  workflow.endGroup();
  if (done.code !== 0) {
    throw new HostSetupError(
      `bubblewrap needs unprivileged user namespaces, which this host's AppArmor restricts, and sudo could not lift that (exit ${done.code}): on a self-hosted runner run \`sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0\` once (or run the job as root)`,
    );
  }
}
