/**
 * Signatures of repository metadata: dnf checks `repodata/repomd.xml.asc` (a detached armored
 * signature) when `repo_gpgcheck=1`; apt checks `InRelease` (the Release file cleartext-signed) or,
 * from older clients, `Release.gpg` (a detached armored signature) beside `Release`.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomically } from '../store/atomic-write.js';
import { RepoMetadataError } from './errors.js';
import type { RepoMetadataTarget, Signer } from './signer.js';

type MetadataSigner = Pick<Signer, 'signDetached' | 'signCleartext'>;

export async function signRepoMetadata(
  signer: MetadataSigner,
  target: RepoMetadataTarget,
): Promise<string[]> {
  if (target.kind === 'dnf') {
    const repomd = await readMetadata(target.repomd, 'run createrepo_c on the repository first');
    const signature = await signer.signDetached(repomd, 'armored');
    const asc = `${target.repomd}.asc`;
    await writeFileAtomically(asc, signature);
    return [asc];
  }
  const release = await readMetadata(target.release, 'write the Release file first');
  const dir = dirname(target.release);
  const inRelease = join(dir, 'InRelease');
  const releaseGpg = join(dir, 'Release.gpg');
  // Both signatures cover the same Release bytes; apt reads InRelease and falls back to Release.gpg.
  const [cleartext, detached] = await Promise.all([
    signer.signCleartext(release.toString('utf8')),
    signer.signDetached(release, 'armored'),
  ]);
  await writeFileAtomically(inRelease, cleartext);
  await writeFileAtomically(releaseGpg, detached);
  return [inRelease, releaseGpg];
}

async function readMetadata(path: string, fix: string): Promise<Buffer> {
  return readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new RepoMetadataError(
      `${path}: cannot read the metadata to sign (${error.code ?? error.message}); ${fix}`,
      {
        path,
        cause: error,
      },
    );
  });
}
