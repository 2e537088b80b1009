/**
 * Property-based fuzzing of the safetensors reader: thousands of valid files, then truncated, bit-flipped,
 * with huge header lengths, huge shapes, offsets out of range, unknown dtypes and wrong JSON types. Every
 * input either decodes into tensors whose sizes match their shapes or throws the library's `FormatError`
 * with a message naming the source, quickly, and without allocating for a size the file does not hold.
 * fast-check prints the seed and the shrunk counterexample of a failure; replay with `{ seed, path }`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/io/format_error.js';
import {
  type ArrayTensor,
  decodeSafetensors,
  encodeSafetensors,
  parseSafetensors,
} from '../../src/io/safetensors.js';
import { sizeOf } from '../../src/tensor/shape.js';
import { cpuMark, cpuMsSince } from '../helpers/cpu_time.js';
import { useReferenceBackend } from '../helpers/reference_default.js';

useReferenceBackend();

const SOURCE = 'fuzz.safetensors';
/** Per input: a reader that loops or allocates per claimed byte would blow far past this. */
const MS_PER_INPUT = 250;

const shapeArb = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 3 });
const tensorArb: fc.Arbitrary<ArrayTensor> = fc
  .record({
    shape: shapeArb,
    dtype: fc.constantFrom('float32', 'float64', 'int32') as fc.Arbitrary<ArrayTensor['dtype']>,
  })
  .chain(({ shape, dtype }) =>
    fc
      .array(fc.integer({ min: -1000, max: 1000 }), { minLength: sizeOf(shape), maxLength: sizeOf(shape) })
      .map((values) => {
        const data =
          dtype === 'float32'
            ? Float32Array.from(values, (v) => v / 8)
            : dtype === 'float64'
              ? Float64Array.from(values, (v) => v / 3)
              : Int32Array.from(values);
        return { shape, dtype, data };
      }),
  );
const fileArb = fc
  .record({
    tensors: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tensorArb, { maxKeys: 4 }),
    metadata: fc.option(fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 12 })), {
      nil: undefined,
    }),
  })
  .map(({ tensors, metadata }) => {
    const named = new Map(Object.entries(tensors).filter(([name]) => name !== '__metadata__'));
    return { named, bytes: encodeSafetensors(named, metadata) };
  });

/** Values that are wrong for some field of a header entry: huge, negative, fractional, other types. */
const weirdValue = fc.oneof(
  fc.constantFrom(2 ** 40, 2 ** 53, 2 ** 64, -1, 1.5, Number.MAX_SAFE_INTEGER, 0),
  fc.constantFrom('F32', 'F8_E4M3', 'float32', '', 'NaN', '1e400'),
  fc.constantFrom(null, true, {}, [], [0], [0, 2 ** 40], [2 ** 40, 2 ** 41], [3, 1], [-4, 8], [1, 2, 3]),
  fc.array(fc.constantFrom(2 ** 20, 2 ** 31, 2 ** 40, 0, 1), { maxLength: 4 }),
);

function headerOf(bytes: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  return { header, data: bytes.subarray(8 + n) };
}

function craft(headerText: string, data: Uint8Array, claimedLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, claimedLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** Decodes, and checks the outcome: tensors consistent with their shapes, or a FormatError with a message. */
function decodesOrRefuses(bytes: Uint8Array): 'ok' | 'refused' {
  const started = cpuMark(); // CPU time: see test/helpers/cpu_time.ts
  let outcome: 'ok' | 'refused';
  try {
    const { tensors, metadata } = decodeSafetensors(bytes, SOURCE);
    for (const t of tensors.values()) expect(t.data.length).toBe(sizeOf(t.shape));
    for (const v of Object.values(metadata)) expect(typeof v).toBe('string');
    outcome = 'ok';
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    expect(error.message).toContain(`safetensors: ${SOURCE}: `);
    expect(error.source).toBe(SOURCE);
    outcome = 'refused';
  }
  expect(cpuMsSince(started)).toBeLessThan(MS_PER_INPUT);
  return outcome;
}

describe('fuzzing the safetensors reader', () => {
  it('reads back every generated valid file exactly', () => {
    fc.assert(
      fc.property(fileArb, ({ named, bytes }) => {
        const { tensors } = decodeSafetensors(bytes, SOURCE);
        expect([...tensors.keys()]).toEqual([...named.keys()]);
        for (const [name, t] of named) {
          expect(tensors.get(name)!.shape).toEqual(t.shape);
          expect(tensors.get(name)!.dtype).toBe(t.dtype);
          expect(Array.from(tensors.get(name)!.data)).toEqual(Array.from(t.data));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a truncated file is refused with a FormatError', () => {
    fc.assert(
      fc.property(fileArb, fc.nat(), ({ bytes }, cut) => {
        const truncated = bytes.subarray(0, cut % bytes.length);
        expect(decodesOrRefuses(truncated)).toBe('refused');
      }),
      { numRuns: 1000 },
    );
  });

  it('bit flips anywhere either decode consistently or are refused with a FormatError', () => {
    const outcomes = { ok: 0, refused: 0 };
    fc.assert(
      fc.property(
        fileArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }),
        ({ bytes }, flips) => {
          const mutated = new Uint8Array(bytes);
          for (const [at, bit] of flips) mutated[at % mutated.length]! ^= 1 << bit;
          outcomes[decodesOrRefuses(mutated)] += 1;
          // The same bytes through parseSafetensors (onto the backend) behave the same way.
          try {
            parseSafetensors(mutated, SOURCE);
          } catch (error) {
            expect(error).toBeInstanceOf(FormatError);
          }
        },
      ),
      { numRuns: 2000 },
    );
    // Flips in the data section decode fine; flips in the header mostly break it: both paths ran.
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('a huge claimed header length is refused before anything is read or allocated', () => {
    fc.assert(
      fc.property(fileArb, fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }), ({ bytes }, extra) => {
        const { header, data } = headerOf(bytes);
        const text = JSON.stringify(header);
        const claimed = BigInt(new TextEncoder().encode(text).length) + extra;
        expect(decodesOrRefuses(craft(text, data, claimed))).toBe('refused');
      }),
      { numRuns: 1000 },
    );
  });

  it('wrong values in header entries (huge shapes and offsets, unknown dtypes, wrong types) decode consistently or are refused', () => {
    fc.assert(
      fc.property(
        fileArb.filter(({ named }) => named.size > 0),
        fc.nat(),
        fc.constantFrom('dtype', 'shape', 'data_offsets', 'entry', '__metadata__'),
        weirdValue,
        ({ bytes }, which, field, value) => {
          const { header, data } = headerOf(bytes);
          const names = Object.keys(header).filter((k) => k !== '__metadata__');
          const name = names[which % names.length]!;
          if (field === 'entry') header[name] = value;
          else if (field === '__metadata__') header.__metadata__ = { key: value };
          else (header[name] as Record<string, unknown>)[field] = value;
          decodesOrRefuses(craft(JSON.stringify(header), data));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a header claiming a 2^40-byte tensor is refused without allocating it', () => {
    const header = { huge: { dtype: 'F32', shape: [2 ** 38], data_offsets: [0, 2 ** 40] } };
    const bytes = craft(JSON.stringify(header), new Uint8Array(16));
    expect(() => decodeSafetensors(bytes, SOURCE)).toThrow(
      new FormatError(
        SOURCE,
        `safetensors: ${SOURCE}: tensor 'huge' has data_offsets [0, ${2 ** 40}] beyond the 16-byte data section (the file may be truncated)`,
      ),
    );
  });

  it('random bytes and text after a valid length prefix are refused with a FormatError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 40 }), (junk, text) => {
        decodesOrRefuses(junk);
        decodesOrRefuses(craft(text, junk));
      }),
      { numRuns: 2000 },
    );
  });
});
