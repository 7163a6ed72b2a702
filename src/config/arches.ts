/** The builders albs-ci knows, and the package family each produces. */
export const BUILDERS = ['rpmbuild', 'mock', 'dpkg'] as const;
export type Builder = (typeof BUILDERS)[number];

/** Arch names rpm and mock use (rpmrc's arch_canon plus the microarchitecture levels). */
export const RPM_ARCHES = [
  'noarch',
  'x86_64',
  'x86_64_v2',
  'x86_64_v3',
  'x86_64_v4',
  'i386',
  'i486',
  'i586',
  'i686',
  'aarch64',
  'armv7hl',
  'armv7hnl',
  'ppc64le',
  'ppc64',
  's390x',
  'riscv64',
  'loongarch64',
  'mips64el',
] as const;

/** Arch names dpkg uses (dpkg-architecture -L, the ones a distribution builds), `all` for arch-independent. */
export const DEB_ARCHES = [
  'all',
  'amd64',
  'i386',
  'arm64',
  'armhf',
  'armel',
  'ppc64el',
  's390x',
  'riscv64',
  'mips64el',
  'loong64',
] as const;

export function archesFor(builder: Builder): readonly string[] {
  return builder === 'dpkg' ? DEB_ARCHES : RPM_ARCHES;
}

/** The same machine under the other family's name: a packager who writes amd64 for rpmbuild meant x86_64. */
const CROSS_NAMES: Record<string, string> = {
  amd64: 'x86_64',
  x86_64: 'amd64',
  arm64: 'aarch64',
  aarch64: 'arm64',
  ppc64el: 'ppc64le',
  ppc64le: 'ppc64el',
  all: 'noarch',
  noarch: 'all',
  i386: 'i686',
};

/** The other family's name for the same machine, if that name is valid for `builder`. */
export function crossArchName(arch: string, builder: Builder): string | undefined {
  const other = CROSS_NAMES[arch];
  return other !== undefined && archesFor(builder).includes(other) ? other : undefined;
}

/** The package family a builder makes. A repository holds one family: dnf for rpm, apt for deb. */
export type PackageFamily = 'rpm' | 'deb';

export function familyOf(builder: Builder): PackageFamily {
  return builder === 'dpkg' ? 'deb' : 'rpm';
}
