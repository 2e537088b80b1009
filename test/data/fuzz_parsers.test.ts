/**
 * Property-based fuzzing of the IDX and CSV parsers: thousands of valid files, then truncated,
 * bit-flipped, with huge dimensions and wrong types in the IDX header, ragged rows, stray quotes, odd
 * encodings and non-numbers in the CSV text. Every input either loads into a dataset that satisfies the
 * invariants (finite features within ±1e15, integer labels in [0, numClasses), at most 10,000 classes, a
 * shape consistent with the values) or throws the library's `FormatError` with a message naming the
 * source, quickly, and without allocating for a size the input does not hold.
 * fast-check prints the seed and the shrunk counterexample of a failure; replay with `{ seed, path }`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv.js';
import type { TensorDataset } from '../../src/data/dataset.js';
import { type IdxArray, idxToDataset, parseIdx } from '../../src/data/idx.js';
import { readIdxFile } from '../../src/data/idx_file.js';
import { MAX_ABS_FEATURE, MAX_CLASSES } from '../../src/data/value_checks.js';
import { FormatError } from '../../src/io/format_error.js';
import { cpuMark, cpuMsSince } from '../helpers/cpu_time.js';

/** Per input: a parser that loops, or allocates per claimed byte, would blow far past this. */
const MS_PER_INPUT = 250;

/** Runs `load`; a result must pass `check`, an error must be a FormatError naming `source`. */
function loadsOrRefuses<T>(source: string, load: () => T, check: (value: T) => void): void {
  const started = cpuMark();
  let value: T;
  try {
    value = load();
  } catch (error) {
    if (!(error instanceof FormatError)) throw error; // fails the property with the foreign error
    expect(error.message.length).toBeGreaterThan(source.length);
    expect(error.message).toContain(source);
    expect(cpuMsSince(started)).toBeLessThan(MS_PER_INPUT);
    return;
  }
  expect(cpuMsSince(started)).toBeLessThan(MS_PER_INPUT);
  check(value);
}

function checkDataset(ds: TensorDataset): void {
  expect(ds.length).toBeGreaterThan(0);
  expect(ds.sampleSize).toBeGreaterThan(0);
  expect(ds.features.length).toBe(ds.length * ds.sampleSize);
  expect(ds.numClasses).toBeLessThanOrEqual(MAX_CLASSES);
  for (const x of ds.features) {
    if (!(Math.abs(x) <= MAX_ABS_FEATURE)) expect.fail(`feature ${x} is not finite within ±1e15`);
  }
  for (const y of ds.labels) {
    if (!(Number.isInteger(y) && y >= 0 && y < ds.numClasses))
      expect.fail(`label ${y} of ${ds.numClasses} classes`);
  }
}

// ---------------------------------------------------------------------------------------------------
// IDX

interface IdxType {
  code: number;
  bytes: number;
  set: (v: DataView, at: number, x: number) => void;
  get: (v: DataView, at: number) => number;
}
const IDX_TYPES: IdxType[] = [
  { code: 0x08, bytes: 1, set: (v, at, x) => v.setUint8(at, x), get: (v, at) => v.getUint8(at) },
  { code: 0x09, bytes: 1, set: (v, at, x) => v.setInt8(at, x), get: (v, at) => v.getInt8(at) },
  {
    code: 0x0b,
    bytes: 2,
    set: (v, at, x) => v.setInt16(at, x, false),
    get: (v, at) => v.getInt16(at, false),
  },
  {
    code: 0x0c,
    bytes: 4,
    set: (v, at, x) => v.setInt32(at, x, false),
    get: (v, at) => v.getInt32(at, false),
  },
  {
    code: 0x0d,
    bytes: 4,
    set: (v, at, x) => v.setFloat32(at, x, false),
    get: (v, at) => v.getFloat32(at, false),
  },
  {
    code: 0x0e,
    bytes: 8,
    set: (v, at, x) => v.setFloat64(at, x, false),
    get: (v, at) => v.getFloat64(at, false),
  },
];

/** The bytes of an IDX file of any type (encodeIdx writes only uint8, int32 and float32). */
function encodeAnyIdx(type: number, shape: readonly number[], values: readonly number[]): Uint8Array {
  const t = IDX_TYPES[type]!;
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + values.length * t.bytes);
  const view = new DataView(out.buffer);
  out[2] = t.code;
  out[3] = shape.length;
  for (let i = 0; i < shape.length; i++) view.setUint32(4 + 4 * i, shape[i]!, false);
  for (let i = 0; i < values.length; i++) t.set(view, header + i * t.bytes, values[i]!);
  return out;
}

/** Values that fit every IDX type, and some that only floats can hold (NaN, 1e38, fractions). */
const idxValue = fc.oneof(
  fc.integer({ min: 0, max: 127 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 1e38, -1e20, 0.5, 1e15, -1e15),
);
const idxFileArb = fc
  .record({
    type: fc.integer({ min: 0, max: IDX_TYPES.length - 1 }),
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 }),
  })
  .chain(({ type, shape }) => {
    const count = shape.reduce((a, b) => a * b, 1);
    return fc
      .array(idxValue, { minLength: count, maxLength: count })
      .map((values) => ({ type, shape, values, bytes: encodeAnyIdx(type, shape, values) }));
  });

/** What a mutation does to a valid file: the classic ways a binary file goes wrong. */
const idxMutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    kind: fc.constant('dimension' as const),
    dim: fc.nat(),
    value: fc.oneof(
      fc.constantFrom(2 ** 32 - 1, 2 ** 31, 2 ** 31 - 1, 2 ** 16, 0),
      fc.nat({ max: 2 ** 32 - 1 }),
    ),
  }),
  fc.record({ kind: fc.constant('type' as const), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('rank' as const), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('append' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 9 }) }),
);

function mutateIdx(bytes: Uint8Array, m: IdxMutation): Uint8Array {
  const out = bytes.slice();
  switch (m.kind) {
    case 'truncate':
      return out.subarray(0, m.at % (out.length + 1));
    case 'flip':
      if (out.length > 0) out[m.at % out.length]! ^= 1 << m.bit;
      return out;
    case 'dimension': {
      const rank = out[3] ?? 0;
      const at = 4 + 4 * (m.dim % Math.max(1, rank));
      if (at + 4 <= out.length) new DataView(out.buffer).setUint32(at, m.value, false);
      return out;
    }
    case 'type':
      out[2] = m.value;
      return out;
    case 'rank':
      out[3] = m.value;
      return out;
    case 'append':
      return Uint8Array.from([...out, ...m.extra]);
  }
}
type IdxMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'dimension'; dim: number; value: number }
  | { kind: 'type'; value: number }
  | { kind: 'rank'; value: number }
  | { kind: 'append'; extra: Uint8Array };

function checkIdxArray(a: IdxArray): void {
  // Zero first: with dozens of huge dimensions the product overflows to Infinity, and Infinity · 0 is NaN.
  expect(a.data.length).toBe(a.shape.includes(0) ? 0 : a.shape.reduce((x, y) => x * y, 1));
  expect(a.shape.length).toBeGreaterThan(0);
}

describe('fuzzing parseIdx and idxToDataset', () => {
  it('a valid file parses to its values, and loads or is refused for its values', () => {
    fc.assert(
      fc.property(idxFileArb, ({ type, shape, values, bytes }) => {
        const a = parseIdx(bytes, 'valid.idx');
        expect(a.shape).toEqual(shape);
        const t = IDX_TYPES[type]!;
        const view = new DataView(new ArrayBuffer(8));
        // Each value as the file's type holds it (an integer type wraps 1e38, a float keeps NaN).
        const expected = values.map((x) => {
          t.set(view, 0, x);
          return t.get(view, 0);
        });
        expect([...a.data]).toEqual(expected);
        const labels = parseIdx(encodeAnyIdx(0, [shape[0]!], new Array(shape[0]!).fill(1)), 'labels.idx');
        loadsOrRefuses('valid.idx', () => idxToDataset(a, labels), checkDataset);
      }),
      { numRuns: 1500 },
    );
  });

  it('a mutated file parses consistently or throws a FormatError, never allocating what it does not hold', () => {
    fc.assert(
      fc.property(
        idxFileArb,
        fc.array(idxMutation, { minLength: 1, maxLength: 3 }),
        ({ bytes }, mutations) => {
          const mutated = mutations.reduce((b, m) => mutateIdx(b, m), bytes);
          loadsOrRefuses(
            'mutated.idx',
            () => parseIdx(mutated, 'mutated.idx'),
            (a) => {
              checkIdxArray(a);
              expect(a.data.byteLength).toBeLessThanOrEqual(mutated.length); // never more than the file holds
              if (a.shape.length < 2) return;
              // A header may claim N = 2³² − 1 empty images: a label file that large is not for the test to build.
              const n = Math.min(a.shape[0]!, 64);
              const labels = parseIdx(
                encodeAnyIdx(
                  3,
                  [n],
                  new Array(n).fill(0).map((_, i) => i % 3),
                ),
                'labels.idx',
              );
              loadsOrRefuses('mutated.idx', () => idxToDataset(a, labels), checkDataset);
            },
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('mutated label files load into labels in range or throw a FormatError naming them', () => {
    const images = parseIdx(encodeAnyIdx(0, [3, 2], [1, 2, 3, 4, 5, 6]), 'images.idx');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 3, maxLength: 3 }),
        fc.array(idxMutation, { maxLength: 2 }),
        (type, values, mutations) => {
          const bytes = mutations.reduce(
            (b, m) => mutateIdx(b, m),
            encodeAnyIdx(
              type,
              [3],
              values.map((v) =>
                IDX_TYPES[type]!.bytes === 1 ? v & 0x7f : IDX_TYPES[type]!.bytes === 2 ? v % 32768 : v,
              ),
            ),
          );
          loadsOrRefuses(
            'labels.idx',
            () => idxToDataset(images, parseIdx(bytes, 'labels.idx')),
            checkDataset,
          );
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('gzip-compressed files, truncated or bit-flipped, decompress and parse or throw a FormatError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'descent-fuzz-idx-'));
    try {
      fc.assert(
        fc.property(idxFileArb, fc.array(idxMutation, { maxLength: 2 }), ({ bytes }, mutations) => {
          const file = join(dir, 'data.gz');
          const gz: Uint8Array = new Uint8Array(gzipSync(bytes));
          writeFileSync(
            file,
            mutations.reduce((b: Uint8Array, m) => mutateIdx(b, m), gz),
          );
          loadsOrRefuses(file, () => readIdxFile(file), checkIdxArray);
        }),
        { numRuns: 300 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('random bytes are refused or parsed consistently', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        loadsOrRefuses('random.idx', () => parseIdx(bytes, 'random.idx'), checkIdxArray);
      }),
      { numRuns: 2000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// CSV

/** Finite features in several spellings float() and loadtxt read. */
const featureArb = fc
  .record({
    value: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ min: -1e15, max: 1e15, noNaN: true })),
    style: fc.constantFrom('plain', 'exp', 'fixed', 'padded'),
  })
  .map(({ value, style }) => {
    const v = Object.is(value, -0) ? 0 : value;
    const text =
      style === 'exp'
        ? v.toExponential()
        : style === 'fixed'
          ? v.toFixed(3)
          : style === 'padded'
            ? ` ${v} `
            : `${v}`;
    return { text, value: Number(text) };
  });
const labelArb = fc.oneof(
  fc.integer({ min: 0, max: 4 }).map(String),
  fc.constantFrom('setosa', 'virginica', '-1', '1'),
);
const csvArb = fc
  .record({
    cols: fc.integer({ min: 1, max: 4 }),
    rows: fc.integer({ min: 1, max: 8 }),
    header: fc.boolean(),
  })
  .chain(({ cols, rows, header }) =>
    fc.record({
      header: fc.constant(header),
      cols: fc.constant(cols),
      features: fc.array(fc.array(featureArb, { minLength: cols, maxLength: cols }), {
        minLength: rows,
        maxLength: rows,
      }),
      labels: fc.array(labelArb, { minLength: rows, maxLength: rows }),
      crlf: fc.boolean(),
    }),
  )
  .map((f) => {
    const lines = f.features.map((row, r) => [...row.map((x) => x.text), f.labels[r]!].join(','));
    const head = [...Array.from({ length: f.cols }, (_, c) => `x${c}`), 'label'].join(',');
    const text = [...(f.header ? [head] : []), ...lines].join(f.crlf ? '\r\n' : '\n');
    return { ...f, text };
  });

/** Edits that break CSV files in the usual ways, and text no reader takes for a number. */
const csvNoise = fc.constantFrom(
  ',',
  '"',
  '\n',
  '\r',
  ' ',
  '\t',
  'x',
  '0x10',
  '1_000',
  'NaN',
  'nan',
  'Infinity',
  '-inf',
  '1e400',
  '1e38',
  '\uFEFF',
  '\u0000',
  '\uFFFD',
  'é',
  '""',
  ',,',
  '\n\n',
  '-',
  '.',
  'e5',
  '1e',
  '+',
  '9'.repeat(400),
);
const csvMutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: csvNoise }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('dropField' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateLine' as const), line: fc.nat() }),
);
type CsvMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'dropField'; line: number }
  | { kind: 'duplicateLine'; line: number };

function mutateCsv(text: string, m: CsvMutation): string {
  const at = 'at' in m ? m.at % (text.length + 1) : 0;
  const lines = text.split('\n');
  const line = 'line' in m ? m.line % lines.length : 0;
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, at);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'dropField':
      lines[line] = lines[line]!.split(',').slice(1).join(',');
      return lines.join('\n');
    case 'duplicateLine':
      lines.splice(line, 0, lines[line]!);
      return lines.join('\n');
  }
}

/** Options a caller may give, valid as options (bad ones are RangeErrors by design, not fuzzed here). */
const csvOptionsArb = fc.record(
  {
    label: fc.oneof(fc.constantFrom('label', 'x0', 'nope'), fc.integer({ min: -6, max: 6 })),
    header: fc.constantFrom(true, false, 'auto' as const),
    numClasses: fc.integer({ min: 1, max: 6 }),
  },
  { requiredKeys: [] },
);

describe('fuzzing parseCsv', () => {
  it('a valid file loads with its values and labels', () => {
    fc.assert(
      fc.property(csvArb, (f) => {
        const ds = parseCsv(f.text, { header: f.header }, 'valid.csv');
        checkDataset(ds);
        expect([...ds.features]).toEqual(f.features.flat().map((x) => Math.fround(x.value)));
        const names = ds.classNames;
        expect([...ds.labels].map((y) => (names ? names[y]! : String(y)))).toEqual(f.labels);
      }),
      { numRuns: 1500 },
    );
  });

  it('a mutated file with any options loads satisfying the invariants or throws a FormatError', () => {
    fc.assert(
      fc.property(
        csvArb,
        fc.array(csvMutation, { minLength: 1, maxLength: 4 }),
        csvOptionsArb,
        (f, mutations, options) => {
          const text = mutations.reduce((t, m) => mutateCsv(t, m), f.text);
          loadsOrRefuses('mutated.csv', () => parseCsv(text, options, 'mutated.csv'), checkDataset);
        },
      ),
      { numRuns: 4000 },
    );
  });

  it('arbitrary text, including any Unicode, loads satisfying the invariants or throws a FormatError', () => {
    const alphabet = fc.oneof(
      fc.constantFrom('0', '1', '2', '.', '-', 'e', ',', '\n', '"', ' '),
      fc.string({ unit: 'binary', maxLength: 2 }),
    );
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 60 }).map((parts) => parts.join('')),
        (text) => {
          loadsOrRefuses('random.csv', () => parseCsv(text, {}, 'random.csv'), checkDataset);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
