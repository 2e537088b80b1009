/**
 * The seams are typed: a backend missing a core kernel, or a primitive missing its gradient rule, is
 * a compile-time error. `npm run typecheck` fails if any @ts-expect-error below stops being an error.
 *
 * And every member of the Backend interface does what its contract says on every backend (and every
 * WebAssembly build), on a small hand-worked case: the required core on every backend, each optional
 * member (a synchronous read, availableBytes, each fused kernel) where the backend has it. The tables
 * of checks are Records over `keyof CoreBackend` and `keyof FusedKernels`, so a member added to the
 * interface does not compile here until it has a check.
 */
import { describe, expect, it } from 'vitest';
import type { BufferHandle, CoreBackend, FusedKernels, View, WindowSpec } from '../../src/backend/backend.js';
import {
  CORE_KERNELS,
  CORE_METHODS,
  FUSED_CAPABILITIES,
  FUSED_KERNELS,
  missingCoreMembers,
  OPTIONAL_CORE_METHODS,
} from '../../src/backend/capabilities.js';
import { coreOnly } from '../../src/backend/core_only.js';
import {
  type Backend,
  type gradRules,
  type Primitive,
  ReferenceBackend,
  setBackend,
  type Vjp,
} from '../../src/index.js';
import { backends } from '../backends.js';
import { wasmBackends } from './wasm_helpers.js';

describe('typed seams', () => {
  it('a backend without a core kernel does not type-check', () => {
    const incomplete = {} as Omit<Backend, 'matmul'>;
    // @ts-expect-error: matmul is a required kernel
    const backend: Backend = incomplete;
    expect(backend).toBe(incomplete);
  });

  it('a backend without any fused kernel does type-check: they are optional', () => {
    const core = {} as CoreBackend;
    const backend: Backend = core;
    expect(backend).toBe(core);
  });

  it('a fused kernel takes its spec object, not positional arguments', () => {
    const fused = {} as FusedKernels;
    // @ts-expect-error: linear takes one LinearCall
    const positional: FusedKernels['linear'] = (_x: View, _w: View) => undefined;
    expect(fused).not.toBe(positional);
  });

  it('a gradient table without a rule does not type-check', () => {
    const partial = {} as Omit<typeof gradRules, 'conv2d' | 'matmul'>;
    // @ts-expect-error: every primitive needs a vector-Jacobian product
    const table: { [P in Primitive]: Vjp<P> } = partial;
    expect(table).toBe(partial);
  });
});

/** A buffer of `dtype` holding `data`. */
function put(be: Backend, data: number[], dtype: 'float32' | 'int32' = 'float32'): BufferHandle {
  const b = be.allocate(dtype, data.length);
  be.write(b, dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data));
  return b;
}

/** A contiguous view of `shape` (the whole buffer by default). */
function view(b: BufferHandle, shape: number[] = [b.length]): View {
  const strides = shape.map((_, k) => shape.slice(k + 1).reduce((a, d) => a * d, 1));
  return { buffer: b, shape, strides, offset: 0 };
}

function get(be: Backend, b: BufferHandle): number[] {
  return Array.from(be.read!(b));
}

function spec(
  shape: [number, number, number, number],
  kernel: [number, number],
  stride: [number, number],
  padding: [number, number],
): WindowSpec {
  const [batch, channels, height, width] = shape;
  return {
    batch,
    channels,
    height,
    width,
    kernel,
    stride,
    padding,
    dilation: [1, 1],
    outHeight: Math.floor((height + 2 * padding[0] - kernel[0]) / stride[0]) + 1,
    outWidth: Math.floor((width + 2 * padding[1] - kernel[1]) / stride[1]) + 1,
  };
}

/** x [1, 1, 2, 2] = [[1, 2], [3, 4]] under a 2×2 kernel with padding 1: a 3×3 output. */
const convSpec = spec([1, 1, 2, 2], [2, 2], [1, 1], [1, 1]);
/** g [1, 1, 3, 3] = 1…9 for the convolution gradients. */
const convG = [1, 2, 3, 4, 5, 6, 7, 8, 9];

type Check = (be: Backend) => void | Promise<void>;
type FusedCheck = (be: Backend & FusedKernels) => void;

const checks = {
  name: (be) => {
    expect(typeof be.name).toBe('string');
    expect(be.name.length).toBeGreaterThan(0);
  },
  precision: (be) => {
    // Every kernel it calls exact is a kernel; the tolerances are non-negative numbers.
    const p = be.precision;
    for (const k of p.exact) expect([...CORE_KERNELS, ...FUSED_KERNELS]).toContain(k);
    for (const t of [p.accumulation, p.rtol, p.atol, ...Object.values(p.ulps)])
      expect(t).toBeGreaterThanOrEqual(0);
    if (p.reference) expect([p.accumulation, p.rtol, p.atol]).toEqual([0, 0, 0]);
  },
  supports: (be) => {
    expect(be.supports('float32')).toBe(true);
    expect(be.supports('int32')).toBe(true);
    // What supports() says about float64 is what allocate() does.
    if (be.supports('float64')) expect(be.allocate('float64', 2).length).toBe(2);
    else expect(() => be.allocate('float64', 2)).toThrow(/float64/);
  },
  allocate: (be) => {
    const b = be.allocate('int32', 5);
    expect([b.dtype, b.length]).toEqual(['int32', 5]);
    expect(be.allocate('float32', 0).length).toBe(0);
  },
  release: (be) => {
    const before = be.bytesInUse();
    const b = be.allocate('float32', 64);
    expect(be.bytesInUse()).toBe(before + 256);
    be.release(b);
    expect(be.bytesInUse()).toBe(before);
  },
  write: (be) => {
    const b = put(be, [1.5, -2, Number.POSITIVE_INFINITY]);
    expect(get(be, b)).toEqual([1.5, -2, Number.POSITIVE_INFINITY]);
    be.write(b, Float32Array.from([0.1, 3, 4]));
    expect(get(be, b)).toEqual([Math.fround(0.1), 3, 4]);
  },
  read: (be) => {
    const b = put(be, [7, 8], 'int32');
    const copy = be.read!(b);
    expect(copy).toBeInstanceOf(Int32Array);
    copy[0] = 99;
    expect(get(be, b)).toEqual([7, 8]);
  },
  readAsync: async (be) => {
    const b = put(be, [7, 8], 'int32');
    const copy = await be.readAsync(b);
    expect(copy).toBeInstanceOf(Int32Array);
    copy[0] = 99;
    expect(Array.from(await be.readAsync(b))).toEqual([7, 8]);
  },
  bytesInUse: (be) => {
    const before = be.bytesInUse();
    be.allocate('int32', 3);
    expect(be.bytesInUse()).toBe(before + 12);
  },
  availableBytes: (be) => {
    // Optional: where a backend has a limit of its own, a positive count that an allocation does not raise.
    const before = be.availableBytes!();
    expect(before).toBeGreaterThan(0);
    be.allocate('float32', 1 << 18);
    expect(be.availableBytes!()).toBeLessThanOrEqual(before);
  },
  flush: (be) => {
    // Optional: queued kernels reach the device; what was written and computed before reads back after.
    const out = put(be, [1, 2]);
    be.fill(out, 4);
    be.flush!();
    expect(get(be, out)).toEqual([4, 4]);
  },
  fill: (be) => {
    const f = be.allocate('float32', 3);
    be.fill(f, 2.5);
    expect(get(be, f)).toEqual([2.5, 2.5, 2.5]);
    const i = be.allocate('int32', 2);
    be.fill(i, -7);
    expect(get(be, i)).toEqual([-7, -7]);
  },
  copy: (be) => {
    // A transpose of [2, 3] read through strides, and float → int32 truncation toward zero.
    const src = put(be, [0, 1, 2, 3, 4, 5]);
    const dst = be.allocate('float32', 6);
    be.copy({ buffer: src, shape: [3, 2], strides: [1, 3], offset: 0 }, view(dst, [3, 2]));
    expect(get(be, dst)).toEqual([0, 3, 1, 4, 2, 5]);
    const ints = be.allocate('int32', 3);
    be.copy(view(put(be, [1.7, -1.7, 2.5])), view(ints));
    expect(get(be, ints)).toEqual([1, -1, 2]);
  },
  unary: (be) => {
    const out = be.allocate('float32', 4);
    // x [2] broadcast to [2, 2] (stride 0).
    be.unary({ op: 'neg' }, { buffer: put(be, [1, -2]), shape: [2, 2], strides: [0, 1], offset: 0 }, out);
    expect(get(be, out)).toEqual([-1, 2, -1, 2]);
    be.unary({ op: 'clamp', min: -1, max: 1 }, view(put(be, [-3, 0.5, 2, -0.25])), out);
    expect(get(be, out)).toEqual([-1, 0.5, 1, -0.25]);
  },
  binary: (be) => {
    const out = be.allocate('float32', 6);
    const a = { buffer: put(be, [1, 2, 3]), shape: [2, 3], strides: [0, 1], offset: 0 };
    const b = { buffer: put(be, [10, 20]), shape: [2, 3], strides: [1, 0], offset: 0 };
    be.binary('add', a, b, out);
    expect(get(be, out)).toEqual([11, 12, 13, 21, 22, 23]);
    const cmp = be.allocate('float32', 3);
    be.binary('gt', view(put(be, [1, 5, 2])), view(put(be, [2, 2, 2])), cmp);
    expect(get(be, cmp)).toEqual([0, 1, 0]);
  },
  where: (be) => {
    const out = be.allocate('float32', 3);
    be.where(view(put(be, [1, 0, 1])), view(put(be, [1, 2, 3])), view(put(be, [10, 20, 30])), out);
    expect(get(be, out)).toEqual([1, 20, 3]);
  },
  reduce: (be) => {
    const x = view(put(be, [1, 5, 3, 4, 2, 6]));
    const run = (
      op: 'sum' | 'max' | 'min' | 'argmax' | 'argmin',
      outer: number,
      length: number,
      inner: number,
    ) => {
      const out = be.allocate(op.startsWith('arg') ? 'int32' : 'float32', outer * inner);
      be.reduce({ op, x, outer, length, inner, out });
      return get(be, out);
    };
    expect(run('sum', 2, 3, 1)).toEqual([9, 12]);
    expect(run('sum', 1, 2, 3)).toEqual([5, 7, 9]);
    expect(run('max', 2, 3, 1)).toEqual([5, 6]);
    expect(run('min', 2, 3, 1)).toEqual([1, 2]);
    expect(run('argmax', 2, 3, 1)).toEqual([1, 2]);
    expect(run('argmin', 1, 2, 3)).toEqual([0, 1, 0]);
  },
  matmul: (be) => {
    const a = view(put(be, [1, 2, 3, 4, 5, 6]));
    const product = (b: number[], transB: boolean) => {
      const out = be.allocate('float32', 4);
      const s = {
        m: 2,
        n: 2,
        k: 3,
        transA: false,
        transB,
        batchShape: [],
        aBatchStrides: [],
        bBatchStrides: [],
      };
      be.matmul(a, view(put(be, b)), s, out);
      return get(be, out);
    };
    expect(product([1, 0, 0, 1, 1, 1], false)).toEqual([4, 5, 10, 11]);
    expect(product([1, 0, 1, 0, 1, 1], true)).toEqual([4, 5, 10, 11]);
  },
  softmax: (be) => {
    const x = view(put(be, [0, 0, 3, 3, -1, -1]));
    const out = be.allocate('float32', 6);
    be.softmax({ x, outer: 3, length: 2, inner: 1, log: false, out });
    expect(get(be, out)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    be.softmax({ x, outer: 3, length: 2, inner: 1, log: true, out });
    for (const v of get(be, out)) expect(v).toBeCloseTo(-Math.LN2, 6);
  },
  gather: (be) => {
    const out = be.allocate('float32', 4);
    be.gather({
      x: view(put(be, [10, 11, 12, 20, 21, 22])),
      index: view(put(be, [2, 0, 1, 1], 'int32')),
      outer: 2,
      xLength: 3,
      indexLength: 2,
      inner: 1,
      out,
    });
    expect(get(be, out)).toEqual([12, 10, 21, 21]);
  },
  scatterAdd: (be) => {
    // `out` is not cleared: it starts at ones.
    const out = put(be, [1, 1, 1, 1, 1, 1]);
    be.scatterAdd({
      src: view(put(be, [1, 2, 3, 4])),
      index: view(put(be, [2, 2, 0, 1], 'int32')),
      outer: 2,
      outLength: 3,
      indexLength: 2,
      inner: 1,
      out,
    });
    expect(get(be, out)).toEqual([1, 1, 4, 4, 5, 1]);
  },
  im2col: (be) => {
    // x [1, 1, 1, 2] = [1, 2], kernel [1, 2], padding [0, 1]: three windows, the outer ones half padding.
    const s = spec([1, 1, 1, 2], [1, 2], [1, 1], [0, 1]);
    const out = be.allocate('float32', 6);
    be.im2col({ x: view(put(be, [1, 2])), spec: s, padValue: -9, out });
    expect(get(be, out)).toEqual([-9, 1, 2, 1, 2, -9]);
  },
  col2im: (be) => {
    // The adjoint of the im2col case: `out` (cleared first) gets the column entries that read it.
    const s = spec([1, 1, 1, 2], [1, 2], [1, 1], [0, 1]);
    const out = put(be, [100, 100]);
    be.col2im({ cols: view(put(be, [1, 2, 3, 4, 5, 6])), spec: s, out });
    expect(get(be, out)).toEqual([2 + 4, 3 + 5]);
  },
} satisfies Record<keyof CoreBackend, Check>;

const fusedChecks = {
  linear: (be) => {
    const x = view(put(be, [1, 2, 3, 4]));
    const w = view(put(be, [1, 0, -1, -1]));
    const out = be.allocate('float32', 4);
    be.linear({ x, weight: w, bias: view(put(be, [0.5, 0.5])), m: 2, n: 2, k: 2, activation: 'relu', out });
    expect(get(be, out)).toEqual([1.5, 0, 3.5, 0]);
    be.linear({ x, weight: w, bias: null, m: 2, n: 2, k: 2, activation: 'none', out });
    expect(get(be, out)).toEqual([1, -3, 3, -7]);
  },
  activationBackward: (be) => {
    const out = be.allocate('float32', 3);
    be.activationBackward({
      activation: 'relu',
      g: view(put(be, [1, 2, 3])),
      y: view(put(be, [0.5, 0, 2])),
      out,
    });
    expect(get(be, out)).toEqual([1, 0, 3]);
    be.activationBackward({
      activation: 'tanh',
      g: view(put(be, [2, 2, 2])),
      y: view(put(be, [0.5, 0, -1])),
      out,
    });
    expect(get(be, out)).toEqual([1.5, 2, 0]);
  },
  batchNormForward: (be) => {
    // Two channels of four values whose normalized form is [−1, −1, 1, 1] (mean 0 and 2, variance 1).
    const x = view(put(be, [-1, -1, 1, 1, 1, 1, 3, 3]));
    const out = be.allocate('float32', 8);
    const mean = be.allocate('float32', 2);
    const variance = be.allocate('float32', 2);
    const runningMean = put(be, [0, 0]);
    const runningVar = put(be, [1, 1]);
    be.batchNormForward({
      x,
      gamma: view(put(be, [2, 1])),
      beta: view(put(be, [0.5, 0])),
      spec: { outer: 1, channels: 2, inner: 4, eps: 0 },
      out,
      mean,
      variance,
      running: { mean: view(runningMean), variance: view(runningVar), momentum: 0.1 },
    });
    expect(get(be, out)).toEqual([-1.5, -1.5, 2.5, 2.5, -1, -1, 1, 1]);
    expect(get(be, mean)).toEqual([0, 2]);
    expect(get(be, variance)).toEqual([1, 1]);
    // Running: m·μ + (1 − m)·running, and the unbiased variance 4/3.
    expect(get(be, runningMean)).toEqual([0, Math.fround(0.2)]);
    expect(get(be, runningVar)).toEqual([Math.fround(0.1 * (4 / 3) + 0.9), Math.fround(0.1 * (4 / 3) + 0.9)]);
  },
  batchNormBackward: (be) => {
    // x̂ = [−1, −1, 1, 1], γ = 2, g = [1, 0, 0, 0]: Σg = 1, Σg·x̂ = −1, dx = 2·(g − 1/4 + x̂/4).
    const dx = be.allocate('float32', 4);
    const dGamma = be.allocate('float32', 1);
    const dBeta = be.allocate('float32', 1);
    be.batchNormBackward({
      g: view(put(be, [1, 0, 0, 0])),
      x: view(put(be, [-1, -1, 1, 1])),
      mean: view(put(be, [0])),
      variance: view(put(be, [1])),
      gamma: view(put(be, [2])),
      spec: { outer: 1, channels: 1, inner: 4, eps: 0 },
      dx,
      dGamma,
      dBeta,
    });
    expect(get(be, dx)).toEqual([1, -1, 0, 0]);
    expect(get(be, dGamma)).toEqual([-1]);
    expect(get(be, dBeta)).toEqual([1]);
  },
  softmaxCrossEntropy: (be) => {
    const probs = be.allocate('float32', 6);
    const losses = be.allocate('float32', 2);
    be.softmaxCrossEntropy({
      logits: view(put(be, [0, 0, 0, 5, 5, 5])),
      target: view(put(be, [0, 2], 'int32')),
      rows: 2,
      classes: 3,
      probs,
      losses,
    });
    for (const p of get(be, probs)) expect(p).toBeCloseTo(1 / 3, 6);
    for (const l of get(be, losses)) expect(l).toBeCloseTo(Math.log(3), 6);
  },
  softmaxCrossEntropyBackward: (be) => {
    const out = be.allocate('float32', 4);
    be.softmaxCrossEntropyBackward({
      probs: view(put(be, [0.5, 0.5, 0.25, 0.75])),
      target: view(put(be, [0, 1], 'int32')),
      g: view(put(be, [1, 2])),
      rows: 2,
      classes: 2,
      out,
    });
    expect(get(be, out)).toEqual([-0.5, 0.5, 0.5, -0.5]);
  },
  conv2d: (be) => {
    // w = [[1, 0], [0, 1]]: out[y][x] = x[y − 1][x − 1] + x[y][x] + 0.5, zero outside the image.
    const out = be.allocate('float32', 9);
    be.conv2d({
      x: view(put(be, [1, 2, 3, 4])),
      weight: view(put(be, [1, 0, 0, 1])),
      bias: view(put(be, [0.5])),
      spec: convSpec,
      outChannels: 1,
      out,
    });
    expect(get(be, out)).toEqual([1.5, 2.5, 0.5, 3.5, 5.5, 2.5, 0.5, 3.5, 4.5]);
  },
  conv2dInputGrad: (be) => {
    // dx[y][x] = g[y + 1][x + 1] + g[y][x].
    const out = be.allocate('float32', 4);
    be.conv2dInputGrad({
      g: view(put(be, convG)),
      weight: view(put(be, [1, 0, 0, 1])),
      spec: convSpec,
      outChannels: 1,
      out,
    });
    expect(get(be, out)).toEqual([5 + 1, 6 + 2, 8 + 4, 9 + 5]);
  },
  conv2dWeightGrad: (be) => {
    // dw[i][j] = Σ g[y][x]·x[y + i − 1][x + j − 1] over the positions inside the image.
    const out = be.allocate('float32', 4);
    be.conv2dWeightGrad({
      g: view(put(be, convG)),
      x: view(put(be, [1, 2, 3, 4])),
      spec: convSpec,
      outChannels: 1,
      out,
    });
    expect(get(be, out)).toEqual([5 + 12 + 24 + 36, 4 + 10 + 21 + 32, 2 + 6 + 15 + 24, 1 + 4 + 12 + 20]);
  },
  maxPool2dForward: (be) => {
    // Windows [1, 5 / 3, 0] and [2, 2 / 7, 7]: the first of tied maxima wins (index 6, not 7).
    const out = be.allocate('float32', 2);
    const indices = be.allocate('int32', 2);
    be.maxPool2dForward({
      x: view(put(be, [1, 5, 2, 2, 3, 0, 7, 7])),
      spec: spec([1, 1, 2, 4], [2, 2], [2, 2], [0, 0]),
      out,
      indices,
    });
    expect(get(be, out)).toEqual([5, 7]);
    expect(get(be, indices)).toEqual([1, 6]);
  },
  maxPool2dBackward: (be) => {
    const out = put(be, [9, 9, 9, 9, 9, 9, 9, 9]);
    be.maxPool2dBackward({
      g: view(put(be, [10, 20])),
      indices: view(put(be, [1, 6], 'int32')),
      spec: spec([1, 1, 2, 4], [2, 2], [2, 2], [0, 0]),
      out,
    });
    expect(get(be, out)).toEqual([0, 10, 0, 0, 0, 0, 20, 0]);
  },
  optimizerUpdate: (be) => {
    // Plain SGD: θ ← θ − 0.5·g, in place; the gradient is left alone.
    const param = put(be, [1, 2]);
    const grad = put(be, [2, 6]);
    be.optimizerUpdate(
      {
        kind: 'sgd',
        lr: 0.5,
        weightDecay: 0,
        momentum: 0,
        oneMinusDampening: 1,
        nesterov: false,
        initMomentum: false,
        maximize: false,
      },
      [param, grad],
    );
    expect(get(be, param)).toEqual([0, -1]);
    expect(get(be, grad)).toEqual([2, 6]);
  },
} satisfies Record<keyof FusedKernels, FusedCheck>;

const coreMembers = Object.keys(checks) as (keyof typeof checks)[];
const fusedMembers = Object.keys(fusedChecks) as (keyof typeof fusedChecks)[];

const everyBackend = [
  ...backends,
  ...wasmBackends.map(({ variant, backend }) => ({ name: `wasm ${variant} build`, backend })),
];

/** Whether `backend` has the optional member `k`. */
function has(backend: Backend, k: string): boolean {
  return typeof (backend as unknown as Record<string, unknown>)[k] === 'function';
}

describe.each(everyBackend)('the Backend contract on $name', ({ backend }) => {
  it('implements every required member', () => {
    expect(typeof backend.name).toBe('string');
    expect(typeof backend.precision).toBe('object');
    for (const k of CORE_METHODS) expect(typeof backend[k], `${backend.name}.${k}`).toBe('function');
  });

  it('each optional member is a method or absent', () => {
    for (const k of [...OPTIONAL_CORE_METHODS, ...FUSED_KERNELS]) {
      expect(['function', 'undefined'], `${backend.name}.${k}`).toContain(
        typeof (backend as unknown as Record<string, unknown>)[k],
      );
    }
  });

  it('a fused capability comes whole: with its forward kernel, every kernel its gradient needs', () => {
    for (const kernels of Object.values(FUSED_CAPABILITIES)) {
      const present = kernels.map((k) => has(backend, k));
      expect(present, kernels.join(', ')).toEqual(kernels.map(() => present[0]));
    }
  });

  it('declares the reference contract only if it is the reference backend', () => {
    expect(backend.precision.reference).toBe(backend instanceof ReferenceBackend);
  });

  it.each(coreMembers.filter((k) => !(OPTIONAL_CORE_METHODS as readonly string[]).includes(k)))('%s', (k) =>
    checks[k](backend),
  );

  for (const k of OPTIONAL_CORE_METHODS) {
    it.skipIf(!has(backend, k))(`${k} (optional: skipped where the backend lacks it)`, () =>
      checks[k](backend),
    );
  }

  for (const k of fusedMembers) {
    it.skipIf(!has(backend, k))(`${k} (fused, optional: skipped where the backend lacks it)`, () =>
      fusedChecks[k](backend as Backend & FusedKernels),
    );
  }
});

describe('a core-only backend', () => {
  const core = coreOnly(new ReferenceBackend());

  it('has every core member and no fused kernel', () => {
    expect(missingCoreMembers(core)).toEqual([]);
    for (const k of FUSED_KERNELS) expect(has(core, k), k).toBe(false);
    expect(core.name).toBe('reference (core only)');
  });

  it('declares the core kernels exact and composed ops to float32 rounding', () => {
    expect(core.precision.reference).toBe(false);
    expect(core.precision.exact).toContain('matmul');
    expect(core.precision.exact).not.toContain('linear');
    expect(core.precision.rtol).toBeGreaterThan(0);
  });
});

describe('registering a backend', () => {
  it('setBackend refuses an object that lacks core members, naming them', () => {
    const core = coreOnly(new ReferenceBackend()) as unknown as Record<string, unknown>;
    const { matmul: _m, precision: _p, ...partial } = core;
    expect(() => setBackend(partial as unknown as Backend)).toThrow(
      'setBackend: the backend lacks required members matmul, precision (see CoreBackend in src/backend/backend.ts)',
    );
  });
});
