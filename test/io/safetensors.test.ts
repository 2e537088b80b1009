/**
 * The safetensors codec (bytes ↔ tensors): exact round trips on every backend, the layout the
 * reference writer produces, every dtype PyTorch writes (test/fixtures/pytorch_dtypes.safetensors from
 * test/fixtures/gen/gen_safetensors.py) and the error for each kind of broken or foreign file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { randint, randn, tensor, withBackend, zeros } from '../../src/index.js';
import {
  bfloat16ToFloat,
  halfToFloat,
  parseSafetensors,
  serializeSafetensors,
} from '../../src/io/safetensors.js';
import { backends } from '../backends.js';
import { useReferenceBackend } from '../helpers/reference_default.js';

// float64 lives on the reference backend only (PyTorch files hold float64 tensors).
useReferenceBackend();

const fixture = (name: string): string => new URL(`../fixtures/${name}`, import.meta.url).pathname;

/** Builds a file from a header object and a data section, exactly as given (no validation). */
function craft(header: unknown, data: Uint8Array = new Uint8Array(0), headerText?: string): Uint8Array {
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function headerOf(bytes: Uint8Array): { length: number; json: Record<string, unknown>; text: string } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + length));
  return { length, json: JSON.parse(text), text };
}

describe.each(backends)('safetensors round trip on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  it('descent → bytes → descent is exact for every dtype, shape and layout', () =>
    on(() => {
      const nonContiguous = randn([4, 6]).t(); // a transposed view
      const tensors = new Map([
        ['w', randn([3, 5])],
        ['view', nonContiguous],
        ['steps', randint(-1000, 1000, [7])],
        ['scalar', tensor(3.25)],
        ['empty', zeros([0, 4])],
        ...(backend.supports('float64')
          ? ([['double', randn([5], { dtype: 'float64' })]] as [string, ReturnType<typeof randn>][])
          : []),
      ]);
      const bytes = serializeSafetensors(tensors, { format: 'pt', note: 'ünïcode ✓' });
      const { tensors: back, metadata } = parseSafetensors(bytes);
      expect(metadata).toEqual({ format: 'pt', note: 'ünïcode ✓' });
      expect([...back.keys()]).toEqual([...tensors.keys()]);
      for (const [name, t] of tensors) {
        const r = back.get(name)!;
        expect(r.dtype).toBe(t.dtype);
        expect(r.shape).toEqual(t.shape);
        expect(r.data()).toEqual(t.data());
      }
    }));

  it('a record works like a Map, and no metadata means none', () =>
    on(() => {
      const { tensors, metadata } = parseSafetensors(serializeSafetensors({ a: tensor([1, 2]) }));
      expect(metadata).toEqual({});
      expect([...tensors.get('a')!.data()]).toEqual([1, 2]);
    }));
});

describe('safetensors layout (as the reference writer)', () => {
  it('the header is padded with spaces so the data starts at a multiple of 8', () => {
    for (const name of ['a', 'ab', 'abc', 'abcd', 'abcde', 'abcdef', 'abcdefg', 'abcdefgh']) {
      const bytes = serializeSafetensors({ [name]: tensor([1]) });
      const { length, text } = headerOf(bytes);
      expect((8 + length) % 8).toBe(0);
      expect(text.trimEnd()).toBe(JSON.stringify(JSON.parse(text)));
      expect(bytes.length).toBe(8 + length + 4);
    }
  });

  it('tensors are laid out by decreasing element size, so each one is aligned; header keeps the order', () => {
    const bytes = serializeSafetensors({
      a: tensor([1, 2, 3]),
      b: tensor([1, 2], { dtype: 'float64' }),
      c: tensor([5], { dtype: 'int32' }),
    });
    const { json } = headerOf(bytes);
    expect(Object.keys(json)).toEqual(['a', 'b', 'c']);
    expect(json).toEqual({
      a: { dtype: 'F32', shape: [3], data_offsets: [16, 28] },
      b: { dtype: 'F64', shape: [2], data_offsets: [0, 16] },
      c: { dtype: 'I32', shape: [1], data_offsets: [28, 32] },
    });
  });

  it('data is little-endian', () => {
    const bytes = serializeSafetensors({ x: tensor([1], { dtype: 'int32' }) });
    expect([...bytes.subarray(bytes.length - 4)]).toEqual([1, 0, 0, 0]);
  });

  it('parses from a Uint8Array that is a window onto a larger buffer', () => {
    const inner = serializeSafetensors({ x: tensor([1.5, -2]) });
    const outer = new Uint8Array(inner.length + 3);
    outer.set(inner, 3);
    expect([...parseSafetensors(outer.subarray(3)).tensors.get('x')!.data()]).toEqual([1.5, -2]);
    // a small Node Buffer is a window onto a shared pool
    const pooled = Buffer.from(inner);
    expect([...parseSafetensors(pooled).tensors.get('x')!.data()]).toEqual([1.5, -2]);
  });
});

describe('reading every dtype PyTorch writes', () => {
  const expected = (
    JSON.parse(readFileSync(fixture('pytorch_dtypes.json'), 'utf8')) as {
      tensors: Record<string, { stored: string; dtype: string; shape: number[]; data: number[] }>;
    }
  ).tensors;
  const { tensors, metadata } = parseSafetensors(
    readFileSync(fixture('pytorch_dtypes.safetensors')),
    'pytorch_dtypes.safetensors',
  );

  it('metadata', () => expect(metadata).toEqual({ note: 'one tensor per dtype' }));

  it.each(Object.entries(expected))('%s', (name, e) => {
    const t = tensors.get(name)!;
    expect(t.dtype).toBe(e.dtype);
    expect(t.shape).toEqual(e.shape);
    expect([...t.data()]).toEqual(e.data); // the conversions are exact
  });

  it('half and bfloat16 decoding, special values included', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    expect(bfloat16ToFloat(0x3f80)).toBe(1);
    expect(bfloat16ToFloat(0xff80)).toBe(-Infinity);
    expect(bfloat16ToFloat(0x7fc0)).toBeNaN();
  });
});

describe('errors name the source and what is wrong', () => {
  const f32 = (n: number): Uint8Array => new Uint8Array(4 * n);
  const good = { x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };

  it.each([
    ['too short', new Uint8Array(5), 'safetensors: m.st: too short to be a safetensors file (5 bytes'],
    [
      'header length beyond the file (truncated)',
      craft(good, f32(2)).subarray(0, 20),
      `safetensors: m.st: the header length ${JSON.stringify(good).length} exceeds the 12 bytes after it (the file is truncated or not a safetensors file)`,
    ],
    [
      'a foreign file (PNG)',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      'safetensors: m.st: the header length 727905341920923785 exceeds the 4 bytes after it',
    ],
    ['header not JSON', craft(null, f32(0), '{"x": '), 'safetensors: m.st: the header is not valid JSON ('],
    [
      'header not an object',
      craft(null, f32(0), '[1, 2]'),
      'safetensors: m.st: the header is not a JSON object (it starts with "[1, 2]")',
    ],
    [
      'header not UTF-8',
      (() => {
        const b = craft(null, f32(0), '{"a":1}');
        b[10] = 0xff;
        return b;
      })(),
      'safetensors: m.st: the header is not valid UTF-8',
    ],
    [
      'unknown dtype',
      craft({ x: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] } }, new Uint8Array(2)),
      `safetensors: m.st: tensor 'x' has dtype "F8_E4M3", which descent cannot read (supported: F64, F32, F16, BF16, I64`,
    ],
    [
      'bad shape',
      craft({ x: { dtype: 'F32', shape: [2, -1], data_offsets: [0, 8] } }, f32(2)),
      `safetensors: m.st: tensor 'x' has shape [2,-1]; expected an array of non-negative integers`,
    ],
    [
      'bad offsets',
      craft({ x: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, f32(2)),
      `safetensors: m.st: tensor 'x' has data_offsets [8,0]; expected [begin, end] with 0 ≤ begin ≤ end`,
    ],
    [
      'offsets out of range (truncated data)',
      craft({ x: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, f32(2)),
      `safetensors: m.st: tensor 'x' has data_offsets [0, 16] beyond the 8-byte data section (the file may be truncated)`,
    ],
    [
      'shape and byte size disagree',
      craft({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32(2)),
      `safetensors: m.st: tensor 'x' of dtype F32 and shape [3] needs 12 bytes, but its data_offsets span 8`,
    ],
    [
      'overlapping tensors',
      craft(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
        },
        f32(3),
      ),
      `safetensors: m.st: tensor 'b' (bytes [4, 12]) overlaps tensor 'a' (ending at 8)`,
    ],
    [
      'a hole between tensors',
      craft(
        {
          a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
          b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
        },
        f32(3),
      ),
      'safetensors: m.st: bytes [4, 8] of the data section belong to no tensor',
    ],
    [
      'trailing bytes',
      craft(good, f32(3)),
      'safetensors: m.st: the tensors cover 8 bytes but the data section has 12 (trailing bytes)',
    ],
    [
      'I64 value outside int32',
      (() => {
        const data = new Uint8Array(16);
        new DataView(data.buffer).setBigInt64(8, 2n ** 40n, true);
        return craft({ n: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, data);
      })(),
      `safetensors: m.st: tensor 'n' (I64) holds 1099511627776 at element 1, outside the int32 range descent reads integers into`,
    ],
    [
      'metadata values must be strings',
      craft({ __metadata__: { epoch: 3 }, ...good }, f32(2)),
      `safetensors: m.st: __metadata__ value 'epoch' is not a string`,
    ],
    [
      'an entry that is not an object',
      craft({ x: [1, 2] }, f32(0)),
      `safetensors: m.st: the entry of 'x' is not an object`,
    ],
  ])('%s', (_what, bytes, message) => {
    expect(() => parseSafetensors(bytes as Uint8Array, 'm.st')).toThrow(message as string);
  });

  it("the default source is '<bytes>'", () => {
    expect(() => parseSafetensors(new Uint8Array(3))).toThrow('safetensors: <bytes>: too short');
  });

  it('writing: bad names, values and metadata', () => {
    expect(() => serializeSafetensors({ x: [1, 2] as never })).toThrow(
      "serializeSafetensors: the value of 'x' is not a Tensor",
    );
    expect(() => serializeSafetensors({ __metadata__: tensor([1]) })).toThrow(
      'serializeSafetensors: tensor names must be non-empty strings other than \'__metadata__\', got "__metadata__"',
    );
    expect(() => serializeSafetensors({ x: tensor([1]) }, { epoch: 3 as never })).toThrow(
      "serializeSafetensors: metadata values must be strings (the format allows no other), but 'epoch' is number",
    );
    expect(() => serializeSafetensors(null as never)).toThrow(
      'serializeSafetensors: expected a Map or a record of tensors (e.g. model.stateDict()), got null',
    );
  });
});
