import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findExecutable } from '../../runner/find-executable.js';

/**
 * The systemd units of deploy/: systemd-analyze accepts them where it is installed, and, checked on
 * their text everywhere, they keep the security rules of issue 11 (a user each; bubblewrap and mock
 * keep working on the runner; the signer locked down) and start albs with the frozen commands and flags.
 */

const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));

/** A unit file: each section's keys, each with every value it is given, in order. */
type Unit = Map<string, Map<string, string[]>>;

function parseUnit(text: string, file: string): Unit {
  const unit: Unit = new Map();
  let section: Map<string, string[]> | undefined;
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = new Map();
      unit.set(header[1]!, section);
      return;
    }
    const eq = line.indexOf('=');
    if (section === undefined || eq <= 0)
      throw new Error(`${file}:${index + 1}: not KEY=VALUE in a section: ${line}`);
    const key = line.slice(0, eq).trim();
    const values = section.get(key) ?? [];
    values.push(line.slice(eq + 1).trim());
    section.set(key, values);
  });
  return unit;
}

function readUnit(name: string): { text: string; unit: Unit } {
  const text = readFileSync(join(DEPLOY, name), 'utf8');
  return { text, unit: parseUnit(text, `deploy/${name}`) };
}

/** Every value of [Service] KEY (an empty value, which resets a list, counts as one). */
function service(unit: Unit, key: string): string[] {
  return unit.get('Service')?.get(key) ?? [];
}

/** The last value of [Service] KEY, as systemd takes a single-valued setting; undefined when unset. */
function serviceValue(unit: Unit, key: string): string | undefined {
  return service(unit, key).at(-1);
}

/** systemd's booleans: yes/true/on/1 (and no/false/off/0). */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['yes', 'true', 'on', '1'].includes(value.toLowerCase());
}

/** A systemd time span such as `3h`, `5min`, `90s` or `1h 30min`, in seconds. */
function seconds(span: string): number {
  const units: Record<string, number> = { s: 1, sec: 1, min: 60, m: 60, h: 3600, hr: 3600, d: 86400 };
  let total = 0;
  for (const m of span.matchAll(/(\d+)\s*([a-z]*)/g)) {
    const factor = units[m[2] || 's'];
    if (factor === undefined) throw new Error(`unknown time unit in ${span}`);
    total += Number(m[1]) * factor;
  }
  return total;
}

interface Command {
  executable: string;
  subcommand: string;
  /** Each `--flag` with its value (`true` for a flag without one). */
  flags: Map<string, string | true>;
}

/** The one ExecStart= of a unit, as albs will see it (no prefixes, no quoting in these units). */
function execStart(unit: Unit): Command {
  const lines = service(unit, 'ExecStart');
  expect(lines, 'exactly one ExecStart=').toHaveLength(1);
  const words = lines[0]!.split(/\s+/);
  expect(lines[0], 'ExecStart= without quotes, whose words systemd would split differently').not.toMatch(
    /["']/,
  );
  const [executable, subcommand, ...rest] = words;
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    expect(flag, `an argument after ${words.slice(0, i + 2).join(' ')} is a --flag`).toMatch(/^--[a-z-]+$/);
    expect(flags.has(flag), `${flag} given once`).toBe(false);
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('--')) flags.set(flag, true);
    else {
      flags.set(flag, value);
      i++;
    }
  }
  return { executable: executable!, subcommand: subcommand!, flags };
}

/** The frozen CLI of issue 11 (and of `albs serve`): what each command requires and accepts. */
const FROZEN: Record<string, { required: string[]; accepted: string[] }> = {
  serve: { required: ['--config'], accepted: ['--config'] },
  runner: {
    required: ['--server', '--token-file', '--labels'],
    accepted: [
      '--server',
      '--token-file',
      '--labels',
      '--concurrency',
      '--work-dir',
      '--name',
      '--redis',
      '--redis-config',
    ],
  },
  signer: {
    required: ['--server', '--token-file', '--keys-dir'],
    accepted: [
      '--server',
      '--token-file',
      '--keys-dir',
      '--concurrency',
      '--name',
      '--redis',
      '--redis-config',
    ],
  },
};

const UNITS = [
  { file: 'albs-serve.service', subcommand: 'serve' },
  { file: 'albs-runner@.service', subcommand: 'runner' },
  { file: 'albs-signer.service', subcommand: 'signer' },
] as const;

describe.each(UNITS)('deploy/$file', ({ file, subcommand }) => {
  const { text, unit } = readUnit(file);

  it(`runs albs ${subcommand} with the frozen flags, each with a value`, () => {
    const command = execStart(unit);
    expect(command.executable).toMatch(/^\/.*\/albs$/);
    expect(command.subcommand).toBe(subcommand);
    const { required, accepted } = FROZEN[subcommand]!;
    for (const flag of required) expect([...command.flags.keys()], `${flag} given`).toContain(flag);
    for (const [flag, value] of command.flags) {
      expect(accepted, `${flag} is a flag of albs ${subcommand}`).toContain(flag);
      expect(value, `${flag} has a value`).not.toBe(true);
    }
  });

  it('expands only variables it sets or documents for its EnvironmentFile, each as one word', () => {
    const line = service(unit, 'ExecStart')[0]!;
    // $VAR (unbraced) would be split at whitespace into several arguments.
    expect(line.replace(/\$\{[A-Z_][A-Z0-9_]*\}/g, '')).not.toContain('$');
    const set = service(unit, 'Environment').flatMap((v) => v.split(/\s+/).map((a) => a.split('=')[0]));
    for (const [, name] of line.matchAll(/\$\{([A-Z_][A-Z0-9_]*)\}/g)) {
      if (set.includes(name!)) continue;
      expect(service(unit, 'EnvironmentFile'), `\${${name}} comes from an EnvironmentFile`).not.toEqual([]);
      expect(text, `the header comment shows ${name}= for the EnvironmentFile`).toMatch(
        new RegExp(`^#.*\\b${name}=`, 'm'),
      );
    }
  });

  it('runs as a dedicated user of its own, never root, and restarts on failure', () => {
    const user = serviceValue(unit, 'User');
    expect(user).toMatch(/^albs(-[a-z]+)?$/);
    expect(serviceValue(unit, 'Group')).toBe(user);
    expect(isTrue(serviceValue(unit, 'DynamicUser'))).toBe(false);
    expect(serviceValue(unit, 'Restart')).toBe('on-failure');
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('leaves MemoryDenyWriteExecute off: Node’s JIT writes code it then runs', () => {
    expect(isTrue(serviceValue(unit, 'MemoryDenyWriteExecute'))).toBe(false);
  });

  it('hides home directories and /tmp, and writes no system directory', () => {
    expect(serviceValue(unit, 'ProtectHome')).toBe('yes');
    expect(serviceValue(unit, 'PrivateTmp')).toBe('yes');
    expect(['strict', 'full']).toContain(serviceValue(unit, 'ProtectSystem'));
  });
});

describe('the units together', () => {
  it('give each part a user of its own and start the same albs', () => {
    const units = UNITS.map(({ file }) => readUnit(file).unit);
    const users = units.map((unit) => serviceValue(unit, 'User'));
    expect(new Set(users).size).toBe(users.length);
    const executables = new Set(units.map((unit) => execStart(unit).executable));
    expect(executables.size).toBe(1);
  });
});

describe('deploy/albs-serve.service', () => {
  const { unit } = readUnit('albs-serve.service');

  it('writes only its data-dir, locked down for the farm mode, where it runs no builds', () => {
    expect(serviceValue(unit, 'ProtectSystem')).toBe('strict');
    expect(service(unit, 'ReadWritePaths')).toContain('/var/lib/albs');
    expect(unit.get('Unit')?.get('RequiresMountsFor')).toEqual(['/var/lib/albs']);
    expect(service(unit, 'StateDirectory'), 'no chown of a shared data-dir').toEqual([]);
    expect(isTrue(serviceValue(unit, 'NoNewPrivileges'))).toBe(true);
    expect(isTrue(serviceValue(unit, 'RestrictNamespaces'))).toBe(true);
  });

  it('starts after the network and a local Redis', () => {
    const after = (unit.get('Unit')?.get('After') ?? []).join(' ').split(/\s+/);
    expect(after).toEqual(expect.arrayContaining(['network-online.target', 'redis-server.service']));
    expect(unit.get('Unit')?.get('Wants')).toEqual(['network-online.target']);
  });
});

describe('deploy/albs-runner@.service', () => {
  const { unit } = readUnit('albs-runner@.service');

  it('is named by its instance: token, env file, work dir and --name', () => {
    const { flags } = execStart(unit);
    expect(flags.get('--token-file')).toBe('/etc/albs/runner-%i.token');
    expect(flags.get('--work-dir')).toBe('/var/lib/albs-runner/%i');
    expect(flags.get('--name')).toBe('%i');
    expect(service(unit, 'EnvironmentFile')).toEqual(['/etc/albs/runner-%i.env']);
    expect(service(unit, 'StateDirectory')).toEqual(['albs-runner/%i']);
  });

  it('keeps bubblewrap and mock working: no namespace, privilege or /proc restriction', () => {
    for (const key of [
      'RestrictNamespaces',
      'NoNewPrivileges',
      'PrivateUsers',
      'SystemCallFilter',
      'RestrictAddressFamilies',
      'CapabilityBoundingSet',
      'ProtectKernelTunables',
      'ProtectKernelLogs',
      'ProtectProc',
      'ProcSubset',
      'PrivateDevices',
      'ProtectClock',
      'ProtectHostname',
      'RestrictSUIDSGID',
    ]) {
      expect(service(unit, key), `${key}= is not set on the runner`).toEqual([]);
    }
  });

  it('drains on stop: SIGTERM to the runner alone, and time for running builds to finish', () => {
    expect(serviceValue(unit, 'KillMode')).toBe('mixed');
    expect(serviceValue(unit, 'KillSignal')).toBe('SIGTERM');
    // Longer than the default build.timeout (2h).
    expect(seconds(serviceValue(unit, 'TimeoutStopSec') ?? '0')).toBeGreaterThan(2 * 3600);
  });
});

describe('deploy/albs-signer.service', () => {
  const { unit } = readUnit('albs-signer.service');

  it('is locked down: no new privileges, no namespaces, no capabilities, no devices', () => {
    expect(isTrue(serviceValue(unit, 'NoNewPrivileges'))).toBe(true);
    expect(isTrue(serviceValue(unit, 'RestrictNamespaces'))).toBe(true);
    expect(service(unit, 'CapabilityBoundingSet')).toEqual(['']);
    expect(serviceValue(unit, 'ProtectSystem')).toBe('strict');
    expect(isTrue(serviceValue(unit, 'PrivateDevices'))).toBe(true);
    expect(serviceValue(unit, 'SystemCallArchitectures')).toBe('native');
  });

  it('reaches Redis and the server: no PrivateNetwork', () => {
    expect(isTrue(serviceValue(unit, 'PrivateNetwork'))).toBe(false);
  });

  it('reads its keys-dir and cannot write it', () => {
    const keysDir = execStart(unit).flags.get('--keys-dir');
    expect(keysDir).toBe('/etc/albs/keys');
    expect(service(unit, 'ReadOnlyPaths')).toContain(keysDir);
    expect(service(unit, 'ReadWritePaths')).toEqual([]);
  });
});

const systemdAnalyze = findExecutable('systemd-analyze', process.env.PATH ?? '');
const scratch = mkdtempSync(join(tmpdir(), 'albs-units-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('systemd-analyze verify', () => {
  // verify checks that ExecStart's program exists: each unit is verified as a copy whose ExecStart
  // runs a stub in its place, so that what is left to report is the unit's own errors. Unknown keys
  // and bad values are only warned about (exit status 0), so any output fails the test.
  const stub = join(scratch, 'albs');
  writeFileSync(stub, '#!/bin/sh\nexit 0\n');
  chmodSync(stub, 0o755);

  it.skipIf(systemdAnalyze === undefined).each(UNITS.map(({ file }) => file))(
    `accepts %s${systemdAnalyze === undefined ? ' (skipped: systemd-analyze is not on PATH)' : ''}`,
    (file) => {
      const text = readFileSync(join(DEPLOY, file), 'utf8');
      const executable = execStart(parseUnit(text, file)).executable;
      const copy = join(scratch, file);
      writeFileSync(copy, text.replaceAll(executable, stub));
      // --generators=no and --man=no: only the unit itself is checked, not this host's setup.
      const result = spawnSync(systemdAnalyze!, ['verify', '--man=no', '--generators=no', copy], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      const output = `${result.stdout}${result.stderr}`.trim();
      expect(output, `systemd-analyze verify ${file}`).toBe('');
      expect(result.status, output).toBe(0);
    },
  );
});
