import { constants, existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { LookasideConfig } from '../../src/config/types.js';
import type { BuildJob } from '../../src/plan/types.js';
import { SourceError, SpecNotFoundError } from '../../src/sources/errors.js';
import { fetchLookaside } from '../../src/sources/fetch-lookaside.js';
import { fetchSrpm } from '../../src/sources/fetch-srpm.js';
import { findSpec } from '../../src/sources/find-spec.js';
import { insideDir } from '../../src/sources/inside-dir.js';
import { findLookasideList, refuseSymlinks } from '../../src/sources/lookaside.js';
import { describeExit, ProcessStartError, runProcess } from '../process.js';
import { rpmDefine } from '../rpm-define.js';
import type { StepContext } from '../types.js';

/** The src.rpm a build starts from, or why there is none (the job's failure reason). */
export type SourceOutcome = { srpm: string } | { failure: string };

/**
 * Gets the build job's src.rpm into the workspace: downloaded and checked (source.srpm +
 * source.sha256), or made with `rpmbuild -bs` from the spec in the package repository, with
 * `_topdir` in the workspace so that the repository is only read.
 *
 * Returns a failure for what the user can fix (no spec, a bad link, a wrong digest, a spec
 * rpmbuild rejects); throws only when the runner itself is broken.
 */
export async function sourceSrpm(
  context: StepContext,
  job: BuildJob,
  env: Record<string, string>,
): Promise<SourceOutcome> {
  try {
    if (job.source.srpm !== undefined) return await downloadSrpm(context, job);
    return await buildSrpm(context, job, env);
  } catch (error) {
    if (error instanceof SourceError || error instanceof ProcessStartError) return { failure: error.message };
    throw error;
  }
}

async function downloadSrpm(context: StepContext, job: BuildJob): Promise<SourceOutcome> {
  const { srpm: url, sha256 } = job.source;
  if (url === undefined) throw new Error('downloadSrpm needs source.srpm');
  if (sha256 === undefined) {
    return {
      failure: `source.srpm ${url} has no source.sha256: add the file's SHA-256 (sha256sum FILE) to .albs.yml, since an unchecked download is never built`,
    };
  }
  const fetched = await fetchSrpm({
    url,
    sha256,
    destDir: join(context.workspace, 'srpm'),
    signal: context.signal,
    log: (line) => context.log.info(line),
  });
  return { srpm: fetched.path };
}

async function buildSrpm(
  context: StepContext,
  job: BuildJob,
  env: Record<string, string>,
): Promise<SourceOutcome> {
  const base = packageSourceDir(context.repoDir, job.source.dir);
  const spec = await findSpec(base, job.source.spec);
  // The dist-git layout (CentOS, AlmaLinux) keeps the spec in SPECS/ and its sources in SOURCES/
  // (which git leaves out while it is empty: a package whose only source is in the lookaside);
  // otherwise sources sit beside the spec at the top of the package source.
  const distGit =
    basename(dirname(spec)) === 'SPECS' &&
    (existsSync(join(base, 'SOURCES')) || job.source.lookaside !== undefined);
  let sourceDir = distGit ? join(base, 'SOURCES') : base;
  if (job.source.lookaside !== undefined) {
    sourceDir = await withLookaside(context, job.source.lookaside, base, spec, distGit ? 'SOURCES' : '');
  } else {
    await hintAtLookaside(context, base, spec);
  }
  const topdir = join(context.workspace, 'rpmbuild');
  context.log.info(
    `making the src.rpm from ${relative(context.repoDir, spec) || spec} (sources from ${sourceDir})`,
  );
  const timeout = job.timeout * 1000;
  const result = await runProcess(
    'rpmbuild',
    ['-bs', ...rpmDefine('_topdir', topdir), ...rpmDefine('_sourcedir', sourceDir), ...macroArgs(job), spec],
    {
      cwd: context.workspace,
      env,
      log: context.log,
      signal: context.signal,
      sandbox: context.sandbox,
      timeout,
    },
  );
  if (result.exitCode !== 0) {
    return {
      failure: `making the src.rpm failed: ${describeExit('rpmbuild -bs', result, timeout)} (the log has its output)`,
    };
  }
  const srpmDir = join(topdir, 'SRPMS');
  const made = (await readdir(srpmDir).catch(() => [])).filter((f) => f.endsWith('.src.rpm'));
  if (made.length !== 1 || made[0] === undefined) {
    return {
      failure: `rpmbuild -bs succeeded but left ${made.length === 0 ? 'no src.rpm' : `${made.length} src.rpms (${made.join(', ')})`} in ${srpmDir}: check the spec`,
    };
  }
  return { srpm: join(srpmDir, made[0]) };
}

/**
 * The directory rpmbuild reads sources from when the package has lookaside files: in the workspace,
 * links to what the repository's source directory holds, and a copy of each listed file (from the
 * host's cache, fetched first when missing). The repository is never written, and a job's commands
 * never see the cache: they get their own copy.
 */
async function withLookaside(
  context: StepContext,
  config: LookasideConfig,
  base: string,
  spec: string,
  sourceRel: string,
): Promise<string> {
  // source.dir may not lead through a link either: albs reads the list and the sources itself.
  if (base !== context.repoDir) await refuseSymlinks(context.repoDir, base, 'source.dir');
  const list = await findLookasideList(base, spec, config.metadata);
  if (list === undefined) {
    throw new SourceError(
      `source.lookaside is set but ${base} has no lookaside list (.${basename(spec, '.spec')}.metadata, another .*.metadata, or sources): add it, name it with source.lookaside.metadata, or remove source.lookaside`,
    );
  }
  const url = config.url ?? list.defaultUrl;
  context.log.info(
    `fetching the ${list.entries.length} files ${list.file} lists, ${context.lookaside ? `through the albs server, which fetches them from ${url}` : `from ${url}`}`,
  );
  const files = await fetchLookaside({
    list,
    url,
    base,
    hidden: context.sandbox?.policy.hidden,
    sourceDir: sourceRel,
    cache: join(context.cache, 'lookaside'),
    maxBytes: config.maxSize,
    fetchBlob: context.lookaside,
    signal: context.signal,
    log: (line) => context.log.info(line),
  });
  const merged = join(context.workspace, 'sources');
  await mkdir(merged, { recursive: true });
  const repoSources = join(base, sourceRel);
  for (const name of await readdir(repoSources).catch(() => [] as string[])) {
    await symlink(join(repoSources, name), join(merged, name));
  }
  // rpmbuild looks for Source files by their bare name in _sourcedir.
  const names = new Map<string, string>();
  for (const file of files) {
    const name = basename(file.path);
    const other = names.get(name);
    if (other !== undefined) {
      throw new SourceError(
        `${list.file} lists ${other} and ${file.path}, and rpmbuild finds sources by file name only: keep one of them`,
      );
    }
    names.set(name, file.path);
    if (file.inRepository && join(base, sourceRel, name) === file.blob) continue;
    // A link to the repository's copy goes first: the copy must not be written through it.
    await rm(join(merged, name), { force: true });
    await copyFile(file.blob, join(merged, name), constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
  }
  return merged;
}

/** Says so in the log when the package has a lookaside list that .albs.yml does not ask to fetch. */
async function hintAtLookaside(context: StepContext, base: string, spec: string): Promise<void> {
  const list = await findLookasideList(base, spec).catch(() => undefined);
  if (list === undefined) return;
  context.log.info(
    `${list.file} lists ${list.entries.length} lookaside files, which are not fetched: source.lookaside is not set in .albs.yml (add "lookaside: {}" under source)`,
  );
}

/** `--define "NAME VALUE"` for each of build.macros: a value is a macro body, so its `%` are kept. */
export function macroArgs(job: BuildJob): string[] {
  return Object.entries(job.macros ?? {}).flatMap(([name, value]) => ['--define', `${name} ${value}`]);
}

/** The repository, or source.dir inside it; a dir that leads outside is refused. */
export function packageSourceDir(repoDir: string, dir: string | undefined): string {
  const root = resolve(repoDir);
  if (dir === undefined || dir === '' || dir === '.') return root;
  const path = resolve(root, dir);
  // "a/.." is the repository itself, which is fine here.
  if (isAbsolute(dir) || (path !== root && !insideDir(root, path))) {
    throw new SpecNotFoundError(
      `source.dir "${dir}" is outside the package repository ${root}: name a directory inside it, relative to its top`,
    );
  }
  return path;
}
