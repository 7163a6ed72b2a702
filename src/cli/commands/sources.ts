import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { SourceConfig } from '../../config/types.js';
import { CliError, EXIT } from '../exit-codes.js';

interface SourcesOptions {
  out?: string;
}

export function registerSources(program: Command): void {
  program
    .command('sources')
    .description(
      'fetch the lookaside files a dist-git package lists (.NAME.metadata or sources) and check each digest, as the farm does before a build',
    )
    .argument('[dir]', 'the package repository', '.')
    .option(
      '--out <dir>',
      'make the whole source directory there (the repository’s SOURCES/ or the files beside the spec, and the fetched files) instead of writing into the repository',
    )
    .addHelpText(
      'after',
      `
The list, the URL and the size cap come from source.lookaside in DIR/.albs.yml when there is one,
else the defaults: .NAME.metadata (https://sources.almalinux.org/{hash}) or sources (Fedora's
lookaside). A file already in place with the listed digest is kept; one with another digest is
left alone and reported (exit 1).

Examples:
  $ albs sources ~/rpms/bash
  $ albs sources . --out /tmp/bash-sources
  $ rpmbuild -bs --define "_sourcedir /tmp/bash-sources" SPECS/bash.spec`,
    )
    .action(async (dir: string, options: SourcesOptions) => {
      const [{ getSources }, { SourceError }] = await Promise.all([
        import('../../sources/get-sources.js'),
        import('../../sources/errors.js'),
      ]);
      const source = await sourceConfig(dir);
      try {
        const got = await getSources({
          repo: dir,
          source,
          out: options.out,
          log: (line) => process.stdout.write(`${line}\n`),
        });
        process.stdout.write(
          `${got.fetched.length} fetched, ${got.present.length} already in place: sources are in ${got.sourceDir}\n`,
        );
      } catch (error) {
        if (error instanceof SourceError) throw new CliError(error.message, EXIT.failed, { cause: error });
        throw error;
      }
    });
}

/** source.* of DIR/.albs.yml; none (every default) when the repository has no .albs.yml. */
async function sourceConfig(dir: string): Promise<SourceConfig> {
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
    throw new CliError(`${dir} is not a directory: give the package repository`, EXIT.usage);
  }
  if ((await stat(join(dir, '.albs.yml')).catch(() => undefined)) === undefined) return {};
  const { readConfig } = await import('../read-config.js');
  const { result } = await readConfig(dir);
  if (result.config === null) {
    throw new CliError(`${join(dir, '.albs.yml')} is not valid (problems above): fix it first`, EXIT.usage);
  }
  return result.config.source;
}
