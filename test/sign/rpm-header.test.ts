import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { RpmFormatError } from '../../src/sign/errors.js';
import {
  type HeaderEntry,
  parseHeader,
  SIG_TAG,
  serializedHeaderLength,
  serializeHeader,
  TAG_TYPE,
} from '../../src/sign/rpm-header.js';
import { LEAD_SIZE } from '../../src/sign/rpm-package.js';
import { buildRpm, tempDir } from './helpers.js';

let rpm: Buffer;

beforeAll(async () => {
  rpm = await readFile(await buildRpm(await tempDir(), { name: 'header-test' }));
});

describe('rpm headers', () => {
  it("re-serialises rpmbuild's signature header byte for byte", () => {
    const header = parseHeader(rpm, LEAD_SIZE, 'signature', 'test.rpm');
    expect(header.regionTag).toBe(SIG_TAG.headerSignatures);
    expect(header.entries.map((e) => e.tag)).toEqual([269, 273, 1000, 1004, 1007, 1008]);

    const written = serializeHeader(SIG_TAG.headerSignatures, header.entries);

    expect(written.equals(rpm.subarray(LEAD_SIZE, LEAD_SIZE + header.length))).toBe(true);
    expect(serializedHeaderLength(header.entries)).toBe(header.length);
  });

  it('reads back any entries it writes, with the length it predicts', () => {
    const entry = fc.oneof(
      fc.record({ type: fc.constant(TAG_TYPE.bin), data: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
      fc.record({ type: fc.constant(TAG_TYPE.int16), data: fc.uint8Array({ minLength: 2, maxLength: 2 }) }),
      fc.record({ type: fc.constant(TAG_TYPE.int32), data: fc.uint8Array({ minLength: 4, maxLength: 12 }) }),
      fc.record({ type: fc.constant(TAG_TYPE.int64), data: fc.uint8Array({ minLength: 8, maxLength: 8 }) }),
      fc.record({
        type: fc.constant(TAG_TYPE.string),
        data: fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
      }),
    );
    const entries = fc.uniqueArray(fc.record({ tag: fc.integer({ min: 100, max: 5000 }), entry }), {
      minLength: 1,
      maxLength: 31,
      selector: (e) => e.tag,
    });
    fc.assert(
      fc.property(entries, (raw) => {
        const input: HeaderEntry[] = raw.map(({ tag, entry }) => toEntry(tag, entry.type, entry.data));
        const bytes = serializeHeader(SIG_TAG.headerSignatures, input);
        const parsed = parseHeader(bytes, 0, 'signature', 'generated');
        expect(bytes.length).toBe(serializedHeaderLength(input));
        expect(parsed.length).toBe(bytes.length);
        const byTag = (a: HeaderEntry, b: HeaderEntry) => a.tag - b.tag;
        expect(parsed.entries.map(plain)).toEqual([...input].sort(byTag).map(plain));
      }),
      { numRuns: 300 },
    );
  });

  describe('refuses what rpm refuses', () => {
    // Offsets inside the signature header: index entry i's field f, and the data area.
    const header = () => parseHeader(rpm, LEAD_SIZE, 'signature', 'test.rpm');
    const il = () => header().entries.length + 1;
    const dl = () => header().length - 16 - il() * 16;
    const reserved = () => header().entries.find((e) => e.tag === SIG_TAG.reservedSpace)!.data.length;
    const field = (entry: number, f: 'type' | 'offset') => 16 + entry * 16 + (f === 'type' ? 4 : 8);
    const dataOffset = (tag: number) => {
      const i = header().entries.findIndex((e) => e.tag === tag);
      return rpm.readInt32BE(LEAD_SIZE + field(i + 1, 'offset'));
    };
    const damage = (offset: number, value: number) => {
      const copy = Buffer.from(rpm);
      copy.writeUInt32BE(value >>> 0, LEAD_SIZE + offset);
      return copy;
    };
    const cases: [string, () => Buffer, RegExp][] = [
      ['a wrong magic', () => damage(0, 0x8eade802), /no signature header at byte 96/],
      ['more tags than a signature header may have', () => damage(8, 33), /claims 33 tags/],
      [
        'data that overlaps the data before it',
        () => damage(field(2, 'offset'), 0),
        /tag 273 \(entry 2\) overlaps/,
      ],
      [
        'data that runs into the region trailer',
        () => damage(field(il() - 1, 'offset'), dl() - 16 - reserved() + 1),
        /overlaps the region trailer/,
      ],
      [
        'an int32 that is not aligned',
        () => damage(field(3, 'offset'), dataOffset(1000) + 1),
        /tag 1000 .* not aligned/,
      ],
      ['an unknown type', () => damage(field(1, 'type'), 42), /unknown type 42/],
      [
        'a region trailer that covers fewer tags',
        () => damage(16 + il() * 16 + dl() - 16 + 8, -((il() - 1) * 16)),
        /region covers 6 of 7 tags/,
      ],
    ];
    it.each(cases)('%s', (_name, bytes, message) => {
      const parse = () => parseHeader(bytes(), LEAD_SIZE, 'signature', 'damaged.rpm');
      expect(parse).toThrow(RpmFormatError);
      expect(parse).toThrow(message);
    });
  });
});

function toEntry(tag: number, type: number, data: Uint8Array | string): HeaderEntry {
  if (typeof data === 'string') {
    return { tag, type, count: 1, data: Buffer.from(`${data.replaceAll('\0', '')}\0`) };
  }
  const width = type === TAG_TYPE.int16 ? 2 : type === TAG_TYPE.int32 ? 4 : type === TAG_TYPE.int64 ? 8 : 1;
  const length = data.length - (data.length % width);
  return { tag, type, count: length / width, data: Buffer.from(data.subarray(0, length)) };
}

function plain(e: HeaderEntry) {
  return { tag: e.tag, type: e.type, count: e.count, data: e.data.toString('hex') };
}
