/**
 * The wasm bindings generated from assembly/ (scripts/gen_wasm_bindings.mjs): the op-code tables the
 * TypeScript side passes are the numbers the compiled kernels dispatch on (each code, sent to the
 * module of every runnable build, runs the op it is named after), the `Kernels` interface lists exactly
 * the module's exports with their arity, the generator is deterministic and the files on disk are its
 * current output, and it refuses sources it cannot translate faithfully, naming the file and the member.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectKernels, generateBindings, renderOpcodes } from '../../scripts/gen_wasm_bindings.mjs';
import { detectVariant } from '../../src/backend/wasm/features.js';
import { compileSync, instantiate, type Kernels } from '../../src/backend/wasm/kernels.js';
import {
  activationCodes,
  binaryCodes,
  COPY_F32_TO_I32,
  COPY_I32_TO_F32,
  COPY_SAME,
  reduceCodes,
  unaryCodes,
} from '../../src/backend/wasm/opcodes.js';
import { DESCRIPTOR_WORDS, describeIteration } from '../../src/backend/wasm/strided.js';
import { runnableVariants } from '../backend/wasm_helpers.js';

const REPO = new URL('../..', import.meta.url).pathname;

// Node 20 validates the relaxed-SIMD build only once features.ts has turned its V8 flag on.
detectVariant();
const VARIANTS = runnableVariants();

// ---------------------------------------------------------------- a bare module over its own memory

/** One instantiated build, with a descriptor block and three 64-element slots above its heap base. */
function bareModule(variant: (typeof VARIANTS)[number]) {
  const memory = new WebAssembly.Memory({ initial: 4 });
  const k = instantiate(compileSync(variant), memory);
  const desc = k.heapBase();
  const slot = (i: number): number => desc + DESCRIPTOR_WORDS * 4 + i * 256;
  const f32 = (at: number, n: number) => new Float32Array(memory.buffer, at, n);
  const i32 = (at: number, n: number) => new Int32Array(memory.buffer, at, n);
  /** Describes a contiguous 1-D iteration of n elements (every operand steps by 1). */
  const line = (n: number): number =>
    describeIteration(i32(0, memory.buffer.byteLength / 4), desc / 4, [n], [1], [1], [1], [1]);
  return { k, memory, desc, slot, f32, i32, line };
}

// ---------------------------------------------------------------- what each named op computes

/** Abramowitz and Stegun 7.1.26 (|error| < 1.5e-7): enough to tell erf from every other op. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.sign(x) * (1 - poly * Math.exp(-x * x));
}

/** Each unary op with the parameters it gets here (p0, p1) and its meaning, in float64. */
const UNARY: Record<keyof typeof unaryCodes, { p?: [number, number]; f: (x: number) => number }> = {
  neg: { f: (x) => -x },
  abs: { f: Math.abs },
  sign: { f: Math.sign },
  exp: { f: Math.exp },
  log: { f: Math.log },
  sqrt: { f: Math.sqrt },
  rsqrt: { f: (x) => 1 / Math.sqrt(x) },
  square: { f: (x) => x * x },
  sigmoid: { f: (x) => 1 / (1 + Math.exp(-x)) },
  tanh: { f: Math.tanh },
  relu: { f: (x) => Math.max(0, x) },
  erf: { f: erf },
  leakyRelu: { p: [0.1, 0], f: (x) => (x > 0 ? x : 0.1 * x) },
  elu: { p: [1.5, 0], f: (x) => (x > 0 ? x : 1.5 * Math.expm1(x)) },
  softplus: { p: [2, 20], f: (x) => Math.log1p(Math.exp(2 * x)) / 2 },
  clamp: { p: [-1, 2], f: (x) => Math.min(2, Math.max(-1, x)) },
  gelu: { p: [0, 0], f: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)) },
};

const BINARY: Record<keyof typeof binaryCodes, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: Math.max,
  minimum: Math.min,
  gt: (a, b) => +(a > b),
  ge: (a, b) => +(a >= b),
  lt: (a, b) => +(a < b),
  le: (a, b) => +(a <= b),
  eq: (a, b) => +(a === b),
  ne: (a, b) => +(a !== b),
};

const REDUCE: Record<keyof typeof reduceCodes, (x: number[]) => number> = {
  sum: (x) => x.reduce((s, v) => s + v, 0),
  max: (x) => Math.max(...x),
  min: (x) => Math.min(...x),
  argmax: (x) => x.indexOf(Math.max(...x)),
  argmin: (x) => x.indexOf(Math.min(...x)),
};

const ACTIVATION: Record<keyof typeof activationCodes, (x: number) => number> = {
  none: (x) => x,
  relu: (x) => Math.max(0, x),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
};

/** Inputs on which every op above gives a different result (checked below, so a swap cannot hide). */
const X = [-2.5, -0.75, -0.1, 0.3, 1, 1.2, 3.7];
const A = [-2, 0.5, 3, 1.5, -1, 4, 0.25];
const B = [3, 0.5, -2, 2, -1, 0.5, 2];

/** Equal within float32 accuracy of the kernels' own approximations (NaN equals NaN). */
function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));
}

function sameResults(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => close(v, b[i]!));
}

/** The pairs of names whose results coincide: the probe cannot tell those ops apart. */
function lookAlikes(results: Record<string, readonly number[]>): string[] {
  const names = Object.keys(results);
  return names.flatMap((a, i) =>
    names
      .slice(i + 1)
      .filter((b) => sameResults(results[a]!, results[b]!))
      .map((b) => `${a}/${b}`),
  );
}

describe('the probes tell every op apart', () => {
  it('no two unary, binary, reduce or activation ops agree on the probe inputs', () => {
    expect(lookAlikes(Object.fromEntries(Object.entries(UNARY).map(([n, o]) => [n, X.map(o.f)])))).toEqual(
      [],
    );
    expect(
      lookAlikes(
        Object.fromEntries(Object.entries(BINARY).map(([n, f]) => [n, A.map((a, i) => f(a, B[i]!))])),
      ),
    ).toEqual([]);
    expect(lookAlikes(Object.fromEntries(Object.entries(REDUCE).map(([n, f]) => [n, [f(X)]])))).toEqual([]);
    expect(lookAlikes(Object.fromEntries(Object.entries(ACTIVATION).map(([n, f]) => [n, X.map(f)])))).toEqual(
      [],
    );
  });
});

// ---------------------------------------------------------------- the tables drive the kernels

/** Runs unary op `code` over X in the module; its outputs. */
function runUnary(m: ReturnType<typeof bareModule>, code: number, p: [number, number]): number[] {
  m.f32(m.slot(0), X.length).set(X);
  m.k.unary(0, code, m.line(X.length), m.desc, m.slot(0), m.slot(1), p[0], p[1]);
  return [...m.f32(m.slot(1), X.length)];
}

function runBinary(m: ReturnType<typeof bareModule>, code: number): number[] {
  m.f32(m.slot(0), A.length).set(A);
  m.f32(m.slot(1), B.length).set(B);
  m.k.binary(0, code, m.line(A.length), m.desc, m.slot(0), m.slot(1), m.slot(2));
  return [...m.f32(m.slot(2), A.length)];
}

function runReduce(m: ReturnType<typeof bareModule>, name: keyof typeof reduceCodes): number {
  m.f32(m.slot(0), X.length).set(X);
  m.k.reduce(0, reduceCodes[name], m.slot(0), 1, X.length, 1, m.slot(1));
  return name.startsWith('arg') ? m.i32(m.slot(1), 1)[0]! : m.f32(m.slot(1), 1)[0]!;
}

function runActivation(m: ReturnType<typeof bareModule>, code: number): number[] {
  m.f32(m.slot(0), X.length).set(X);
  m.k.biasActivation(m.slot(0), 1, X.length, 0, 0, code);
  return [...m.f32(m.slot(0), X.length)];
}

const rounded = (values: readonly number[]): number[] => values.map((v) => Math.fround(v));

describe.each(VARIANTS)('the generated op codes on the %s build', (variant) => {
  const m = bareModule(variant);

  it.each(Object.keys(UNARY) as (keyof typeof UNARY)[])('unaryCodes.%s runs that op', (name) => {
    const { p = [0, 0], f } = UNARY[name];
    expect(sameResults(runUnary(m, unaryCodes[name], p), rounded(X).map(f))).toBe(true);
  });

  it.each(Object.keys(BINARY) as (keyof typeof BINARY)[])('binaryCodes.%s runs that op', (name) => {
    const expected = A.map((a, i) => BINARY[name](a, B[i]!));
    expect(sameResults(runBinary(m, binaryCodes[name]), expected)).toBe(true);
  });

  it('each of reduceCodes runs the reduction it names', () => {
    const got = Object.keys(REDUCE).map((n) => runReduce(m, n as keyof typeof REDUCE));
    expect(
      sameResults(
        got,
        Object.values(REDUCE).map((f) => f(rounded(X))),
      ),
    ).toBe(true);
  });

  it('each of activationCodes applies the activation it names', () => {
    for (const [name, f] of Object.entries(ACTIVATION)) {
      const got = runActivation(m, activationCodes[name as keyof typeof ACTIVATION]);
      expect({ name, same: sameResults(got, rounded(X).map(f)) }).toEqual({ name, same: true });
    }
  });

  it('the COPY_ kinds move bits, truncate float32 to int32 and convert int32 to float32', () => {
    const copy = (kind: number, src: ArrayLike<number>, int: boolean): number[] => {
      (int ? m.i32 : m.f32)(m.slot(0), src.length).set(src);
      m.k.copy(kind, m.line(src.length), m.desc, m.slot(0), m.slot(1));
      return [...(kind === COPY_F32_TO_I32 ? m.i32 : m.f32)(m.slot(1), src.length)];
    };
    expect(copy(COPY_SAME, [2.75, -3.5], false)).toEqual([2.75, -3.5]);
    expect(copy(COPY_F32_TO_I32, [2.75, -3.5], false)).toEqual([2, -3]);
    expect(copy(COPY_I32_TO_F32, [7, -9], true)).toEqual([7, -9]);
  });
});

// ---------------------------------------------------------------- the interface is the module's

describe('the generated Kernels interface', () => {
  const read = (file: string): string => fs.readFileSync(REPO + file, 'utf8');
  const signatures = collectKernels(read);
  const exports = WebAssembly.Module.exports(compileSync('scalar'));
  const instance = instantiate(compileSync('scalar'), new WebAssembly.Memory({ initial: 1 }));

  it('lists exactly the functions the module exports', () => {
    const functions = exports.filter((e) => e.kind === 'function').map((e) => e.name);
    expect(signatures.map((s) => s.name).sort()).toEqual(functions.sort());
  });

  it("gives each kernel the module's number of parameters", () => {
    const arity = (name: string): number =>
      (instance[name as keyof Kernels] as (...a: number[]) => unknown).length;
    const mismatched = signatures.filter((s) => s.params.length !== arity(s.name)).map((s) => s.name);
    expect(mismatched).toEqual([]);
    expect(signatures.find((s) => s.name === 'adamUpdate')?.params.length).toBe(17);
  });

  it('types addresses as Ptr, bools as Bool (0 or 1) and the other numbers as number', () => {
    const unary = signatures.find((s) => s.name === 'unary')!;
    expect(unary.params.map((p) => p.type)).toEqual([
      'Bool',
      'number',
      'number',
      'Ptr',
      'Ptr',
      'Ptr',
      'number',
      'number',
    ]);
    expect(unary.returns).toBe('void');
    expect(signatures.find((s) => s.name === 'heapBase')?.returns).toBe('Ptr');
  });
});

// ---------------------------------------------------------------- deterministic and current

describe('the generator', () => {
  it('gives the same bytes on every run', () => {
    expect(generateBindings()).toEqual(generateBindings());
  });

  it('wrote the files on disk from the current assembly/ (npm run asbuild has run since its last change)', () => {
    for (const { file, text } of generateBindings()) {
      expect({ file, current: fs.readFileSync(REPO + file, 'utf8') === text }).toEqual({
        file,
        current: true,
      });
    }
  });

  it('marks its files as generated, not to be edited', () => {
    for (const { text } of generateBindings()) {
      expect(text.split('\n')[0]).toMatch(
        /^\/\/ Generated by scripts\/gen_wasm_bindings\.mjs .* do not edit/,
      );
    }
  });
});

// ---------------------------------------------------------------- what it refuses

/** A one-enum opcodes source under the given enum name and body. */
const enumSource = (name: string, body: string): string => `export enum ${name} {\n${body}\n}\n`;

/** A complete opcodes source (every enum the table names), with `UnaryOp`'s body replaced. */
function opcodesWith(unaryBody: string): string {
  const others = ['BinaryOp', 'ReduceOp', 'CopyKind', 'FusedActivation', 'OptimFlag'];
  return [enumSource('UnaryOp', unaryBody), ...others.map((n) => enumSource(n, 'a = 0,'))].join('');
}

describe('the generator refuses', () => {
  it('an enum member without an explicit number, naming it', () => {
    expect(() => renderOpcodes(opcodesWith('neg = 0,\n abs,'))).toThrow(
      'assembly/opcodes.ts: UnaryOp.abs needs an explicit number (write `abs = <number>`)',
    );
  });

  it('two members with the same number', () => {
    expect(() => renderOpcodes(opcodesWith('neg = 0,\n abs = 0,'))).toThrow(
      'assembly/opcodes.ts: UnaryOp.abs and UnaryOp.neg share the value 0',
    );
  });

  it('an enum its table does not place, and a table entry without its enum', () => {
    expect(() => renderOpcodes(opcodesWith('neg = 0,') + enumSource('Stray', 'x = 1,'))).toThrow(
      "enum Stray has no entry in scripts/gen_wasm_bindings.mjs's OPCODE_TABLES",
    );
    expect(() => renderOpcodes(enumSource('UnaryOp', 'neg = 0,'))).toThrow(
      'assembly/opcodes.ts: OPCODE_TABLES names enum BinaryOp, which the file lacks',
    );
  });

  /** collectKernels over an in-memory tree: an index re-exporting from ./k. */
  const kernelsOf = (index: string, k: string) =>
    collectKernels((file) => ({ 'assembly/index.ts': index, 'assembly/k.ts': k })[file] ?? '');

  it('a parameter type that is not a number on the JavaScript side', () => {
    expect(() => kernelsOf("export * from './k';", 'export function big(n: i64): void {}')).toThrow(
      "assembly/k.ts: big's parameter n has type i64, which the generated bindings cannot express (accepted: i8,",
    );
  });

  it('an optional parameter', () => {
    expect(() => kernelsOf("export * from './k';", 'export function f(n: i32 = 1): void {}')).toThrow(
      "assembly/k.ts: f's parameter n is optional; a kernel export takes every argument",
    );
  });

  it('a named re-export of a function the module lacks, and a name exported twice', () => {
    expect(() => kernelsOf("export { g } from './k';", 'export function f(): void {}')).toThrow(
      'assembly/index.ts: assembly/k.ts has no exported function g',
    );
    expect(() =>
      kernelsOf("export * from './k';\nexport function f(): void {}", 'export function f(): void {}'),
    ).toThrow('assembly/index.ts: f is exported twice');
  });
});
