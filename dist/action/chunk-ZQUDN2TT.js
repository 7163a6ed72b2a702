import { createRequire as __albsCreateRequire } from 'node:module'; const require = __albsCreateRequire(import.meta.url);
import {
  RpmDigestError,
  RpmFormatError
} from "./chunk-H2ZUATAW.js";

// src/sign/rpm-header.ts
var HEADER_MAGIC = Buffer.from([142, 173, 232, 1, 0, 0, 0, 0]);
var HEADER_INTRO_SIZE = 16;
var ENTRY_SIZE = 16;
var REGION_TYPE = 7;
var REGION_COUNT = 16;
var SIG_TAG = {
  headerImage: 61,
  headerSignatures: 62,
  dsa: 267,
  rsa: 268,
  sha1: 269,
  longSize: 270,
  sha256: 273,
  /** rpm 6 v6-capable signatures; rpm 4.18 ignores it. */
  openpgp: 278,
  size: 1e3,
  pgp: 1002,
  md5: 1004,
  gpg: 1005,
  pgp5: 1006,
  payloadSize: 1007,
  reservedSpace: 1008
};
var HEADER_TAG = {
  headerImmutable: 63,
  name: 1e3,
  version: 1001,
  release: 1002,
  epoch: 1003,
  arch: 1022,
  payloadDigest: 5092,
  payloadDigestAlgo: 5093
};
var SIGNATURE_TAGS = [
  SIG_TAG.dsa,
  SIG_TAG.rsa,
  SIG_TAG.openpgp,
  SIG_TAG.pgp,
  SIG_TAG.gpg,
  SIG_TAG.pgp5
];
var TAG_TYPE = {
  char: 1,
  int8: 2,
  int16: 3,
  int32: 4,
  int64: 5,
  string: 6,
  bin: 7,
  stringArray: 8,
  i18nString: 9
};
var ALIGNMENT = { 3: 2, 4: 4, 5: 8 };
var MAX_SIGNATURE_TAGS = 32;
var MAX_SIGNATURE_DATA = 64 * 1024 * 1024;
var MAX_HEADER_TAGS = 16777215;
var MAX_HEADER_DATA = 256 * 1024 * 1024;
function headerLengthAt(buf, offset, kind, source) {
  if (buf.length < offset + HEADER_INTRO_SIZE) return void 0;
  if (!buf.subarray(offset, offset + 8).equals(HEADER_MAGIC)) {
    throw new RpmFormatError(
      `${source}: no ${kind} header at byte ${offset} (found ${hex(buf.subarray(offset, offset + 8))}, expected ${hex(HEADER_MAGIC)}); the file is damaged or not an RPM package \u2014 rebuild or download it again`,
      { path: source }
    );
  }
  const il = buf.readUInt32BE(offset + 8);
  const dl = buf.readUInt32BE(offset + 12);
  const maxTags = kind === "signature" ? MAX_SIGNATURE_TAGS : MAX_HEADER_TAGS;
  const maxData = kind === "signature" ? MAX_SIGNATURE_DATA : MAX_HEADER_DATA;
  if (il < 1 || il > maxTags || dl > maxData) {
    throw new RpmFormatError(
      `${source}: ${kind} header at byte ${offset} claims ${il} tags and ${dl} data bytes (rpm allows 1..${maxTags} tags and at most ${maxData} bytes); the file is damaged \u2014 rebuild or download it again`,
      { path: source }
    );
  }
  return HEADER_INTRO_SIZE + il * ENTRY_SIZE + dl;
}
function parseHeader(buf, offset, kind, source) {
  const length = headerLengthAt(buf, offset, kind, source);
  if (length === void 0 || buf.length < offset + length) {
    throw new RpmFormatError(
      `${source}: truncated: the ${kind} header at byte ${offset} does not fit in the file`,
      {
        path: source
      }
    );
  }
  const il = buf.readUInt32BE(offset + 8);
  const dl = buf.readUInt32BE(offset + 12);
  const indexStart = offset + HEADER_INTRO_SIZE;
  const dataStart = indexStart + il * ENTRY_SIZE;
  const bad = (reason) => new RpmFormatError(
    `${source}: damaged ${kind} header: ${reason}; rpm would refuse it too \u2014 rebuild or download the package again`,
    { path: source }
  );
  const readEntry = (i) => {
    const at = indexStart + i * ENTRY_SIZE;
    return {
      tag: buf.readUInt32BE(at),
      type: buf.readUInt32BE(at + 4),
      offset: buf.readInt32BE(at + 8),
      count: buf.readUInt32BE(at + 12)
    };
  };
  const first = readEntry(0);
  let regionTag;
  const isRegion = kind === "signature" ? first.tag === SIG_TAG.headerSignatures || first.tag === SIG_TAG.headerImage : first.tag === HEADER_TAG.headerImmutable || first.tag === SIG_TAG.headerImage;
  if (isRegion) {
    if (first.type !== REGION_TYPE || first.count !== REGION_COUNT) {
      throw bad(`region tag ${first.tag} has type ${first.type} and count ${first.count}, expected 7 and 16`);
    }
    if (first.offset < 0 || first.offset + REGION_COUNT !== dl) {
      throw bad(
        `region trailer at data offset ${first.offset}, expected ${dl - REGION_COUNT} (the end of the data)`
      );
    }
    const trailerAt = dataStart + first.offset;
    const trailerTag = buf.readUInt32BE(trailerAt);
    const trailerType = buf.readUInt32BE(trailerAt + 4);
    const trailerOffset = buf.readInt32BE(trailerAt + 8);
    const trailerCount = buf.readUInt32BE(trailerAt + 12);
    const tagMatches = trailerTag === first.tag || kind === "signature" && trailerTag === SIG_TAG.headerImage;
    if (!tagMatches || trailerType !== REGION_TYPE || trailerCount !== REGION_COUNT) {
      throw bad(`region trailer is tag ${trailerTag} type ${trailerType} count ${trailerCount}`);
    }
    if (trailerOffset !== -(il * ENTRY_SIZE)) {
      throw bad(`region covers ${-trailerOffset / ENTRY_SIZE} of ${il} tags`);
    }
    regionTag = first.tag;
  }
  const entries = [];
  let end = 0;
  for (let i = regionTag === void 0 ? 0 : 1; i < il; i++) {
    const e = readEntry(i);
    const where = `tag ${e.tag} (entry ${i})`;
    if (e.type < TAG_TYPE.char || e.type > TAG_TYPE.i18nString)
      throw bad(`${where} has unknown type ${e.type}`);
    if (e.offset < end) throw bad(`${where} overlaps the data before it`);
    if (e.offset % (ALIGNMENT[e.type] ?? 1) !== 0) throw bad(`${where} data is not aligned`);
    if (e.count < 1 || e.count > MAX_HEADER_DATA) throw bad(`${where} has count ${e.count}`);
    const length2 = dataLength(buf, dataStart + e.offset, e.type, e.count, dataStart + dl);
    if (length2 === void 0) throw bad(`${where} data runs past the end of the header`);
    end = e.offset + length2;
    if (regionTag !== void 0 && end > dl - REGION_COUNT)
      throw bad(`${where} data overlaps the region trailer`);
    entries.push({
      tag: e.tag,
      type: e.type,
      count: e.count,
      data: buf.subarray(dataStart + e.offset, dataStart + e.offset + length2)
    });
  }
  return { kind, offset, length, regionTag, entries };
}
function dataLength(buf, start, type, count, limit) {
  let length;
  switch (type) {
    case TAG_TYPE.string:
      if (count !== 1) return void 0;
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
  return start + length <= limit ? length : void 0;
}
function stringsLength(buf, start, count, limit) {
  let at = start;
  for (let i = 0; i < count; i++) {
    const nul = buf.indexOf(0, at);
    if (nul < 0 || nul >= limit) return void 0;
    at = nul + 1;
  }
  return at - start;
}
function serializedHeaderLength(entries) {
  let dl = 0;
  for (const e of sortByTag(entries)) dl = align(dl, e.type) + e.data.length;
  dl += REGION_COUNT;
  return HEADER_INTRO_SIZE + (entries.length + 1) * ENTRY_SIZE + dl;
}
function serializeHeader(regionTag, entries) {
  const sorted = sortByTag(entries);
  const il = sorted.length + 1;
  const offsets = [];
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
    const offset = offsets[i];
    writeEntry(out, indexStart + (i + 1) * ENTRY_SIZE, e.tag, e.type, offset, e.count);
    e.data.copy(out, dataStart + offset);
  });
  writeEntry(out, dataStart + trailerOffset, regionTag, REGION_TYPE, -(il * ENTRY_SIZE), REGION_COUNT);
  return out;
}
function writeEntry(out, at, tag, type, offset, count) {
  out.writeUInt32BE(tag, at);
  out.writeUInt32BE(type, at + 4);
  out.writeInt32BE(offset, at + 8);
  out.writeUInt32BE(count, at + 12);
}
function sortByTag(entries) {
  return [...entries].sort((a, b) => a.tag - b.tag);
}
function align(offset, type) {
  const a = ALIGNMENT[type] ?? 1;
  return Math.ceil(offset / a) * a;
}
function signaturePadding(headerLength) {
  return (8 - headerLength % 8) % 8;
}
function findEntry(header, tag) {
  return header.entries.find((e) => e.tag === tag);
}
function entryString(entry) {
  if (!entry || entry.type !== TAG_TYPE.string && entry.type < TAG_TYPE.stringArray) return void 0;
  const nul = entry.data.indexOf(0);
  return entry.data.toString("utf8", 0, nul < 0 ? entry.data.length : nul);
}
function entryNumber(entry) {
  if (entry?.type === TAG_TYPE.int32) return entry.data.readUInt32BE(0);
  if (entry?.type === TAG_TYPE.int64) return Number(entry.data.readBigUInt64BE(0));
  return void 0;
}
function hex(bytes) {
  return Buffer.from(bytes).toString("hex").replace(/(..)(?!$)/g, "$1 ");
}

// src/sign/rpm-package.ts
import { createHash } from "node:crypto";
var LEAD_SIZE = 96;
var LEAD_MAGIC = Buffer.from([237, 171, 238, 219]);
var LEAD_SIGNATURE_TYPE = 5;
var FIRST_READ = 256 * 1024;
var COPY_CHUNK = 1024 * 1024;
async function readRpmPackage(handle, path, fileSize) {
  let head = Buffer.alloc(Math.min(fileSize, FIRST_READ));
  await readFully(handle, head, 0);
  const ensure = async (length, what) => {
    if (length <= head.length) return;
    if (length > fileSize) {
      throw new RpmFormatError(
        `${path}: truncated RPM: the ${what} ends at byte ${length} but the file has only ${fileSize} bytes; copy or download the package again`,
        { path }
      );
    }
    const grown = Buffer.alloc(length);
    head.copy(grown);
    await readFully(handle, grown.subarray(head.length), head.length);
    head = grown;
  };
  if (head.length < LEAD_MAGIC.length || !head.subarray(0, 4).equals(LEAD_MAGIC)) {
    throw new RpmFormatError(
      `${path}: not an RPM package (it starts with ${hex(head.subarray(0, 4)) || "nothing"}, an RPM starts with ${hex(LEAD_MAGIC)}); pass .rpm files built by rpmbuild`,
      { path }
    );
  }
  await ensure(LEAD_SIZE + 16, "lead");
  const major = head[4];
  const signatureType = head.readUInt16BE(78);
  if (major !== 3 && major !== 4 || signatureType !== LEAD_SIGNATURE_TYPE) {
    throw new RpmFormatError(
      `${path}: unsupported RPM lead (format ${major}, signature type ${signatureType}; rpm 4 writes format 3 or 4 with type 5); rebuild the package with rpm 4`,
      { path }
    );
  }
  const signatureLength = headerLengthAt(head, LEAD_SIZE, "signature", path);
  const headerOffset = LEAD_SIZE + signatureLength + signaturePadding(signatureLength);
  await ensure(headerOffset + 16, "signature header");
  const signature = parseHeader(head, LEAD_SIZE, "signature", path);
  const headerLength = headerLengthAt(head, headerOffset, "main", path);
  await ensure(headerOffset + headerLength, "main header");
  const header = parseHeader(head, headerOffset, "main", path);
  const payloadOffset = headerOffset + headerLength;
  return {
    path,
    fileSize,
    head,
    signature,
    header,
    headerBytes: head.subarray(headerOffset, payloadOffset),
    payloadOffset
  };
}
async function readFully(handle, into, position) {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await handle.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw new Error(`file ended at byte ${position + done} while reading`);
    done += bytesRead;
  }
}
function packageLabel(pkg) {
  const get = (tag) => entryString(findEntry(pkg.header, tag));
  const name = get(HEADER_TAG.name);
  if (!name) return pkg.path;
  return `${name}-${get(HEADER_TAG.version) ?? "?"}-${get(HEADER_TAG.release) ?? "?"}.${get(HEADER_TAG.arch) ?? "?"}`;
}
function checkPackageSize(pkg) {
  const recorded = entryNumber(findEntry(pkg.signature, SIG_TAG.longSize)) ?? entryNumber(findEntry(pkg.signature, SIG_TAG.size));
  if (recorded === void 0) return;
  const actual = pkg.fileSize - pkg.header.offset;
  if (actual < recorded) {
    throw new RpmFormatError(
      `${pkg.path}: truncated RPM: the package records ${recorded} bytes of header and payload but the file has ${actual}; copy or download the package again`,
      { path: pkg.path }
    );
  }
  if (actual > recorded) {
    throw new RpmFormatError(
      `${pkg.path}: ${actual - recorded} unexpected bytes after the end of the package (it records ${recorded} bytes of header and payload, the file has ${actual}); copy or download the package again`,
      { path: pkg.path }
    );
  }
}
function checkHeaderDigests(pkg) {
  const sha256 = entryString(findEntry(pkg.signature, SIG_TAG.sha256));
  const sha1 = entryString(findEntry(pkg.signature, SIG_TAG.sha1));
  if (sha256 === void 0 && sha1 === void 0) {
    throw new RpmDigestError(
      `${pkg.path}: the signature header has no header digest (tag 273 or 269), so nothing proves the header is the one rpmbuild wrote; rebuild the package with rpm 4.14 or later`,
      { path: pkg.path }
    );
  }
  for (const [name, algorithm, expected] of [
    ["SHA256 (tag 273)", "sha256", sha256],
    ["SHA1 (tag 269)", "sha1", sha1]
  ]) {
    if (expected === void 0) continue;
    const actual = createHash(algorithm).update(pkg.headerBytes).digest("hex");
    if (actual !== expected.toLowerCase()) {
      throw new RpmDigestError(
        `${pkg.path}: header digest mismatch: ${name} records ${expected} but the header hashes to ${actual}; the package was changed after it was built \u2014 rebuild it`,
        { path: pkg.path }
      );
    }
  }
}
var HASH_NAMES = {
  1: "md5",
  2: "sha1",
  8: "sha256",
  9: "sha384",
  10: "sha512"
};
function expectedPayloadDigest(pkg) {
  const expected = entryString(findEntry(pkg.header, HEADER_TAG.payloadDigest));
  const algorithm = HASH_NAMES[entryNumber(findEntry(pkg.header, HEADER_TAG.payloadDigestAlgo)) ?? 8];
  if (expected === void 0 || algorithm === void 0) return void 0;
  return {
    label: `payload ${algorithm.toUpperCase()} (tag 5092)`,
    algorithm,
    expected: expected.toLowerCase()
  };
}
function expectedMd5(pkg) {
  const entry = findEntry(pkg.signature, SIG_TAG.md5);
  if (entry?.data.length !== 16) return void 0;
  return { label: "MD5 (tag 1004)", algorithm: "md5", expected: entry.data.toString("hex") };
}
function digestMismatch(pkg, digest, actual) {
  return new RpmDigestError(
    `${pkg.path}: ${digest.label} digest mismatch: the package records ${digest.expected} but its bytes hash to ${actual}; the payload was changed or damaged after the package was built \u2014 rebuild it`,
    { path: pkg.path }
  );
}

export {
  SIG_TAG,
  HEADER_TAG,
  SIGNATURE_TAGS,
  TAG_TYPE,
  MAX_SIGNATURE_TAGS,
  serializedHeaderLength,
  serializeHeader,
  signaturePadding,
  findEntry,
  entryString,
  LEAD_SIZE,
  COPY_CHUNK,
  readRpmPackage,
  packageLabel,
  checkPackageSize,
  checkHeaderDigests,
  expectedPayloadDigest,
  expectedMd5,
  digestMismatch
};
