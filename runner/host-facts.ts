import { arch } from 'node:os';
import { execa } from 'execa';
import type { HostFacts } from './types.js';

/** Node's arch names to RPM's and Debian's: the labels a runner has by default. */
const ARCHES: Record<string, { rpm: string; deb: string }> = {
  x64: { rpm: 'x86_64', deb: 'amd64' },
  arm64: { rpm: 'aarch64', deb: 'arm64' },
  ppc64: { rpm: 'ppc64le', deb: 'ppc64el' },
  s390x: { rpm: 's390x', deb: 's390x' },
  riscv64: { rpm: 'riscv64', deb: 'riscv64' },
  ia32: { rpm: 'i686', deb: 'i386' },
  loong64: { rpm: 'loongarch64', deb: 'loong64' },
};

export function hostArches(nodeArch: string = arch()): { rpm: string; deb: string } {
  return ARCHES[nodeArch] ?? { rpm: nodeArch, deb: nodeArch };
}

/** Arch names albs knows, RPM's and Debian's, beyond the ones of ARCHES (older and 32-bit ARM). */
const MORE_ARCHES = [
  'i386',
  'i586',
  'armv7hl',
  'armhfp',
  'armhf',
  'armel',
  'ppc64',
  'ppc64el',
  'mips64el',
  's390',
];

/**
 * The labels among `labels` that name an architecture other than the host's: a runner refuses
 * them, since albs never cross-builds and a job routed by arch label must run on that arch.
 */
export function otherArchLabels(
  labels: readonly string[],
  host: { rpmArch: string; debArch: string },
): string[] {
  const known = new Set([...Object.values(ARCHES).flatMap((a) => [a.rpm, a.deb]), ...MORE_ARCHES]);
  return labels.filter((label) => known.has(label) && label !== host.rpmArch && label !== host.debArch);
}

/** The labels a runner on this arch has unless told otherwise. */
export function defaultLabels(rpmArch: string, debArch: string): string[] {
  return [...new Set([rpmArch, debArch, 'noarch', 'all'])];
}

/**
 * What this host is. An rpm database with no packages in it (Debian, Ubuntu) cannot answer
 * BuildRequires, so builds there run with --nodeps.
 */
export async function detectHost(labels?: string[]): Promise<HostFacts> {
  const { rpm, deb } = hostArches();
  const query = await execa('rpm', ['-qa', '--qf', '%{NAME}\\n'], { reject: false, stdin: 'ignore' });
  const rpmDatabaseUsable = query.exitCode === 0 && String(query.stdout).trim() !== '';
  return { rpmArch: rpm, debArch: deb, rpmDatabaseUsable, labels: labels ?? defaultLabels(rpm, deb) };
}
