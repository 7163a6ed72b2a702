import type { PackageFamily } from '../src/config/arches.js';

/**
 * The binary packages among a build's artifacts: what a test job installs, a sign job signs and a
 * publish job puts into a repository. rpm: every .rpm but the .src.rpm; deb: every .deb. Source
 * packages (the src.rpm; the .dsc with its tarballs, the .changes, the .buildinfo) stay in the
 * build's artifacts.
 */
export function binaryPackages(paths: Iterable<string>, family: PackageFamily): string[] {
  return [...paths].filter((p) =>
    family === 'deb' ? p.endsWith('.deb') : p.endsWith('.rpm') && !p.endsWith('.src.rpm'),
  );
}
