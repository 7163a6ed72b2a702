import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { execa } from 'execa';
import type { BuildJob } from '../../src/plan/types.js';
import {
  archListMatches,
  type DebianVersion,
  field,
  fileVersion,
  parseChangelogHead,
  parseDeb822,
  parseDsc,
} from '../../src/sources/debian-control.js';
import { SourceError } from '../../src/sources/errors.js';
import { fetchDsc } from '../../src/sources/fetch-dsc.js';
import { insideDir } from '../../src/sources/inside-dir.js';
import { copyTree, runnerOutputs } from '../copy-tree.js';
import { jobArch } from '../job-arch.js';
import { cleanEnv, describeExit, onPath, ProcessStartError, runProcess } from '../process.js';
import { runShell } from '../run-shell.js';
import type { StepContext, StepResult } from '../types.js';
import { handOverWorkspace, missingChrootHint, sbuildCommand, sbuildDist, sbuildUser } from './sbuild.js';
import { packageSourceDir } from './source.js';

export const SBUILD_MISSING =
  'build.dpkg.sbuild is true but sbuild is not installed on this runner: scripts/setup --with-optional installs it and makes its chroot, or remove build.dpkg.sbuild to build with dpkg-buildpackage on the runner';

/** Compressions dpkg-source accepts for an upstream tarball. */
const ORIG_EXTENSIONS = ['gz', 'xz', 'bz2', 'lzma'] as const;
/** An upstream tarball by its conventional name: never part of the source tree that is built. */
const ORIG_TARBALL = /\.orig(?:-[A-Za-z0-9][A-Za-z0-9-]*)?\.tar\.(?:gz|xz|bz2|lzma)$/;
/** What a Debian build leaves that is worth keeping: source package, binaries, .changes, .buildinfo. */
const DEBIAN_RESULT = /\.(?:deb|udeb|ddeb|dsc|changes|buildinfo|diff\.gz)$|\.tar\.(?:gz|xz|bz2|lzma)$/;

/** The source tree ready to build, and what it is. */
interface PreparedSource {
  /** buildDir/<source>-<upstream version>. */
  tree: string;
  source: string;
  version: string;
  parsed: DebianVersion;
  /** The downloaded .dsc when the source came as one (source.dsc): only binaries are built then. */
  dsc?: string;
}

/**
 * The build job's step for `builder: dpkg`: the source tree (a copy of the repository's debian/
 * package with its upstream tarball beside it, or a checked .dsc unpacked with dpkg-source -x), the
 * arch check against debian/control, then `dpkg-buildpackage -us -uc` after dpkg-checkbuilddeps, or
 * `sbuild` in a chroot. Source package, debs, .changes and .buildinfo go into the job's artifacts,
 * after a failure too.
 */
export async function dpkgBuild(context: StepContext, job: BuildJob): Promise<StepResult> {
  const dpkg = job.dpkg ?? { sbuild: false, dist: null, options: [] };
  const env = cleanEnv(context.workspace, job.env);
  // Before any download or copy: a runner without sbuild can do nothing useful for this job.
  if (dpkg.sbuild && !onPath('sbuild', env.PATH ?? '')) return { state: 'failure', reason: SBUILD_MISSING };
  const buildDir = join(context.workspace, 'build');
  const sbuildDir = join(context.workspace, 'sbuild');
  await mkdir(buildDir, { recursive: true });
  try {
    const source =
      job.source.dsc !== undefined
        ? await unpackDsc(context, job, buildDir, env)
        : await prepareDebianDir(context, job, buildDir, env);
    const plan = await archPlan(context, source, dpkg.sbuild);
    if ('excluded' in plan) {
      context.log.info(`not building: ${plan.excluded}`);
      return { state: 'excluded', reason: plan.excluded };
    }
    if ('failure' in plan) return { state: 'failure', reason: plan.failure };
    const timeout = job.timeout * 1000;
    const run = (file: string, args: string[], cwd: string) =>
      runProcess(file, args, {
        cwd,
        env,
        log: context.log,
        signal: context.signal,
        sandbox: context.sandbox,
        network: job.network,
        timeout,
      });

    if (dpkg.sbuild) {
      const target = await sbuildDist(dpkg.dist, source.tree);
      if ('failure' in target) return { state: 'failure', reason: target.failure };
      const user = await sbuildUser();
      if ('failure' in user) return { state: 'failure', reason: user.failure };
      const dsc = source.dsc ?? (await buildSourcePackage(context, source, buildDir, env));
      await mkdir(sbuildDir, { recursive: true });
      // Options come after ours: a --chroot-mode there (schroot on a runner set up for it) wins.
      const args = [
        '--chroot-mode=unshare',
        '--nolog',
        '--no-run-lintian',
        `--arch=${plan.arch}`,
        `--dist=${target.dist}`,
        '--arch-all',
        ...(plan.indepOnly ? ['--no-arch-any'] : []),
        `--build-dir=${sbuildDir}`,
        ...dpkg.options,
        dsc,
      ];
      const unreachable = await handOverWorkspace(user, context.workspace);
      if (unreachable !== undefined) return { state: 'failure', reason: unreachable };
      context.log.info(
        `building ${basename(dsc)} with sbuild in a chroot for ${target.dist}${user.self ? '' : ` as ${user.name} (albs runs as root, where sbuild's unshare mode cannot build)`}: sbuild installs the build dependencies there`,
      );
      const command = sbuildCommand(user, args);
      // Not in the job's sandbox: sbuild makes its own (see sbuild.ts). Its chroots are where
      // sbuild looks for them, in the cache of the user running it, not in the workspace's HOME.
      const result = await runProcess(command.file, command.args, {
        cwd: buildDir,
        env: { ...env, XDG_CACHE_HOME: user.cacheDir },
        log: context.log,
        signal: context.signal,
        sandbox: null,
        timeout,
      });
      if (result.exitCode !== 0) {
        const chroot = dpkg.options.some((o) => /^(?:--chroot|-c)/.test(o))
          ? undefined
          : await missingChrootHint(user, target.dist, plan.arch);
        return {
          state: 'failure',
          reason: `build failed: ${describeExit('sbuild', result, timeout)} (the log has its output)${chroot ? `; ${chroot}` : ''}`,
        };
      }
      return { state: 'success' };
    }

    const missing = await checkBuildDeps(context, source.tree, env, plan.indepOnly, dpkg.options);
    if (missing) return { state: 'failure', reason: missing };
    // From a .dsc the source package is the one downloaded: build the binaries only.
    const build = source.dsc ? (plan.indepOnly ? 'all' : 'binary') : plan.indepOnly ? 'source,all' : 'full';
    const result = await run(
      'dpkg-buildpackage',
      ['-us', '-uc', `--build=${build}`, ...dpkg.options],
      source.tree,
    );
    if (result.exitCode !== 0) {
      return {
        state: 'failure',
        reason: `build failed: ${describeExit('dpkg-buildpackage', result, timeout)} (the log has its output)`,
      };
    }
    return { state: 'success' };
  } catch (error) {
    if (error instanceof SourceError || error instanceof ProcessStartError)
      return { state: 'failure', reason: error.message };
    throw error;
  } finally {
    await keepResults(context, [buildDir, sbuildDir]);
  }
}

/**
 * Copies the Debian build's results (top level of each dir only) into the job's artifacts, and
 * with each .dsc every file it lists, whatever its name (an upstream signature .orig.tar.gz.asc, a
 * component tarball): dpkg-source and lintian refuse a .dsc whose files are not beside it.
 */
async function keepResults(context: StepContext, dirs: string[]): Promise<void> {
  const kept: string[] = [];
  for (const dir of dirs) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const results = entries.filter((e) => e.isFile() && DEBIAN_RESULT.test(e.name)).map((e) => e.name);
    const listed = new Map<string, string>();
    for (const dsc of results.filter((name) => name.endsWith('.dsc'))) {
      for (const name of await dscFileNames(context, join(dir, dsc))) listed.set(name, dsc);
    }
    for (const name of new Set([...results, ...listed.keys()])) {
      const copied = await copyFile(join(dir, name), join(context.artifacts, name)).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT' || results.includes(name)) throw error;
          context.log.info(`${listed.get(name)} lists ${name}, which is not in ${dir}: not kept`);
          return false;
        },
      );
      if (copied) kept.push(name);
    }
  }
  if (kept.length > 0) context.log.info(`kept ${kept.join(', ')}`);
}

/** The files a .dsc lists; none, said in the log, when it cannot be read as one. */
async function dscFileNames(context: StepContext, dsc: string): Promise<string[]> {
  try {
    return parseDsc(await readFile(dsc, 'utf8'), basename(dsc)).files.map((f) => f.name);
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    context.log.info(`keeping ${basename(dsc)} without the files it lists: ${error.message}`);
    return [];
  }
}

async function unpackDsc(
  context: StepContext,
  job: BuildJob,
  buildDir: string,
  env: Record<string, string>,
): Promise<PreparedSource> {
  const { dsc: url, sha256 } = job.source;
  if (url === undefined) throw new Error('unpackDsc needs source.dsc');
  if (sha256 === undefined) {
    throw new SourceError(
      `source.dsc ${url} has no source.sha256: add the .dsc's SHA-256 (sha256sum FILE) to .albs.yml, since an unchecked download is never built`,
    );
  }
  const fetched = await fetchDsc({
    url,
    sha256,
    destDir: buildDir,
    signal: context.signal,
    log: (line) => context.log.info(line),
  });
  const { source, version, parsed } = fetched.parsed;
  const tree = join(buildDir, `${source}-${parsed.upstream}`);
  // The digests were checked above; dpkg-source checks them again and says when the .dsc's
  // signature cannot be verified here, which is fine: source.sha256 is what vouches for it.
  await dpkgSource(
    context,
    ['-x', fetched.dsc, tree],
    buildDir,
    env,
    `unpack ${basename(fetched.dsc)}`,
    '; check source.dsc',
  );
  return { tree, source, version, parsed, dsc: fetched.dsc };
}

/**
 * Copies the package source (the repository, or source.dir) to buildDir/<source>-<upstream>, and
 * puts the upstream tarball beside it when the format needs one. The copy leaves out albs' own
 * output directories and upstream tarballs; it keeps .git, which dpkg-source ignores and a
 * tarball-command may use.
 */
async function prepareDebianDir(
  context: StepContext,
  job: BuildJob,
  buildDir: string,
  env: Record<string, string>,
): Promise<PreparedSource> {
  const root = resolve(context.repoDir);
  const base = packageSourceDir(root, job.source.dir);
  const changelogPath = join(base, 'debian', 'changelog');
  const changelog = await readFile(changelogPath, 'utf8').catch(() => undefined);
  const control = await readFile(join(base, 'debian', 'control'), 'utf8').catch(() => undefined);
  if (changelog === undefined || control === undefined) {
    throw new SourceError(
      `builder dpkg needs a debian/ directory with changelog and control at ${base}, and found ${changelog === undefined ? 'no debian/changelog' : 'no debian/control'}: add the Debian packaging, set source.dir to where it is, or use source.dsc`,
    );
  }
  const head = parseChangelogHead(changelog, relative(root, changelogPath));
  const format = (await readFile(join(base, 'debian', 'source', 'format'), 'utf8').catch(() => '1.0')).trim();
  const tarball =
    job.source.tarball === undefined ? undefined : insideRepo(root, resolve(base, job.source.tarball));
  const tree = join(buildDir, `${head.source}-${head.parsed.upstream}`);
  context.log.info(
    `building ${head.source} ${head.version} (debian/source/format ${format}) from ${relative(root, base) || 'the top of the repository'}`,
  );
  // Left out: the runner's output and a top-level .albs (both may be in the repository), the
  // upstream tarballs at the top and the configured one, which go beside the tree, not in it.
  await copyTree(base, tree, {
    leaveOut: [...(await runnerOutputs(context)), join(base, '.albs'), ...(tarball ? [tarball] : [])],
    leaveOutAtTop: ORIG_TARBALL,
  });
  await provideUpstreamTarball(context, job, { base, tree, buildDir, env, head, format, tarball });
  return { tree, source: head.source, version: head.version, parsed: head.parsed };
}

function insideRepo(root: string, path: string): string {
  if (!insideDir(root, path)) {
    throw new SourceError(
      `source.tarball resolves to ${path}, outside the package repository ${root}: name a file inside it, relative to its top (or to source.dir)`,
    );
  }
  return path;
}

interface TarballPlace {
  base: string;
  tree: string;
  buildDir: string;
  env: Record<string, string>;
  head: { source: string; version: string; parsed: DebianVersion };
  format: string;
  tarball: string | undefined;
}

/**
 * Puts SOURCE_UPSTREAM.orig.tar.EXT beside the tree for `3.0 (quilt)` (required) and `1.0` (used
 * when there is one): from source.tarball, from source.tarball-command, or found beside debian/.
 */
async function provideUpstreamTarball(context: StepContext, job: BuildJob, at: TarballPlace): Promise<void> {
  const { head, format, buildDir } = at;
  const required = format === '3.0 (quilt)';
  const configured = job.source.tarball ?? job.source.tarballCommand;
  if (!required && format !== '1.0') {
    if (configured !== undefined) {
      context.log.info(
        `ignoring source.${job.source.tarball !== undefined ? 'tarball' : 'tarball-command'}: debian/source/format ${format} takes no upstream tarball`,
      );
    }
    return;
  }
  const stem = `${head.source}_${head.parsed.upstream}.orig.tar`;
  const into = (ext: string) => join(buildDir, `${stem}.${ext}`);

  if (at.tarball !== undefined) {
    const ext = /\.tar\.(gz|xz|bz2|lzma)$/.exec(at.tarball)?.[1];
    if (ext === undefined) {
      throw new SourceError(
        `source.tarball ${job.source.tarball} is not a .tar.gz, .tar.xz, .tar.bz2 or .tar.lzma, the compressions dpkg-source takes: recompress it`,
      );
    }
    await copyFile(at.tarball, into(ext)).catch((error: NodeJS.ErrnoException) => {
      throw new SourceError(
        `source.tarball ${job.source.tarball} cannot be read (${error.code ?? error.message}): check the path, relative to the repository (or source.dir)`,
      );
    });
    context.log.info(`upstream tarball: ${job.source.tarball}, used as ${basename(into(ext))}`);
    return;
  }

  if (job.source.tarballCommand !== undefined) {
    context.log.info(`making the upstream tarball ${stem}.gz with source.tarball-command`);
    const failed = await runShell(context, job.source.tarballCommand, {
      cwd: at.tree,
      env: {
        ...at.env,
        ALBS_TARBALL: into('gz'),
        ALBS_SOURCE_PACKAGE: head.source,
        ALBS_UPSTREAM_VERSION: head.parsed.upstream,
      },
      network: job.network,
      timeoutMs: job.timeout * 1000,
    });
    if (failed !== undefined) {
      throw new SourceError(`source.tarball-command failed: ${failed} (the log has its output)`);
    }
    const made = await origTarballs(buildDir, stem);
    if (made.length !== 1) {
      throw new SourceError(
        `source.tarball-command succeeded but left ${made.length === 0 ? `no ${stem}.gz` : `${made.length} tarballs (${made.join(', ')})`} in ${buildDir}: it must write the tarball to $ALBS_TARBALL`,
      );
    }
    return;
  }

  const found = await origTarballs(at.base, stem);
  if (found.length > 1) {
    throw new SourceError(
      `${at.base} holds ${found.length} upstream tarballs (${found.join(', ')}); keep one, or name it in source.tarball`,
    );
  }
  const [name] = found;
  if (name !== undefined) {
    await copyFile(join(at.base, name), join(buildDir, name));
    context.log.info(`upstream tarball: ${name}, found beside debian/`);
    return;
  }
  if (required) {
    throw new SourceError(
      `debian/source/format is 3.0 (quilt), which needs the upstream tarball ${stem}.{${ORIG_EXTENSIONS.join(',')}}, and there is none beside debian/ in ${at.base}: add it there, name it in source.tarball, make it with source.tarball-command, or use format 3.0 (native)`,
    );
  }
}

async function origTarballs(dir: string, stem: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => []);
  return names.filter((n) => ORIG_EXTENSIONS.some((ext) => n === `${stem}.${ext}`)).sort();
}

type ArchPlan = { arch: string; indepOnly: boolean } | { excluded: string } | { failure: string };

/**
 * What this job builds, from debian/control's binary packages: for job arch `all` the
 * arch-independent packages only; for a concrete arch (the host's: dpkg-buildpackage builds for
 * the machine it runs on, sbuild for its chroot's) the packages that build there, plus the
 * arch-independent ones. A package that builds nothing for the job's arch is excluded, not failed.
 */
async function archPlan(context: StepContext, source: PreparedSource, sbuild: boolean): Promise<ArchPlan> {
  const host = context.host.debArch;
  const arch = jobArch(context, 'deb');
  const control = parseDeb822(await readFile(join(source.tree, 'debian', 'control'), 'utf8'));
  const lists = control
    .filter((s) => field(s, 'Package') !== undefined)
    .map((s) => `${field(s, 'Package')}: ${field(s, 'Architecture') ?? 'any'}`);
  const archOf = (line: string) => line.slice(line.indexOf(':') + 2);
  const hasAll = lists.some((l) => archOf(l).split(/\s+/).includes('all'));
  const what = lists.join(', ') || 'no binary packages';
  if (arch === 'all') {
    if (!hasAll)
      return {
        excluded: `debian/control has no Architecture: all package (${what}), so the job for arch all builds nothing`,
      };
    return { arch: host, indepOnly: true };
  }
  if (!sbuild && arch !== host) {
    return {
      failure:
        `this job is for ${arch} but this runner is ${host}, and dpkg-buildpackage builds only for the arch it runs on: ` +
        `run the job on a ${arch} runner (runs-on) or build with build.dpkg.sbuild`,
    };
  }
  const hasArch = lists.some((l) => archListMatches(archOf(l), arch));
  if (!hasArch && !hasAll) {
    return { excluded: `debian/control builds no binary package for ${arch} (${what})` };
  }
  return { arch, indepOnly: !hasArch };
}

/** dpkg-source -b, for sbuild, which builds from a .dsc. Returns the .dsc's path. */
async function buildSourcePackage(
  context: StepContext,
  source: PreparedSource,
  buildDir: string,
  env: Record<string, string>,
): Promise<string> {
  await dpkgSource(context, ['-b', basename(source.tree)], buildDir, env, 'build the source package', '');
  return join(buildDir, `${source.source}_${fileVersion(source.parsed)}.dsc`);
}

/**
 * Runs dpkg-checkbuilddeps in the tree; returns the failure reason naming every unmet build
 * dependency (or build conflict), or undefined when all are met. Profiles given to
 * dpkg-buildpackage in build.dpkg.options count here too.
 */
async function checkBuildDeps(
  context: StepContext,
  tree: string,
  env: Record<string, string>,
  indepOnly: boolean,
  options: string[],
): Promise<string | undefined> {
  const profiles = options.flatMap((o) => {
    const match = /^(?:--build-profiles=|-P)(.+)$/.exec(o);
    return match?.[1] ? ['-P', match[1]] : [];
  });
  const args = [...(indepOnly ? ['-A'] : []), ...profiles];
  context.log.info(`checking build dependencies: dpkg-checkbuilddeps ${args.join(' ')}`.trimEnd());
  // Its output is data (the unmet dependencies), so it is read here rather than through runProcess.
  const result = await execa('dpkg-checkbuilddeps', args, {
    cwd: tree,
    env,
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    timeout: 120_000,
    all: true,
  });
  if ((result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new ProcessStartError('dpkg-checkbuilddeps', 'ENOENT', { cause: result.cause });
  }
  if (result.all) context.log.output(`${result.all.trimEnd()}\n`);
  if (result.exitCode === 0) {
    context.log.info('build dependencies: all installed');
    return undefined;
  }
  const unmet = /Unmet build dependencies: (.+)/.exec(result.all ?? '')?.[1];
  const conflicts = /Build conflicts with installed packages: (.+)/.exec(result.all ?? '')?.[1];
  if (unmet === undefined && conflicts === undefined) {
    return `dpkg-checkbuilddeps failed (exit ${result.exitCode ?? 'none'}; the log has its output): check debian/control`;
  }
  const parts: string[] = [];
  if (unmet !== undefined) {
    const deps = splitRelations(unmet);
    const names = [...new Set(deps.map((d) => d.split(/[\s(|]/)[0] ?? d))];
    parts.push(
      `missing build dependencies: ${deps.join(', ')}; install them on the runner (apt-get install ${names.join(' ')}) or build with build.dpkg.sbuild, which installs them in a chroot`,
    );
  }
  if (conflicts !== undefined) {
    parts.push(
      `build conflicts with installed packages: ${splitRelations(conflicts).join(', ')}; remove them from the runner or build with build.dpkg.sbuild`,
    );
  }
  return parts.join('; ');
}

/** "a (>= 1) b | c d" as dpkg-checkbuilddeps prints them -> ["a (>= 1)", "b | c", "d"]. */
export function splitRelations(text: string): string[] {
  const tokens = text.trim().match(/\||[^\s(|]+(?:\s*\([^)]*\))?/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (token === '|') continue;
    if (tokens[i - 1] === '|' && out.length > 0) out[out.length - 1] = `${out[out.length - 1]} | ${token}`;
    else out.push(token);
  }
  return out;
}

/** dpkg-source in the build directory; a failure names what it was doing and points at the log. */
async function dpkgSource(
  context: StepContext,
  args: string[],
  buildDir: string,
  env: Record<string, string>,
  doing: string,
  fix: string,
): Promise<void> {
  const result = await runProcess('dpkg-source', args, {
    cwd: buildDir,
    env,
    log: context.log,
    signal: context.signal,
    sandbox: context.sandbox,
    timeout: 10 * 60_000,
  });
  if (result.exitCode !== 0) {
    throw new SourceError(
      `dpkg-source could not ${doing}: ${describeExit(`dpkg-source ${args[0]}`, result)} (the log has its output)${fix}`,
    );
  }
}
