import { publishAptRepo } from '../../src/publish/publish-apt-repo.js';
import { publishDnfRepo } from '../../src/publish/publish-dnf-repo.js';
import { binaryPackages } from '../package-files.js';
import type { Step } from '../types.js';
import type { KeyRing } from './keys.js';

export interface PublishSetup {
  /** OUT/repos. */
  reposDir: string;
  /** Versions of each package kept in a repository. */
  keep: number;
  keys: KeyRing;
  /** Where clients reach a repository (PUBLIC_URL/repos/REPO/); default its file:// URL. */
  baseUrl?: ((repo: string) => string) | undefined;
}

/**
 * Puts the sign job's packages into the repo. rpm: packages, repodata, repomd.xml.asc, the key, a
 * .repo file. deb: pool, Packages indexes, a Release signed into InRelease and Release.gpg, the
 * key, a .sources file. The job's signal stops a publication up to the switch of the repo's link;
 * a publication that switched stands.
 */
export function publishStep(setup: PublishSetup): Step {
  return async (ctx) => {
    if (ctx.job.stage !== 'publish')
      return { state: 'failure', reason: `publish step given a ${ctx.job.stage} job` };
    if (ctx.job.family === 'deb') {
      const debs = binaryPackages(ctx.inputs[ctx.job.sign] ?? [], 'deb');
      if (debs.length === 0) return { state: 'failure', reason: `${ctx.job.sign} left no debs` };
      const published = await publishAptRepo({
        reposDir: setup.reposDir,
        repo: ctx.job.repo,
        packages: debs,
        signer: await setup.keys.signer(ctx.job.key),
        publicKey: await setup.keys.publicKey(ctx.job.key),
        keep: setup.keep,
        log: (line) => ctx.log.info(line),
        signal: ctx.signal,
        baseUrl: setup.baseUrl?.(ctx.job.repo),
      });
      ctx.log.info(
        `install with: cp ${published.sourcesFile} /etc/apt/sources.list.d/ && apt-get update (Signed-By ${published.keyFile})`,
      );
      return { state: 'success' };
    }
    const packages = binaryPackages(ctx.inputs[ctx.job.sign] ?? [], 'rpm');
    if (packages.length === 0) return { state: 'failure', reason: `${ctx.job.sign} left no signed packages` };
    const published = await publishDnfRepo({
      reposDir: setup.reposDir,
      repo: ctx.job.repo,
      packages,
      signer: await setup.keys.signer(ctx.job.key),
      publicKey: await setup.keys.publicKey(ctx.job.key),
      keyName: ctx.job.key,
      keep: setup.keep,
      log: (line) => ctx.log.info(line),
      signal: ctx.signal,
      baseUrl: setup.baseUrl?.(ctx.job.repo),
    });
    ctx.log.info(
      `install with: dnf config-manager --add-repo ${published.repoFile} (or copy it to /etc/yum.repos.d/)`,
    );
    return { state: 'success' };
  };
}
