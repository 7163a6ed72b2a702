import type { Combination } from '../plan/expand-matrix.js';
import { hasExpression, interpolate } from '../plan/interpolate.js';
import { DEFAULT_MOCK_CONFIG } from './normalise.js';
import { describePath, type Report } from './problem.js';
import { quote } from './text.js';
import type { PipelineConfig } from './types.js';

/**
 * What a pipeline file may not pass to sbuild or dpkg-buildpackage (build.dpkg.options) or to mock
 * (build.mock.options), and what may not be a mock config name. A pipeline file decides what is built; it never runs commands on
 * the runner host outside the build, points the tools at host paths, or picks the chroot.
 */

type Why = 'command' | 'path' | 'chroot' | 'outside' | 'tool' | 'sign' | 'network';

const WHY: Record<Why, { what: string; fix: string }> = {
  command: {
    what: 'runs a command on the runner host, outside the build',
    fix: 'do that work in debian/rules or in a test step',
  },
  path: {
    what: 'points the build at a path on the runner host',
    fix: 'remove it: albs chooses where the build reads and writes',
  },
  chroot: {
    what: 'chooses the chroot sbuild builds in, or how it enters it',
    fix: 'remove it: the runner sets up the chroots; name the distribution with build.dpkg.dist',
  },
  outside: {
    what: 'adds packages or repositories from outside the source package',
    fix: 'remove it and declare what the build needs in debian/control (Build-Depends)',
  },
  tool: {
    what: 'runs another tool on the runner host after the build, with options from the pipeline file',
    fix: 'remove it and check the packages in test steps (- lintian, - install, - run:)',
  },
  sign: {
    what: 'signs with a key or command of the runner host',
    fix: 'remove it: albs signs in the sign stage, with the key named by sign.key',
  },
  network: {
    what: 'lets the build reach the network',
    fix: 'remove it and set build.network: true (never allowed when pull requests run the pipeline)',
  },
};

type Tool = 'sbuild' | 'dpkg-buildpackage' | 'mock';
interface Refused {
  name: string;
  tool: Tool;
  why: Why;
}

const sbuild = (why: Why, ...names: string[]): Refused[] =>
  names.map((name) => ({ name, tool: 'sbuild', why }));
const dpkg = (why: Why, ...names: string[]): Refused[] =>
  names.map((name) => ({ name, tool: 'dpkg-buildpackage', why }));

/** Long options, refused with anything that starts with them (`--chroot` covers `--chroot-mode`). */
const REFUSED_LONG: Refused[] = [
  ...sbuild(
    'command',
    '--pre-build-commands',
    '--chroot-setup-commands',
    '--chroot-update-failed-commands',
    '--build-deps-failed-commands',
    '--starting-build-commands',
    '--finished-build-commands',
    '--build-failed-commands',
    '--chroot-cleanup-commands',
    '--post-build-commands',
    '--post-build-failed-commands',
    '--anything-failed-commands',
    '--setup-hook',
    '--piuparts-root-arg',
    '--autopkgtest-root-arg',
    '--mail-log-to',
  ),
  ...sbuild('chroot', '--chroot', '--chroot-mode'),
  ...sbuild('outside', '--extra-package', '--extra-repository'),
  ...sbuild('path', '--extra-repository-key', '--build-path', '--build-dir', '--stats-dir'),
  ...sbuild(
    'tool',
    '--lintian-opt',
    '--run-piuparts',
    '--piuparts-opt',
    '--run-autopkgtest',
    '--autopkgtest-opt',
    '--autopkgtest-virt-server',
  ),
  ...sbuild('network', '--enable-network'),
  ...dpkg('command', '--hook-', '--root-command', '--rules-file', '--check-command'),
  ...dpkg('tool', '--check-option'),
  ...dpkg('sign', '--sign-command', '--sign-keyfile', '--force-sign'),
  ...dpkg(
    'path',
    '--admindir',
    '--buildinfo-file',
    '--buildinfo-option',
    '--changes-file',
    '--changes-option',
  ),
];

const mock = (why: Why, ...names: string[]): Refused[] => names.map((name) => ({ name, tool: 'mock', why }));

/**
 * mock's options a pipeline file may not give (build.mock.options): each is refused with anything
 * that starts it, since mock (argparse) also takes unambiguous abbreviations.
 */
const REFUSED_MOCK: Refused[] = [
  ...mock('network', '--enable-network'),
  ...mock('chroot', '--root', '--isolation', '--bootstrap-chroot', '--use-bootstrap', '--chroot', '--shell'),
  ...mock(
    'path',
    '--configdir',
    '--resultdir',
    '--rootdir',
    '--localrepo',
    '--macro-file',
    '--spec',
    '--sources',
    '--copyin',
    '--copyout',
    '--cache-alterations',
    '--buildsrpm',
    '--config-opts',
    '--plugin-option',
    '--enable-plugin',
    '--disable-plugin',
  ),
  ...mock(
    'outside',
    '--addrepo',
    '--install',
    '--pm-cmd',
    '--dnf-cmd',
    '--yum-cmd',
    '--postinstall',
    '--chain',
  ),
  ...mock('command', '--scm-enable', '--scm-option', '--unpriv', '--orphanskill'),
];

/** Why mock may not be given `option` (build.mock.options), or undefined when it may. */
export function refusedMockOption(option: string): string | undefined {
  const explain = (r: Refused) =>
    `mock's ${r.name} ${WHY[r.why].what}, which a pipeline file may not do; ${WHY[r.why].fix}`;
  if (!option.startsWith('-') || option === '-' || option === '--') {
    return 'it is not an option: mock would take it as the src.rpm to build, a path on the runner host; write each option with its value in one item, e.g. --define=_with_x 1';
  }
  if (option.startsWith('--')) {
    const name = option.split('=')[0]!;
    const hit = REFUSED_MOCK.find(
      (r) => r.name === name || name.startsWith(r.name) || (name.length > 3 && r.name.startsWith(name)),
    );
    return hit ? explain(hit) : undefined;
  }
  // -r chooses the config (albs gives build.mock.config); -a adds a repository.
  if (/^-[A-Za-z]*r/.test(option)) return explain({ name: '-r', tool: 'mock', why: 'chroot' });
  if (option.startsWith('-a')) return explain({ name: '-a', tool: 'mock', why: 'outside' });
  return undefined;
}

/** Options whose names are a start of a refused one but are options of their own, not sbuild abbreviations. */
const OWN_NAMES = new Set(['--build', '--sign-key']);

/** Single-letter options: -c (sbuild's chroot), -r and -R (dpkg-buildpackage's root command and rules file). */
const REFUSED_SHORT: Record<string, Refused> = {
  c: { name: '-c', tool: 'sbuild', why: 'chroot' },
  r: { name: '-r', tool: 'dpkg-buildpackage', why: 'command' },
  R: { name: '-R', tool: 'dpkg-buildpackage', why: 'command' },
};
/** sbuild bundles short options (gnu_getopt): these take no value, so a letter after them is another option. */
const SBUILD_FLAGS = new Set('hVDvqAbns');

/** Why `option` may not be passed, or undefined when it may. `sbuild`: whether sbuild or dpkg-buildpackage gets it. */
export function refusedBuildOption(option: string, usesSbuild: boolean): string | undefined {
  const explain = (r: Refused, written?: string) => {
    const { what, fix } = WHY[r.why];
    const name = r.name.endsWith('-') ? `${r.name}*` : r.name;
    const subject =
      written === undefined
        ? `${r.tool}'s ${name}`
        : `sbuild reads ${written} as ${name} (it accepts abbreviations), which`;
    return `${subject} ${what}, which a pipeline file may not do; ${fix}`;
  };
  if (option === '--') {
    return `"--" ends the options, and ${usesSbuild ? 'sbuild' : 'dpkg-buildpackage'} would take what follows as the package to build; remove it`;
  }
  if (!option.startsWith('-') || option === '-') {
    const reader = usesSbuild
      ? 'sbuild would take it as the package to build, a path on the runner host'
      : 'dpkg-buildpackage takes options only';
    return `it is not an option: ${reader}; write each option with its value in one item, e.g. --jobs=4`;
  }
  if (option.startsWith('--')) {
    const name = option.split('=')[0]!;
    const exact = REFUSED_LONG.find((r) => r.name === name);
    if (exact) return explain(exact);
    // As sbuild reads it: the exact name, else the one option whose name it starts.
    if (usesSbuild && !OWN_NAMES.has(name) && name.length > 2) {
      const long = REFUSED_LONG.find((r) => r.tool === 'sbuild' && r.name.startsWith(name));
      if (long) return explain(long, name);
    }
    const starts = REFUSED_LONG.filter((r) => name.startsWith(r.name)).sort(
      (a, b) => b.name.length - a.name.length,
    )[0];
    if (starts) return explain(starts);
    if (/-commands?$/.test(name)) {
      return explain({ name, tool: usesSbuild ? 'sbuild' : 'dpkg-buildpackage', why: 'command' });
    }
    return undefined;
  }
  const letters = option.slice(1);
  if (!usesSbuild) {
    if (letters.startsWith('p')) return explain({ name: '-p', tool: 'dpkg-buildpackage', why: 'sign' });
    const short = REFUSED_SHORT[letters[0]!];
    return short ? explain(short) : undefined;
  }
  for (const letter of letters) {
    if (letter === 'c') return explain(REFUSED_SHORT.c!);
    if (!SBUILD_FLAGS.has(letter)) return undefined;
  }
  return undefined;
}

/** Why `name` is not a mock config name, or undefined when it is one. */
export function mockConfigFault(name: string): string | undefined {
  if (name.includes('/')) return 'holds "/"';
  if (name.startsWith('.')) return 'starts with "."';
  // mock -r reads a value ending in .cfg as the path of a config file.
  if (name.endsWith('.cfg')) return 'ends in ".cfg", which mock reads as a file path';
  return undefined;
}

/**
 * build.dpkg.options and build.mock.config as the builds that use them render them: a value
 * without `${{ }}` is checked as written, one with it per combination, once per distinct rendering.
 * `builders`: each combination's (valid) rendered builder.
 */
export function checkBuildOptions(
  config: PipelineConfig,
  builders: Map<Combination, string>,
  error: Report,
  badPaths: Set<string>,
  text: (combination: Combination) => string,
): void {
  const renderings = (template: string, path: (string | number)[], builder: string) => {
    if (badPaths.has(path.join('.'))) return [];
    if (!hasExpression(template)) return [{ value: template, combination: undefined }];
    const seen = new Map<string, Combination>();
    for (const [c, b] of builders) {
      const value = interpolate(template, c.values);
      if (b === builder && !seen.has(value)) seen.set(value, c);
    }
    return [...seen].map(([value, combination]) => ({ value, combination }));
  };
  const shown = (path: (string | number)[], value: string, combination: Combination | undefined) =>
    combination === undefined
      ? `${describePath(path)} is ${quote(value)}`
      : `${describePath(path)} renders to ${quote(value)} for (${text(combination) || 'no matrix'})`;

  const { dpkg, mock } = config.build;
  dpkg.options.forEach((option, i) => {
    const path = ['build', 'dpkg', 'options', i];
    for (const { value, combination } of renderings(option, path, 'dpkg')) {
      const why = refusedBuildOption(value, dpkg.sbuild);
      if (why) error(path, `${shown(path, value, combination)}: ${why}`);
    }
  });
  mock.options.forEach((option, i) => {
    const path = ['build', 'mock', 'options', i];
    for (const { value, combination } of renderings(option, path, 'mock')) {
      const why = refusedMockOption(value);
      if (why) error(path, `${shown(path, value, combination)}: ${why}`);
    }
  });
  const configPath = ['build', 'mock', 'config'];
  // The default is not in the file: its problems are reported where mock is chosen.
  const isDefault = mock.config === DEFAULT_MOCK_CONFIG;
  for (const { value, combination } of renderings(mock.config, configPath, 'mock')) {
    const fault = mockConfigFault(value);
    if (!fault) continue;
    error(
      isDefault ? ['build', 'builder'] : configPath,
      `${isDefault ? 'the default ' : ''}${shown(configPath, value, combination)}, which ${fault}; it is the NAME of a mock config on the runner (mock -r NAME reads /etc/mock/NAME.cfg), never a path: give a name such as almalinux-9-x86_64`,
    );
  }
}
