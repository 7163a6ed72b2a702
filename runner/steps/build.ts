import { copyFile, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import type { BuildJob } from '../../src/plan/types.js';
import { SourceError } from '../../src/sources/errors.js';
import { jobArch } from '../job-arch.js';
import { cleanEnv, describeExit, onPath, ProcessStartError, runProcess } from '../process.js';
import { rpmDefine } from '../rpm-define.js';
import { readSrpmArches, type SrpmArches } from '../srpm-arches.js';
import type { Step, StepContext, StepResult } from '../types.js';
import { dpkgBuild } from './build-deb.js';
import { macroArgs, sourceSrpm } from './source.js';

export const MOCK_MISSING =
  'mock is not installed on this runner; install it (scripts/setup on an RPM host) or use builder: rpmbuild';

/**
 * The build job's step: the src.rpm (made or downloaded), the ExcludeArch / ExclusiveArch check,
 * then `rpmbuild --rebuild` or `mock --rebuild`. The src.rpm and every built rpm are copied into
 * the job's artifacts, after a failure too, so that a failed build can be looked at.
 */
export const buildStep: Step = async (context) => {
  const { job } = context;
  if (job.stage !== 'build') {
    throw new Error(
      `buildStep was given the ${job.stage} job ${job.id}: the job runner must route jobs by stage`,
    );
  }
  if (job.builder === 'dpkg') return dpkgBuild(context, job);

  const env = cleanEnv(context.workspace, job.env);
  // Before the download or the src.rpm build: a runner without mock cannot do anything useful.
  if (job.builder === 'mock' && !onPath('mock', env.PATH ?? ''))
    return { state: 'failure', reason: MOCK_MISSING };

  if (job.builder === 'rpmbuild' && job.source.srpm === undefined) await logDistTag(context, job);
  const source = await sourceSrpm(context, job, env);
  if ('failure' in source) return { state: 'failure', reason: source.failure };
  const { srpm } = source;
  await copyFile(srpm, join(context.artifacts, basename(srpm)));

  let arches: SrpmArches;
  try {
    arches = await readSrpmArches(srpm);
  } catch (error) {
    if (error instanceof SourceError) return { state: 'failure', reason: error.message };
    throw error;
  }
  const arch = jobArch(context, 'rpm');
  const excluded = exclusion(arches, arch, job.builder === 'rpmbuild' ? context.host.rpmArch : arch);
  if (excluded) {
    context.log.info(`not building: ${excluded}`);
    return { state: 'excluded', reason: excluded };
  }

  try {
    if (job.builder === 'mock') return await mockBuild(context, job, srpm, env);
    return await rpmbuildRebuild(context, job, srpm, env, arch, arches.noarch);
  } catch (error) {
    if (error instanceof ProcessStartError) return { state: 'failure', reason: error.message };
    throw error;
  }
};

async function rpmbuildRebuild(
  context: StepContext,
  job: BuildJob,
  srpm: string,
  env: Record<string, string>,
  jobArch: string,
  noarch: boolean,
): Promise<StepResult> {
  const hostArch = context.host.rpmArch;
  // rpmbuild --target FOREIGN compiles host code and labels it FOREIGN: never do that.
  if (!noarch && jobArch !== hostArch && jobArch !== 'noarch') {
    return {
      state: 'failure',
      reason:
        `this job is for ${jobArch} but this runner is ${hostArch}, and rpmbuild builds only for the arch it runs on ` +
        `(--target ${jobArch} would label ${hostArch} code as ${jobArch}): run the job on a ${jobArch} runner (runs-on) or use builder: mock`,
    };
  }
  const topdir = join(context.workspace, 'rpmbuild');
  // rpm writes its %prep/%build scripts to _tmppath (/var/tmp): keep them in the workspace too.
  const args = [
    '--rebuild',
    ...rpmDefine('_topdir', topdir),
    ...rpmDefine('_tmppath', env.TMPDIR || join(context.workspace, 'tmp')),
    ...macroArgs(job),
  ];
  if (!context.host.rpmDatabaseUsable) {
    args.push('--nodeps');
    context.log.info(
      "building with --nodeps: this host's rpm database cannot answer BuildRequires (a Debian-like host), so they were NOT checked; build on an RPM host or with builder: mock to check them",
    );
  }
  args.push(srpm);
  const timeout = job.timeout * 1000;
  try {
    const result = await runProcess('rpmbuild', args, {
      cwd: context.workspace,
      env,
      log: context.log,
      signal: context.signal,
      sandbox: context.sandbox,
      network: job.network,
      timeout,
    });
    if (result.exitCode !== 0) {
      return {
        state: 'failure',
        reason: `build failed: ${describeExit('rpmbuild --rebuild', result, timeout)} (the log has its output)`,
      };
    }
    return { state: 'success' };
  } finally {
    await keepRpms(context, join(topdir, 'RPMS'));
  }
}

async function mockBuild(
  context: StepContext,
  job: BuildJob,
  srpm: string,
  env: Record<string, string>,
): Promise<StepResult> {
  if (!job.mock) {
    return {
      state: 'failure',
      reason: `job ${job.id} uses builder: mock but names no mock config: set build.mock.config in .albs.yml (default <dist>-<arch> needs matrix keys dist and arch)`,
    };
  }
  const resultDir = join(context.workspace, 'result');
  const timeout = job.timeout * 1000;
  try {
    const result = await runProcess(
      'mock',
      [
        '-r',
        job.mock.config,
        ...macroArgs(job),
        '--rebuild',
        srpm,
        '--resultdir',
        resultDir,
        ...job.mock.options,
      ],
      { cwd: context.workspace, env, log: context.log, signal: context.signal, timeout, sandbox: null },
    );
    if (result.exitCode !== 0) {
      // mock writes the build's own output to files in the result dir, not to its stdout.
      await logFiles(context, resultDir, ['build.log', 'root.log']);
      return {
        state: 'failure',
        reason: `build failed: ${describeExit('mock --rebuild', result, timeout)} (the log has its output)`,
      };
    }
    return { state: 'success' };
  } finally {
    // mock puts its own copy of the src.rpm there too; the job already keeps the one it built from.
    await keepRpms(context, resultDir, (name) => !name.endsWith('.src.rpm'));
  }
}

/**
 * Says where the packages' dist tag comes from: build.macros.dist, this host's rpm macros (an
 * AlmaLinux host has %dist .el9), or nowhere, when the packages carry none.
 */
async function logDistTag(context: StepContext, job: BuildJob): Promise<void> {
  const dist = job.macros.dist;
  if (dist !== undefined) {
    context.log.info(`dist tag: ${dist === '' ? 'none' : `"${dist}"`} (build.macros.dist)`);
    return;
  }
  // With the build's environment: a ~/.rpmmacros of whoever runs albs does not reach the build.
  const host = await execa('rpm', ['--eval', '%{?dist}'], {
    reject: false,
    stdin: 'ignore',
    env: cleanEnv(context.workspace, {}),
    extendEnv: false,
  });
  const hostDist = host.exitCode === 0 ? String(host.stdout).trim() : '';
  context.log.info(
    hostDist
      ? `dist tag: "${hostDist}", from this host's rpm macros (build.macros.dist is not set)`
      : 'the packages carry no dist tag: build.macros.dist is not set and this host defines no %dist; set build.macros.dist (e.g. ".el9") for packages named like a distribution\'s',
  );
}

/** Copies every *.rpm under `dir` (any depth) into the job's artifacts; a missing dir is no rpm. */
async function keepRpms(context: StepContext, dir: string, keep: (name: string) => boolean = () => true) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const rpms = entries.filter((e) => e.isFile() && e.name.endsWith('.rpm') && keep(e.name));
  for (const e of rpms) await copyFile(join(e.parentPath, e.name), join(context.artifacts, e.name));
  if (rpms.length > 0) context.log.info(`kept ${rpms.map((e) => e.name).join(', ')}`);
}

async function logFiles(context: StepContext, dir: string, names: string[]): Promise<void> {
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    context.log.info(`--- ${join(dir, name)} ---`);
    context.log.output(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/**
 * Why the package cannot be built for `jobArch`, or undefined. A noarch package is not tied to the
 * job's arch, but rpm still checks ExcludeArch / ExclusiveArch against the machine that builds
 * it (`builderArch`: the host for rpmbuild, the chroot's arch for mock).
 */
export function exclusion(arches: SrpmArches, jobArch: string, builderArch: string): string | undefined {
  const arch = arches.noarch ? builderArch : jobArch;
  const what = arches.noarch
    ? `the noarch package ${arches.name} (built on ${arch})`
    : `${arches.name} on ${arch}`;
  if (arches.excludeArch.includes(arch)) {
    return `ExcludeArch: ${arches.excludeArch.join(' ')} rules out ${what}`;
  }
  if (arches.exclusiveArch.length > 0 && !arches.exclusiveArch.includes(arch)) {
    return `ExclusiveArch: ${arches.exclusiveArch.join(' ')} does not include ${arch}, so ${what} is not built`;
  }
  return undefined;
}
