import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { binaryPackages } from '../package-files.js';
import type { Step } from '../types.js';
import type { KeyRing } from './keys.js';

/**
 * Signs the packages of every build that goes into the job's repo. Copies, never signs in place:
 * the build's artifacts stay as built. A package that several builds made byte for byte alike (a
 * noarch one) is signed once; two different packages under one file name fail the job, since the
 * repository can hold only one of them and the other would be dropped unseen.
 */
export function signStep(keys: KeyRing): Step {
  return async (ctx) => {
    if (ctx.job.stage !== 'sign')
      return { state: 'failure', reason: `sign step given a ${ctx.job.stage} job` };
    const deb = ctx.job.family === 'deb';
    // Digests only for names that come twice: most packages are made by one build.
    const taken = new Map<string, { file: string; build: string; sha256?: Promise<string> }>();
    const clashes: string[] = [];
    for (const [build, files] of Object.entries(ctx.inputs)) {
      for (const file of binaryPackages(files, ctx.job.family)) {
        const name = basename(file);
        const first = taken.get(name);
        if (!first) {
          taken.set(name, { file, build });
          continue;
        }
        first.sha256 ??= fileSha256(first.file);
        const [kept, other] = await Promise.all([first.sha256, fileSha256(file)]);
        if (kept === other) {
          ctx.log.info(
            `${name} from ${build} is the same file (SHA-256 ${other}) as from ${first.build}; ${deb ? 'passing' : 'signing'} it once`,
          );
        } else {
          ctx.log.info(`${name}: SHA-256 ${kept} from ${first.build}, ${other} from ${build}`);
          clashes.push(`${first.build} and ${build} both made ${name}, with different contents`);
        }
      }
    }
    if (clashes.length > 0) {
      const version = deb ? 'version (debian/changelog)' : 'Release (in the spec)';
      return {
        state: 'failure',
        reason:
          `repo ${ctx.job.repo} cannot hold two different packages under one file name: ${clashes.join('; ')}. ` +
          `Give each variant its own repo (a publish[].repo naming the matrix key they differ in, e.g. "${ctx.job.repo}-\${{ matrix.KEY }}") or a distinct ${version}`,
      };
    }
    const copies = new Map<string, string>();
    for (const [name, { file }] of taken) {
      const copy = join(ctx.artifacts, name);
      await copyFile(file, copy);
      copies.set(name, copy);
    }
    if (copies.size === 0)
      return { state: 'failure', reason: 'no binary packages to sign: the builds produced none' };
    if (deb) {
      // apt checks the repository's signed Release, which lists every Packages index, which lists
      // every deb's SHA-256: a deb carries no signature of its own. Publishing signs the Release.
      ctx.log.info(
        `passing ${copies.size} deb(s) for ${ctx.job.repo} through unsigned: apt trusts debs through the repository's Release, which the publish job signs with key "${ctx.job.key}" (InRelease, Release.gpg)`,
      );
      for (const copy of copies.values()) ctx.log.info(`passed ${basename(copy)}`);
      return { state: 'success' };
    }
    const signer = await keys.signer(ctx.job.key);
    ctx.log.info(
      `signing ${copies.size} package(s) for ${ctx.job.repo} with key "${ctx.job.key}" (${signer.key.keyId}, ${signer.key.algorithm})`,
    );
    const outcomes = await signer.signRpms([...copies.values()]);
    const refused = outcomes.filter((o) => !o.ok);
    for (const o of outcomes)
      ctx.log.info(o.ok ? `signed ${basename(o.path)}` : `refused ${basename(o.path)}: ${o.error.message}`);
    if (refused.length)
      return { state: 'failure', reason: `${refused.length} package(s) could not be signed` };
    return { state: 'success' };
  };
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
