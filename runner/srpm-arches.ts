/**
 * A src.rpm's ExcludeArch, ExclusiveArch and BuildArch, as rpm recorded them in its header at
 * `rpmbuild -bs` (macros expanded). Read here rather than with `rpm -qp --qf`: one process fewer
 * between the src.rpm and the build, with the same checks rpm applies when it reads a header.
 */
import { open } from 'node:fs/promises';
import { RpmFormatError } from '../src/sign/errors.js';
import { entryString, findEntry, HEADER_TAG, type RpmHeader, TAG_TYPE } from '../src/sign/rpm-header.js';
import { readRpmPackage } from '../src/sign/rpm-package.js';
import { SourceError } from '../src/sources/errors.js';

/** rpm's RPMTAG_EXCLUDEARCH, RPMTAG_EXCLUSIVEARCH and RPMTAG_BUILDARCHS. */
const TAG = { excludeArch: 1059, exclusiveArch: 1061, buildArchs: 1089 } as const;

export interface SrpmArches {
  name: string;
  excludeArch: string[];
  exclusiveArch: string[];
  /** BuildArch: noarch: the package builds on any arch. */
  noarch: boolean;
}

/** Throws a SourceError (the job's failure reason) when the file is not a package rpm can read. */
export async function readSrpmArches(srpm: string): Promise<SrpmArches> {
  let header: RpmHeader;
  try {
    const handle = await open(srpm, 'r');
    try {
      header = (await readRpmPackage(handle, srpm, (await handle.stat()).size)).header;
    } finally {
      await handle.close();
    }
  } catch (error) {
    const why =
      error instanceof RpmFormatError
        ? error.message
        : ((error as NodeJS.ErrnoException).code ?? String(error));
    throw new SourceError(
      `rpm cannot read the src.rpm ${srpm} (${why}): is it a src.rpm? check source.srpm or the spec`,
      { cause: error },
    );
  }
  const built = strings(header, TAG.buildArchs);
  return {
    name: entryString(findEntry(header, HEADER_TAG.name)) ?? '',
    excludeArch: strings(header, TAG.excludeArch),
    exclusiveArch: strings(header, TAG.exclusiveArch),
    noarch: built.length > 0 && built.every((a) => a === 'noarch'),
  };
}

/** Every string of a STRING_ARRAY entry (or the one of a STRING); none when the tag is absent. */
function strings(header: RpmHeader, tag: number): string[] {
  const entry = findEntry(header, tag);
  if (!entry || (entry.type !== TAG_TYPE.string && entry.type !== TAG_TYPE.stringArray)) return [];
  return entry.data.toString('utf8').split('\0').slice(0, entry.count);
}
