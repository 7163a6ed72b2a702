import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestJob, TestStep } from '../../src/plan/types.js';
import { copyTree, runnerOutputs } from '../copy-tree.js';
import { jobArch } from '../job-arch.js';
import { binaryPackages } from '../package-files.js';
import { cleanEnv, describeExit, ProcessStartError, runProcess } from '../process.js';
import { runShell } from '../run-shell.js';
import type { Step, StepContext } from '../types.js';
import { type DebTestInput, installDebsStep, lintianStep } from './test-deb.js';

/**
 * rpmlint findings that say nothing about a package when rpmlint runs on a Debian-like host:
 * - no-signature: packages are signed later, by the signer, after the tests;
 * - no-packager-tag, no-group-tag, no-buildroot-tag: Debian's rpmlint enables checks that RPM
 *   distributions' configurations turn off;
 * - invalid-license: Debian's rpmlint ships an empty list of valid licenses;
 * - manpage-not-compressed: Debian rpm's brp scripts do not compress man pages under /bin/sh;
 * - no-manual-page-for-binary: follows from the above (an uncompressed page is not recognised);
 * - unstripped-binary-or-object: Debian rpm strips only into debuginfo.
 */
export const DEBIAN_HOST_RPMLINT_NOISE = [
  'no-signature',
  'no-packager-tag',
  'no-group-tag',
  'no-buildroot-tag',
  'invalid-license',
  'manpage-not-compressed',
  'no-manual-page-for-binary',
  'unstripped-binary-or-object',
];

/** What every test step gets to work with. */
interface TestRun {
  context: StepContext;
  job: TestJob;
  /** Binary packages of the build (rpms, or debs for builder dpkg): installed, and named in ALBS_PACKAGES. */
  packages: string[];
  /** The same, one per line: ALBS_PACKAGES_FILE, for paths with spaces in them. */
  packagesFile: string;
  /**
   * The build's src.rpm (linted with the rpms: the spec's own findings come from it), or its
   * .changes and .dsc (lintian checks the source package through them).
   */
  sources: string[];
  arch: string;
  dist: string;
  /** A private directory for step `index`. */
  stepDir(index: number): Promise<string>;
  /** A copy of the package repository in the workspace, made for the first run: step. */
  repoCopy(): Promise<string>;
}

/**
 * The test job's step: runs the job's test steps in order on the packages of the build it needs;
 * the first failing step fails the job and is named in the reason. Each step has its own timeout.
 */
export const testStep: Step = async (context) => {
  const { job } = context;
  if (job.stage !== 'test') {
    throw new Error(
      `testStep was given the ${job.stage} job ${job.id}: the job runner must route jobs by stage`,
    );
  }
  const packages = context.inputs[job.build] ?? [];
  const deb = job.builder === 'dpkg';
  const binaries = binaryPackages(packages, deb ? 'deb' : 'rpm');
  if (binaries.length === 0) {
    return {
      state: 'failure',
      reason: `the build job ${job.build} handed over no ${deb ? '.deb' : 'binary rpm'} to test (got: ${packages.map((p) => basename(p)).join(', ') || 'nothing'}): check that build's log`,
    };
  }
  // ALBS_PACKAGES joins the paths with spaces, which a path may hold too; the file cannot be misread
  // but by a path with a newline in it.
  const packagesFile = join(context.workspace, 'packages.txt');
  await writeFile(packagesFile, binaries.map((p) => `${p}\n`).join(''));
  let copy: Promise<string> | undefined;
  const run: TestRun = {
    context,
    job,
    packages: binaries,
    packagesFile,
    sources: packages.filter((p) => (deb ? /\.(?:changes|dsc)$/.test(p) : p.endsWith('.src.rpm'))),
    arch: jobArch(context, deb ? 'deb' : 'rpm'),
    dist: typeof job.matrix.dist === 'string' ? job.matrix.dist : '',
    async stepDir(index) {
      const dir = join(context.workspace, 'steps', String(index + 1));
      await mkdir(dir, { recursive: true });
      return dir;
    },
    repoCopy() {
      copy ??= copyRepo(context);
      return copy;
    },
  };
  context.log.info(`testing ${binaries.map((p) => basename(p)).join(', ')}`);

  for (const [index, step] of job.steps.entries()) {
    context.log.info(`=== step ${index + 1}/${job.steps.length}: ${step.name} (${step.kind}) ===`);
    let failure: string | undefined;
    try {
      failure = await runTestStep(run, step, index);
    } catch (error) {
      if (!(error instanceof ProcessStartError)) throw error;
      failure = error.message;
    }
    if (failure !== undefined) {
      context.log.info(`step ${step.name}: failed: ${failure}`);
      return { state: 'failure', reason: `test step "${step.name}" (${step.kind}) failed: ${failure}` };
    }
    context.log.info(`step ${step.name}: passed`);
  }
  return { state: 'success' };
};

/** Runs one step; returns why it failed, or undefined. */
async function runTestStep(run: TestRun, step: TestStep, index: number): Promise<string | undefined> {
  const deb = run.job.builder === 'dpkg';
  switch (step.kind) {
    case 'rpmlint':
      if (deb) return 'rpmlint checks RPMs and this job built Debian packages: use lintian in .albs.yml';
      return rpmlint(run, step, index);
    case 'lintian':
      if (!deb) return 'lintian checks Debian packages and this job built RPMs: use rpmlint in .albs.yml';
      return lintianStep(await debInput(run, step, index), step.ignore);
    case 'install':
      if (deb) {
        if (step.repos.length > 0)
          run.context.log.info('install.repos are dnf baseurls: not used for debs, which dpkg-deb unpacks');
        return installDebsStep(await debInput(run, step, index));
      }
      return install(run, step, index);
    case 'run':
      return runCommand(run, step);
  }
}

async function debInput(run: TestRun, step: TestStep, index: number): Promise<DebTestInput> {
  return {
    context: run.context,
    debs: run.packages,
    sources: run.sources,
    dir: await run.stepDir(index),
    env: stepEnv(run, step),
    timeout: step.timeout * 1000,
  };
}

async function rpmlint(
  run: TestRun,
  step: Extract<TestStep, { kind: 'rpmlint' }>,
  index: number,
): Promise<string | undefined> {
  const { context } = run;
  const dir = await run.stepDir(index);
  const ignored = [...step.ignore];
  if (step.ignore.length > 0)
    context.log.info(`ignoring the rpmlint checks listed in rpmlint.ignore: ${step.ignore.join(', ')}`);
  if (!context.host.rpmDatabaseUsable) {
    ignored.push(...DEBIAN_HOST_RPMLINT_NOISE);
    context.log.info(
      `also ignoring, on this Debian-like host, checks that only report the host's rpm setup: ${DEBIAN_HOST_RPMLINT_NOISE.join(', ')}`,
    );
  }
  // rpmlint 2 takes filters from a TOML config (-c); a second -c would replace the first, so all
  // filters go into one file. Each matches only the check's name in a finding line, never a
  // word inside another check's details.
  const config = join(dir, 'rpmlint.toml');
  await writeFile(
    config,
    `Filters = [${[...new Set(ignored)].map((c) => JSON.stringify(checkFilter(c))).join(', ')}]\n`,
  );
  const timeout = step.timeout * 1000;
  const result = await runProcess('rpmlint', ['-c', config, ...run.packages, ...run.sources], {
    cwd: dir,
    env: stepEnv(run, step),
    log: context.log,
    signal: context.signal,
    sandbox: context.sandbox,
    timeout,
  });
  if (result.exitCode === 0) return undefined;
  // rpmlint 2: 64 when it reported errors, 66 when the findings' badness passed the threshold.
  if (result.exitCode === 64 || result.exitCode === 66) {
    return `rpmlint reported errors (exit ${result.exitCode}; its findings are in the log): fix them, or add the check names to rpmlint.ignore in .albs.yml`;
  }
  return describeExit('rpmlint', result, timeout);
}

/** A filter (a Python regex over "pkg.arch:LINE: E: check details") matching one check's findings. */
function checkFilter(check: string): string {
  return ` [EWI]: ${check.replace(/[^A-Za-z0-9_]/g, '\\$&')}(?: |$)`;
}

async function install(
  run: TestRun,
  step: Extract<TestStep, { kind: 'install' }>,
  index: number,
): Promise<string | undefined> {
  const { context } = run;
  const dir = await run.stepDir(index);
  const root = join(dir, 'root');
  await mkdir(root, { recursive: true });
  // The rpm database inside the root where an RPM distribution has it: Debian's rpm would put it
  // under $HOME/.rpmdb, and dnf and `rpm -qa` must agree on it. The step gets its own HOME for that.
  const home = join(dir, 'home');
  await mkdir(home, { recursive: true });
  await writeFile(join(home, '.rpmmacros'), '%_dbpath /var/lib/rpm\n');
  const env = { ...stepEnv(run, step), HOME: home };
  const timeout = step.timeout * 1000;
  const options = {
    cwd: dir,
    env,
    log: context.log,
    signal: context.signal,
    sandbox: context.sandbox,
    timeout,
  };

  let result: Awaited<ReturnType<typeof runProcess>>;
  let tool: string;
  if (step.repos.length > 0) {
    const reposDir = join(dir, 'repos.d');
    await mkdir(reposDir, { recursive: true });
    for (const [i, baseurl] of step.repos.entries()) {
      const repo = [
        `[albs-${i + 1}]`,
        `name=install.repos ${i + 1}`,
        `baseurl=${baseurl}`,
        'enabled=1',
        `gpgcheck=${step.gpgcheck ? 1 : 0}`,
        ...(step.gpgkeys.length > 0 ? [`gpgkey=${step.gpgkeys.join(' ')}`] : []),
        '',
      ];
      await writeFile(join(reposDir, `albs-${i + 1}.repo`), repo.join('\n'));
    }
    if (!step.gpgcheck) {
      context.log.info(
        'install.gpgcheck is false: the signatures of packages from install.repos are NOT checked',
      );
    }
    // An RPM host's dnf knows its own release; on a Debian-like host it cannot tell, so name one.
    const release =
      releaseVersion(run.dist) ?? (context.host.rpmDatabaseUsable ? undefined : await hostRelease());
    context.log.info(
      `installing into the fresh root ${root} with dnf, dependencies from install.repos: ${step.repos.join(', ')}`,
    );
    const downloads = join(dir, 'downloads');
    const dnf = (extra: string[], packages: string[]) => [
      '--installroot',
      root,
      ...(release ? ['--releasever', release] : []),
      `--setopt=reposdir=${reposDir}`,
      // Relative to the installroot: the metadata cache stays inside the fresh root.
      '--setopt=cachedir=/var/cache/dnf',
      '-y',
      ...extra,
      'install',
      ...packages,
    ];
    // Two runs, so that no scriptlet ever has network: the download (dnf's own code only) with
    // network where a repository or key is remote, then the install of what it fetched, offline.
    const urls = [...step.repos, ...step.gpgkeys];
    const local = urls.flatMap((url) => (url.startsWith('file://') ? [fileURLToPath(url)] : []));
    const remote = urls.some((url) => !url.startsWith('file://'));
    tool = 'dnf install --downloadonly';
    result = await runProcess('dnf', dnf(['--downloadonly', `--destdir=${downloads}`], run.packages), {
      ...options,
      asRoot: true,
      network: remote && context.sandbox !== null,
      readOnly: local,
    });
    if (result.exitCode === 0) {
      const fetched = (await readdir(downloads).catch(() => [] as string[]))
        .filter((f) => f.endsWith('.rpm'))
        .map((f) => join(downloads, f));
      tool = 'dnf install';
      // Everything is a file by now: no repository is read, and the sandbox has no network.
      result = await runProcess('dnf', dnf(['--disablerepo=*'], [...run.packages, ...fetched]), {
        ...options,
        asRoot: true,
        readOnly: local,
      });
    }
  } else {
    context.log.info(
      `installing into the fresh root ${root} with rpm -i --nodeps --noscripts: no install.repos are configured, so dependencies were NOT resolved and scriptlets NOT run (the root has no shell); list the distribution's repositories in install.repos to install with dnf`,
    );
    tool = 'rpm -i';
    result = await runProcess('rpm', ['--root', root, '-i', '--nodeps', '--noscripts', ...run.packages], {
      ...options,
      asRoot: true,
    });
  }
  if (result.exitCode !== 0) return `the packages did not install: ${describeExit(tool, result, timeout)}`;
  context.log.info(`installed; the root now holds:`);
  await runProcess('rpm', ['--root', root, '-qa'], { ...options, asRoot: true, timeout: 60_000 });
  return undefined;
}

async function runCommand(
  run: TestRun,
  step: Extract<TestStep, { kind: 'run' }>,
): Promise<string | undefined> {
  const { context } = run;
  const cwd = await run.repoCopy();
  return runShell(context, step.run, {
    cwd,
    env: stepEnv(run, step),
    network: step.network,
    timeoutMs: step.timeout * 1000,
  });
}

/** The job's env, the step's over it, then what albs tells every step (not overridable). */
function stepEnv(run: TestRun, step: TestStep): Record<string, string> {
  return cleanEnv(run.context.workspace, {
    ...run.job.env,
    ...step.env,
    ALBS_PACKAGES: run.packages.join(' '),
    ALBS_PACKAGES_FILE: run.packagesFile,
    ALBS_ARCH: run.arch,
    ALBS_DIST: run.dist,
    ALBS_WORKSPACE: run.context.workspace,
  });
}

/** almalinux-9 → 9, fedora-40 → 40, rhel-9.4 → 9.4; undefined when the dist names no version. */
export function releaseVersion(dist: string): string | undefined {
  return /-(\d+(?:\.\d+)?)$/.exec(dist)?.[1];
}

/** This host's VERSION_ID, for a dnf that cannot detect a release (Debian 12 → 12). */
async function hostRelease(): Promise<string | undefined> {
  const text = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return /^VERSION_ID="?([^"\n]+)"?$/m.exec(text)?.[1];
}

/**
 * Copies the package repository into the workspace for run: steps, which may write where they
 * run; without the runner's output, or the copy would copy itself and other jobs' files.
 */
async function copyRepo(context: StepContext): Promise<string> {
  const dest = join(context.workspace, 'src');
  await copyTree(context.repoDir, dest, { leaveOut: await runnerOutputs(context) });
  return dest;
}
