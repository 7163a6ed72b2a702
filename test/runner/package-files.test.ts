import { describe, expect, it } from 'vitest';
import { binaryPackages } from '../../runner/package-files.js';

const ARTIFACTS = [
  '/a/hello-1.0-1.src.rpm',
  '/a/hello-1.0-1.x86_64.rpm',
  '/a/hello-doc-1.0-1.noarch.rpm',
  '/a/build.log',
  '/a/tiny_1.0-1.dsc',
  '/a/tiny_1.0.orig.tar.gz',
  '/a/tiny_1.0.orig.tar.gz.asc',
  '/a/tiny_1.0-1.debian.tar.xz',
  '/a/tiny_1.0-1_amd64.changes',
  '/a/tiny_1.0-1_amd64.buildinfo',
  '/a/tiny_1.0-1_all.deb',
];

describe('binaryPackages', () => {
  it('rpm: the binary rpms, not the src.rpm', () => {
    expect(binaryPackages(ARTIFACTS, 'rpm')).toEqual([
      '/a/hello-1.0-1.x86_64.rpm',
      '/a/hello-doc-1.0-1.noarch.rpm',
    ]);
  });

  it('deb: the debs, not the source package, .changes or .buildinfo', () => {
    expect(binaryPackages(ARTIFACTS, 'deb')).toEqual(['/a/tiny_1.0-1_all.deb']);
  });
});
