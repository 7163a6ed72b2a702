/**
 * The built-in test steps for Debian packages: lintian, and an install test that unpacks the debs
 * into a fresh root. Each returns why it failed, or undefined.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { describeExit, runProcess } from '../process.js';
import type { JobLog, StepContext } from '../types.js';

export interface DebTestInput {
  context: StepContext;
  /** The binary debs of the build. */
  debs: string[];
  /** The build's .changes and .dsc files (lintian checks the source package through them). */
  sources: string[];
  /** A private directory for this step. */
  dir: string;
  env: Record<string, string>;
  /** Milliseconds. */
  timeout: number;
}

/**
 * lintian on the build's .changes (source package and debs together); without one, on the .dsc
 * and the debs. Errors fail the step; warnings and the rest are only shown in the log.
 */
export async function lintianStep(input: DebTestInput, ignore: string[]): Promise<string | undefined> {
  const { context } = input;
  const changes = input.sources.filter((f) => f.endsWith('.changes'));
  const listed = await Promise.all(changes.map((c) => readFile(c, 'utf8').catch(() => '')));
  // A .dsc a .changes lists is checked through it; one it does not (a build from source.dsc) on its own.
  const dscs = input.sources.filter(
    (f) => f.endsWith('.dsc') && !listed.some((text) => text.includes(` ${basename(f)}\n`)),
  );
  const targets = changes.length > 0 ? [...changes, ...dscs] : [...dscs, ...input.debs];
  const args = ['--fail-on', 'error', '--tag-display-limit', '0'];
  if (ignore.length > 0) {
    context.log.info(`ignoring the lintian tags listed in lintian.ignore: ${ignore.join(', ')}`);
    args.push('--suppress-tags', ignore.join(','));
  }
  // lintian 2.116 exits 2 both for findings at --fail-on and for files it cannot read: count the
  // "E:" lines on their way to the log to tell the two apart.
  let errors = 0;
  const log: JobLog = {
    path: context.log.path,
    info: (line) => context.log.info(line),
    output: (chunk) => {
      if (/^E: /.test(chunk)) errors++;
      context.log.output(chunk);
    },
  };
  const result = await runProcess('lintian', [...args, ...targets], {
    cwd: input.dir,
    env: input.env,
    log,
    signal: context.signal,
    sandbox: context.sandbox,
    timeout: input.timeout,
  });
  if (result.exitCode === 0) return undefined;
  if (errors > 0 && !result.timedOut && !result.aborted) {
    return `lintian reported ${errors} error${errors === 1 ? '' : 's'} (the "E:" lines in the log): fix them, or add their tags to lintian.ignore in .albs.yml`;
  }
  return describeExit('lintian', result, input.timeout);
}

/** Maintainer scripts dpkg runs, in the order a reader expects them. */
const MAINTAINER_SCRIPTS = ['preinst', 'postinst', 'prerm', 'postrm', 'config'];

/**
 * Unpacks every deb into one fresh root with `dpkg-deb -x`, then checks what an installation
 * would: no two packages ship the same file, every file the package's md5sums lists is there with
 * that digest, and every maintainer script is executable and (for sh and bash) parses. Scripts are
 * not run and dependencies not resolved: the fresh root has no shell and no packages; the log says so.
 */
export async function installDebsStep(input: DebTestInput): Promise<string | undefined> {
  const { context, dir } = input;
  const root = join(dir, 'root');
  const controlDir = join(dir, 'control');
  await mkdir(root, { recursive: true });
  await mkdir(controlDir, { recursive: true });
  context.log.info(
    `unpacking into the fresh root ${root} with dpkg-deb -x: dependencies are NOT resolved and maintainer scripts are NOT run (the root has no shell); each package's files are checked against its md5sums and its maintainer scripts are syntax-checked`,
  );
  const options = {
    cwd: dir,
    env: input.env,
    log: context.log,
    signal: context.signal,
    sandbox: context.sandbox,
    timeout: input.timeout,
  };
  const owners = new Map<string, string>();
  const problems: string[] = [];
  for (const deb of input.debs) {
    const name = basename(deb);
    const unpacked = await runProcess('dpkg-deb', ['-x', deb, root], options);
    if (unpacked.exitCode !== 0) return `${name} did not unpack: ${describeExit('dpkg-deb -x', unpacked)}`;
    const control = join(controlDir, name.replace(/\.deb$/, ''));
    const extracted = await runProcess('dpkg-deb', ['--control', deb, control], options);
    if (extracted.exitCode !== 0)
      return `${name}: its control files did not extract: ${describeExit('dpkg-deb --control', extracted)}`;

    for (const path of await payloadFiles(deb, input.env)) {
      const other = owners.get(path);
      if (other !== undefined)
        problems.push(`${other} and ${name} both ship ${path}; dpkg refuses to install them together`);
      else owners.set(path, name);
    }
    problems.push(...(await checkMd5sums(name, control, root)));
    problems.push(...(await checkScripts(context, name, control, options)));
  }
  if (problems.length > 0) {
    for (const p of problems) context.log.info(`problem: ${p}`);
    return `${problems.length} problem${problems.length === 1 ? '' : 's'} found: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; … (the log has all)' : ''}`;
  }
  context.log.info(
    `unpacked ${input.debs.length} package${input.debs.length === 1 ? '' : 's'} (${owners.size} files): files and maintainer scripts are fine`,
  );
  return undefined;
}

/** Paths of the non-directory entries of a deb's payload, "/usr/bin/hello". */
async function payloadFiles(deb: string, env: Record<string, string>): Promise<string[]> {
  const listing = await execa('dpkg-deb', ['--contents', deb], {
    env,
    extendEnv: false,
    stdin: 'ignore',
    timeout: 120_000,
  });
  return listing.stdout
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('d'))
    .map((line) => /\s\.(\/.*?)(?: -> .*| link to .*)?$/.exec(line)?.[1])
    .filter((path): path is string => path !== undefined);
}

/** Every file the control's md5sums lists must be in the root with that MD5, as `dpkg --verify` checks. */
async function checkMd5sums(name: string, control: string, root: string): Promise<string[]> {
  const text = await readFile(join(control, 'md5sums'), 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  const problems: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{32})\s+(.+)$/.exec(line.trim());
    if (!match) continue;
    const [, md5, path = ''] = match;
    if (path.split('/').includes('..')) {
      problems.push(`${name}: md5sums names "${path}", outside the package's root`);
      continue;
    }
    const bytes = await readFile(join(root, path)).catch(() => undefined);
    if (bytes === undefined) problems.push(`${name}: /${path} is in md5sums but not in the package`);
    else if (createHash('md5').update(bytes).digest('hex') !== md5)
      problems.push(`${name}: /${path} does not match its md5sums entry`);
  }
  return problems;
}

async function checkScripts(
  context: StepContext,
  name: string,
  control: string,
  options: Parameters<typeof runProcess>[2],
): Promise<string[]> {
  const problems: string[] = [];
  for (const script of MAINTAINER_SCRIPTS) {
    const path = join(control, script);
    const info = await stat(path).catch(() => undefined);
    if (!info) continue;
    if ((info.mode & 0o111) === 0) {
      problems.push(`${name}: the ${script} script is not executable; dpkg would fail to run it`);
      continue;
    }
    const first = (await readFile(path, 'utf8')).split('\n', 1)[0] ?? '';
    const shell = /^#!\s*\S*\/(sh|dash|bash)(?:\s|$)/.exec(first)?.[1];
    if (shell === undefined) {
      context.log.info(
        `${name}: ${script} (${first.slice(0, 60) || 'no #! line'}) is not a shell script: not syntax-checked`,
      );
      continue;
    }
    const checked = await runProcess(shell === 'bash' ? 'bash' : 'sh', ['-n', path], options);
    if (checked.exitCode !== 0)
      problems.push(`${name}: the ${script} script does not parse (${shell} -n failed)`);
    else context.log.info(`${name}: ${script} parses (${shell} -n)`);
  }
  return problems;
}
