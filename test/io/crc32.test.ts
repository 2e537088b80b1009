/** CRC-32: the standard check value, chaining over pieces, and agreement with a bitwise reference. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Hex } from '../../src/io/crc32.js';

/** The textbook bit-at-a-time CRC-32, against which the sliced tables are checked. */
function bitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32', () => {
  it('gives the standard check value cbf43926 for "123456789"', () => {
    expect(crc32Hex(crc32(new TextEncoder().encode('123456789')))).toBe('cbf43926');
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('equals the bitwise definition for any bytes, and chains over any split', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(), (bytes, cut) => {
        const at = cut % (bytes.length + 1);
        expect(crc32(bytes)).toBe(bitwise(bytes));
        expect(crc32(bytes.subarray(at), crc32(bytes.subarray(0, at)))).toBe(crc32(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('detects any single bit flip', () => {
    const bytes = Uint8Array.from({ length: 77 }, (_, i) => (i * 37) & 0xff);
    const clean = crc32(bytes);
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      bytes[bit >> 3]! ^= 1 << (bit & 7);
      expect(crc32(bytes)).not.toBe(clean);
      bytes[bit >> 3]! ^= 1 << (bit & 7);
    }
  });
});

describe('crc32 on unaligned views', () => {
  it('gives the same value for the same bytes at any byte offset (aligned fast path and byte path agree)', () => {
    const bytes = Uint8Array.from({ length: 203 }, (_, i) => (i * 91 + 7) & 0xff);
    const want = bitwise(bytes);
    for (let offset = 0; offset < 8; offset++) {
      const buffer = new Uint8Array(bytes.length + 8);
      buffer.set(bytes, offset);
      expect(crc32(buffer.subarray(offset, offset + bytes.length))).toBe(want);
    }
  });
});
