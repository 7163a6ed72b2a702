/**
 * RPM header blobs: parse one from a buffer and write a signature header back, with the same checks
 * rpm 4.18 applies when it reads a package (lib/header.c), so that albs refuses what rpm would refuse
 * and never writes a header rpm cannot read.
 *
 * A header is: 8 magic bytes, the index length `il` and data length `dl` (big-endian u32), `il`
 * 16-byte index entries (tag, type, offset, count) and `dl` data bytes. In a package file the first
 * entry is a region tag whose data, the last 16 bytes of the data, is a trailer entry whose negative
 * offset says the region covers the whole index.
 */
import { RpmFormatError } from './errors.js';

export const HEADER_MAGIC = Buffer.from([0x8e, 0xad, 0xe8, 0x01, 0x00, 0x00, 0x00, 0x00]);
/** Magic, il and dl. */
export const HEADER_INTRO_SIZE = 16;
const ENTRY_SIZE = 16;
const REGION_TYPE = 7;
const REGION_COUNT = 16;

/** Signature header tags (rpm's RPMSIGTAG_* and the region tag). */
export const SIG_TAG = {
  headerImage: 61,
  headerSignatures: 62,
  dsa: 267,
  rsa: 268,
  sha1: 269,
  longSize: 270,
  sha256: 273,
  /** rpm 6 v6-capable signatures; rpm 4.18 ignores it. */
  openpgp: 278,
  size: 1000,
  pgp: 1002,
  md5: 1004,
  gpg: 1005,
  pgp5: 1006,
  payloadSize: 1007,
  reservedSpace: 1008,
} as const;

/** Main header tags albs reads. */
export const HEADER_TAG = {
  headerImmutable: 63,
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  arch: 1022,
  payloadDigest: 5092,
  payloadDigestAlgo: 5093,
} as const;

/** Every OpenPGP signature tag rpm has known; signing replaces all of them. */
export const SIGNATURE_TAGS: readonly number[] = [
  SIG_TAG.dsa,
  SIG_TAG.rsa,
  SIG_TAG.openpgp,
  SIG_TAG.pgp,
  SIG_TAG.gpg,
  SIG_TAG.pgp5,
];

export const TAG_TYPE = {
  char: 1,
  int8: 2,
  int16: 3,
  int32: 4,
  int64: 5,
  string: 6,
  bin: 7,
  stringArray: 8,
  i18nString: 9,
} as const;

const ALIGNMENT: Readonly<Record<number, number>> = { 3: 2, 4: 4, 5: 8 };

// rpm's limits (lib/header_internal.h, lib/signature.c): larger values mean a damaged or hostile file.
export const MAX_SIGNATURE_TAGS = 32;
const MAX_SIGNATURE_DATA = 64 * 1024 * 1024;
const MAX_HEADER_TAGS = 0x00ffffff;
const MAX_HEADER_DATA = 256 * 1024 * 1024;

export type HeaderKind = 'signature' | 'main';

export interface HeaderEntry {
  readonly tag: number;
  readonly type: number;
  readonly count: number;
  /** Exactly the entry's data bytes, without alignment padding. */
  readonly data: Buffer;
}

export interface RpmHeader {
  readonly kind: HeaderKind;
  /** Where the header starts in the buffer it was parsed from. */
  readonly offset: number;
  /** Magic to the end of the data: the bytes rpm's digests and signatures cover. */
  readonly length: number;
  /** The region tag (62 or 63), or undefined for a legacy header without a region. */
  readonly regionTag: number | undefined;
  /** The entries in index order, without the region entry. */
  readonly entries: readonly HeaderEntry[];
}

/**
 * The full length of the header at `offset`, read from its intro. Throws when the bytes there are not a
 * header; returns undefined when the buffer ends before the intro does.
 */
export function headerLengthAt(
  buf: Buffer,
  offset: number,
  kind: HeaderKind,
  source: string,
): number | undefined {
  if (buf.length < offset + HEADER_INTRO_SIZE) return undefined;
  if (!buf.subarray(offset, offset + 8).equals(HEADER_MAGIC)) {
    throw new RpmFormatError(
      `${source}: no ${kind} header at byte ${offset} (found ${hex(buf.subarray(offset, offset + 8))}, expected ${hex(HEADER_MAGIC)}); the file is damaged or not an RPM package — rebuild or download it again`,
      { path: source },
    );
  }
  const il = buf.readUInt32BE(offset + 8);
  const dl = buf.readUInt32BE(offset + 12);
  const maxTags = kind === 'signature' ? MAX_SIGNATURE_TAGS : MAX_HEADER_TAGS;
  const maxData = kind === 'signature' ? MAX_SIGNATURE_DATA : MAX_HEADER_DATA;
  if (il < 1 || il > maxTags || dl > maxData) {
    throw new RpmFormatError(
      `${source}: ${kind} header at byte ${offset} claims ${il} tags and ${dl} data bytes (rpm allows 1..${maxTags} tags and at most ${maxData} bytes); the file is damaged — rebuild or download it again`,
      { path: source },
    );
  }
  return HEADER_INTRO_SIZE + il * ENTRY_SIZE + dl;
}

/** Parses and checks the header at `offset`; the buffer must hold all of it (see `headerLengthAt`). */
export function parseHeader(buf: Buffer, offset: number, kind: HeaderKind, source: string): RpmHeader {
  const length = headerLengthAt(buf, offset, kind, source);
  if (length === undefined || buf.length < offset + length) {
    throw new RpmFormatError(
      `${source}: truncated: the ${kind} header at byte ${offset} does not fit in the file`,
      {
        path: source,
      },
    );
  }
  const il = buf.readUInt32BE(offset + 8);
  const dl = buf.readUInt32BE(offset + 12);
  const indexStart = offset + HEADER_INTRO_SIZE;
  const dataStart = indexStart + il * ENTRY_SIZE;
  const bad = (reason: string): RpmFormatError =>
    new RpmFormatError(
      `${source}: damaged ${kind} header: ${reason}; rpm would refuse it too — rebuild or download the package again`,
      { path: source },
    );

  const readEntry = (i: number) => {
    const at = indexStart + i * ENTRY_SIZE;
    return {
      tag: buf.readUInt32BE(at),
      type: buf.readUInt32BE(at + 4),
      offset: buf.readInt32BE(at + 8),
      count: buf.readUInt32BE(at + 12),
    };
  };

  const first = readEntry(0);
  let regionTag: number | undefined;
  const isRegion =
    kind === 'signature'
      ? first.tag === SIG_TAG.headerSignatures || first.tag === SIG_TAG.headerImage
      : first.tag === HEADER_TAG.headerImmutable || first.tag === SIG_TAG.headerImage;
  if (isRegion) {
    if (first.type !== REGION_TYPE || first.count !== REGION_COUNT) {
      throw bad(`region tag ${first.tag} has type ${first.type} and count ${first.count}, expected 7 and 16`);
    }
    if (first.offset < 0 || first.offset + REGION_COUNT !== dl) {
      throw bad(
        `region trailer at data offset ${first.offset}, expected ${dl - REGION_COUNT} (the end of the data)`,
      );
    }
    const trailerAt = dataStart + first.offset;
    const trailerTag = buf.readUInt32BE(trailerAt);
    const trailerType = buf.readUInt32BE(trailerAt + 4);
    const trailerOffset = buf.readInt32BE(trailerAt + 8);
    const trailerCount = buf.readUInt32BE(trailerAt + 12);
    const tagMatches =
      trailerTag === first.tag || (kind === 'signature' && trailerTag === SIG_TAG.headerImage);
    if (!tagMatches || trailerType !== REGION_TYPE || trailerCount !== REGION_COUNT) {
      throw bad(`region trailer is tag ${trailerTag} type ${trailerType} count ${trailerCount}`);
    }
    if (trailerOffset !== -(il * ENTRY_SIZE)) {
      throw bad(`region covers ${-trailerOffset / ENTRY_SIZE} of ${il} tags`);
    }
    regionTag = first.tag;
  }

  const entries: HeaderEntry[] = [];
  let end = 0;
  for (let i = regionTag === undefined ? 0 : 1; i < il; i++) {
    const e = readEntry(i);
    const where = `tag ${e.tag} (entry ${i})`;
    if (e.type < TAG_TYPE.char || e.type > TAG_TYPE.i18nString)
      throw bad(`${where} has unknown type ${e.type}`);
    if (e.offset < end) throw bad(`${where} overlaps the data before it`);
    if (e.offset % (ALIGNMENT[e.type] ?? 1) !== 0) throw bad(`${where} data is not aligned`);
    if (e.count < 1 || e.count > MAX_HEADER_DATA) throw bad(`${where} has count ${e.count}`);
    const length = dataLength(buf, dataStart + e.offset, e.type, e.count, dataStart + dl);
    if (length === undefined) throw bad(`${where} data runs past the end of the header`);
    end = e.offset + length;
    if (regionTag !== undefined && end > dl - REGION_COUNT)
      throw bad(`${where} data overlaps the region trailer`);
    entries.push({
      tag: e.tag,
      type: e.type,
      count: e.count,
      data: buf.subarray(dataStart + e.offset, dataStart + e.offset + length),
    });
  }
  return { kind, offset, length, regionTag, entries };
}

function dataLength(
  buf: Buffer,
  start: number,
  type: number,
  count: number,
  limit: number,
): number | undefined {
  let length: number;
  switch (type) {
    case TAG_TYPE.string:
      if (count !== 1) return undefined;
      return stringsLength(buf, start, 1, limit);
    case TAG_TYPE.stringArray:
    case TAG_TYPE.i18nString:
      return stringsLength(buf, start, count, limit);
    case TAG_TYPE.int16:
      length = 2 * count;
      break;
    case TAG_TYPE.int32:
      length = 4 * count;
      break;
    case TAG_TYPE.int64:
      length = 8 * count;
      break;
    default:
      length = count;
  }
  return start + length <= limit ? length : undefined;
}

function stringsLength(buf: Buffer, start: number, count: number, limit: number): number | undefined {
  let at = start;
  for (let i = 0; i < count; i++) {
    const nul = buf.indexOf(0, at);
    if (nul < 0 || nul >= limit) return undefined;
    at = nul + 1;
  }
  return at - start;
}

/** The bytes `serializeHeader` would produce for these entries, without producing them. */
export function serializedHeaderLength(entries: readonly HeaderEntry[]): number {
  let dl = 0;
  for (const e of sortByTag(entries)) dl = align(dl, e.type) + e.data.length;
  dl += REGION_COUNT;
  return HEADER_INTRO_SIZE + (entries.length + 1) * ENTRY_SIZE + dl;
}

/**
 * A header in the layout rpm's `headerReload` gives a package header: the region entry first, the
 * other entries sorted by tag, their data in index order with each type's alignment, then the region
 * trailer. Only entries are kept; the caller's alignment gaps and order are not.
 */
export function serializeHeader(regionTag: number, entries: readonly HeaderEntry[]): Buffer {
  const sorted = sortByTag(entries);
  const il = sorted.length + 1;
  const offsets: number[] = [];
  let dl = 0;
  for (const e of sorted) {
    dl = align(dl, e.type);
    offsets.push(dl);
    dl += e.data.length;
  }
  const trailerOffset = dl;
  dl += REGION_COUNT;

  const out = Buffer.alloc(HEADER_INTRO_SIZE + il * ENTRY_SIZE + dl);
  HEADER_MAGIC.copy(out, 0);
  out.writeUInt32BE(il, 8);
  out.writeUInt32BE(dl, 12);
  const indexStart = HEADER_INTRO_SIZE;
  const dataStart = indexStart + il * ENTRY_SIZE;
  writeEntry(out, indexStart, regionTag, REGION_TYPE, trailerOffset, REGION_COUNT);
  sorted.forEach((e, i) => {
    const offset = offsets[i]!;
    writeEntry(out, indexStart + (i + 1) * ENTRY_SIZE, e.tag, e.type, offset, e.count);
    e.data.copy(out, dataStart + offset);
  });
  writeEntry(out, dataStart + trailerOffset, regionTag, REGION_TYPE, -(il * ENTRY_SIZE), REGION_COUNT);
  return out;
}

function writeEntry(out: Buffer, at: number, tag: number, type: number, offset: number, count: number): void {
  out.writeUInt32BE(tag, at);
  out.writeUInt32BE(type, at + 4);
  out.writeInt32BE(offset, at + 8);
  out.writeUInt32BE(count, at + 12);
}

function sortByTag(entries: readonly HeaderEntry[]): HeaderEntry[] {
  return [...entries].sort((a, b) => a.tag - b.tag);
}

function align(offset: number, type: number): number {
  const a = ALIGNMENT[type] ?? 1;
  return Math.ceil(offset / a) * a;
}

/** Zero bytes that follow the signature header so the main header starts on an 8-byte boundary. */
export function signaturePadding(headerLength: number): number {
  return (8 - (headerLength % 8)) % 8;
}

export function findEntry(header: RpmHeader, tag: number): HeaderEntry | undefined {
  return header.entries.find((e) => e.tag === tag);
}

/** The first string of a STRING, STRING_ARRAY or I18NSTRING entry. */
export function entryString(entry: HeaderEntry | undefined): string | undefined {
  if (!entry || (entry.type !== TAG_TYPE.string && entry.type < TAG_TYPE.stringArray)) return undefined;
  const nul = entry.data.indexOf(0);
  return entry.data.toString('utf8', 0, nul < 0 ? entry.data.length : nul);
}

/** The first number of an INT32 or INT64 entry. */
export function entryNumber(entry: HeaderEntry | undefined): number | undefined {
  if (entry?.type === TAG_TYPE.int32) return entry.data.readUInt32BE(0);
  if (entry?.type === TAG_TYPE.int64) return Number(entry.data.readBigUInt64BE(0));
  return undefined;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');
}
