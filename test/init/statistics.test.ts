/**
 * Initializer statistics on every backend: the sample mean and variance of a large tensor against the
 * formula, the bounds of the uniform initializers, orthogonality, identity initializers, seeded
 * reproducibility and in-place semantics.
 *
 * Tolerances: the sample variance of n i.i.d. draws has relative standard error √(2/n) for a normal
 * (0.28% at n = 131072 for [512, 256], 0.74% at n = 18432 for [64, 32, 3, 3]) and √(0.8/n) for a
 * uniform; we allow 2% and 4% (≥ 5 standard errors) with a fixed seed. Means: within 5·σ/√n.
 */
import { describe, expect, it } from 'vitest';
import { conv2d, Generator, manualSeed, randn, type Tensor, withBackend, zeros } from '../../src/index.js';
import {
  calculateFanInAndFanOut,
  calculateGain,
  constant_,
  dirac_,
  eye_,
  heCourseNormal_,
  heCourseUniform_,
  kaimingNormal_,
  kaimingUniform_,
  lecunNormal_,
  lecunUniform_,
  normal_,
  ones_,
  orthogonal_,
  torchDefaultInit_,
  uniform_,
  xavierNormal_,
  xavierUniform_,
  zeros_,
} from '../../src/init/index.js';
import { backends } from '../backends.js';

function moments(t: Tensor): { mean: number; variance: number; maxAbs: number } {
  const d = t.data();
  let s = 0;
  let maxAbs = 0;
  for (const v of d) {
    s += v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = s / d.length;
  let ss = 0;
  for (const v of d) ss += (v - mean) ** 2;
  return { mean, variance: ss / (d.length - 1), maxAbs };
}

interface Case {
  name: string;
  init: (t: Tensor) => Tensor;
  /** Expected variance from the fans. */
  variance: (fanIn: number, fanOut: number) => number;
  /** Uniform bound, when the distribution is uniform. */
  bound?: (fanIn: number, fanOut: number) => number;
}

const relu = calculateGain('relu');
const leaky = calculateGain('leakyRelu', 0.2);
const tanh = calculateGain('tanh');
const cases: Case[] = [
  { name: 'normal_(0, 0.01) (little-random)', init: (t) => normal_(t, 0, 0.01), variance: () => 1e-4 },
  { name: 'normal_() (random)', init: (t) => normal_(t), variance: () => 1 },
  {
    name: 'uniform_(-0.3, 0.3)',
    init: (t) => uniform_(t, -0.3, 0.3),
    variance: () => 0.36 / 12,
    bound: () => 0.3,
  },
  { name: 'xavierNormal_', init: (t) => xavierNormal_(t), variance: (i, o) => 2 / (i + o) },
  {
    name: 'xavierNormal_ gain tanh',
    init: (t) => xavierNormal_(t, { gain: tanh }),
    variance: (i, o) => (tanh * tanh * 2) / (i + o),
  },
  {
    name: 'xavierUniform_',
    init: (t) => xavierUniform_(t),
    variance: (i, o) => 2 / (i + o),
    bound: (i, o) => Math.sqrt(6 / (i + o)),
  },
  {
    name: 'kaimingNormal_ relu fanIn',
    init: (t) => kaimingNormal_(t, { nonlinearity: 'relu' }),
    variance: (i) => 2 / i,
  },
  {
    name: 'kaimingNormal_ relu fanOut',
    init: (t) => kaimingNormal_(t, { nonlinearity: 'relu', mode: 'fanOut' }),
    variance: (_i, o) => 2 / o,
  },
  {
    name: 'kaimingNormal_ defaults (leakyRelu, a = 0)',
    init: (t) => kaimingNormal_(t),
    variance: (i) => 2 / i,
  },
  {
    name: 'kaimingUniform_ leakyRelu a = 0.2 fanIn',
    init: (t) => kaimingUniform_(t, { a: 0.2 }),
    variance: (i) => (leaky * leaky) / i,
    bound: (i) => leaky * Math.sqrt(3 / i),
  },
  {
    name: 'kaimingUniform_ relu fanOut',
    init: (t) => kaimingUniform_(t, { nonlinearity: 'relu', mode: 'fanOut' }),
    variance: (_i, o) => (relu * relu) / o,
    bound: (_i, o) => relu * Math.sqrt(3 / o),
  },
  { name: 'heCourseNormal_', init: (t) => heCourseNormal_(t), variance: (i, o) => 4 / (i + o) },
  {
    name: 'heCourseUniform_',
    init: (t) => heCourseUniform_(t),
    variance: (i, o) => 4 / (i + o),
    bound: (i, o) => Math.sqrt(12 / (i + o)),
  },
  { name: 'lecunNormal_', init: (t) => lecunNormal_(t), variance: (i) => 1 / i },
  {
    name: 'lecunUniform_',
    init: (t) => lecunUniform_(t),
    variance: (i) => 1 / i,
    bound: (i) => Math.sqrt(3 / i),
  },
  {
    name: 'torchDefaultInit_ (kaiming uniform, a = √5)',
    init: (t) => torchDefaultInit_(t),
    variance: (i) => 1 / (3 * i),
    bound: (i) => 1 / Math.sqrt(i),
  },
];

const shapes: { shape: number[]; tolerance: number }[] = [
  { shape: [512, 256], tolerance: 0.02 },
  { shape: [64, 32, 3, 3], tolerance: 0.04 },
];

describe.each(backends)('initializers on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);

  describe.each(shapes)('shape $shape', ({ shape, tolerance }) => {
    it.each(cases)('$name: variance and mean match the formula', (c) =>
      on(() => {
        manualSeed(42);
        const t = zeros(shape);
        const [fanIn, fanOut] = calculateFanInAndFanOut(t);
        expect(c.init(t)).toBe(t);
        const { mean, variance, maxAbs } = moments(t);
        const expected = c.variance(fanIn, fanOut);
        expect(Math.abs(variance / expected - 1)).toBeLessThan(tolerance);
        expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(expected / t.size));
        if (c.bound) {
          const bound = c.bound(fanIn, fanOut);
          expect(maxAbs).toBeLessThanOrEqual(bound * (1 + 1e-7));
          expect(maxAbs).toBeGreaterThan(bound * 0.999); // nearly reached
        }
      }),
    );
  });

  it('uniform_ with a ≠ −b has the right mean and range', () =>
    on(() => {
      const t = uniform_(zeros([256, 256]), 2, 5, { generator: new Generator(1) });
      const d = t.data();
      expect(Math.min(...d)).toBeGreaterThanOrEqual(2);
      expect(Math.max(...d)).toBeLessThan(5);
      expect(Math.abs(moments(t).mean - 3.5)).toBeLessThan(0.01);
    }));

  it('constant_, zeros_, ones_ fill in place', () =>
    on(() => {
      const t = randn([3, 4]);
      expect(constant_(t, 2.5)).toBe(t);
      expect([...t.data()]).toEqual(new Array(12).fill(2.5));
      expect([...zeros_(t).data()]).toEqual(new Array(12).fill(0));
      expect([...ones_(t).data()]).toEqual(new Array(12).fill(1));
    }));

  it('a seeded generator reproduces the same weights; different seeds differ', () =>
    on(() => {
      const a = kaimingNormal_(zeros([16, 8]), { generator: new Generator(7) }).data();
      const b = kaimingNormal_(zeros([16, 8]), { generator: new Generator(7) }).data();
      const c = kaimingNormal_(zeros([16, 8]), { generator: new Generator(8) }).data();
      expect(a).toEqual(b);
      expect(a).not.toEqual(c);
      manualSeed(5);
      const d = xavierUniform_(zeros([16, 8])).data();
      manualSeed(5);
      expect(xavierUniform_(zeros([16, 8])).data()).toEqual(d);
    }));

  it('writes through non-contiguous views and leaves the rest of the storage alone', () =>
    on(() => {
      const base = zeros([4, 6]);
      ones_(base.index(':', '1:3'));
      expect(base.toArray()).toEqual(Array.from({ length: 4 }, () => [0, 1, 1, 0, 0, 0]));
      const m = zeros([3, 2]);
      eye_(m.t()); // a transposed view of shape [2, 3]
      expect(m.toArray()).toEqual([
        [1, 0],
        [0, 1],
        [0, 0],
      ]);
    }));

  it('parameters stay leaves that require grad (initialization is not recorded)', () =>
    on(() => {
      const w = zeros([8, 4], { requiresGrad: true });
      kaimingUniform_(w);
      orthogonal_(w);
      expect(w.isLeaf).toBe(true);
      expect(w.requiresGrad).toBe(true);
      expect(w.gradFn).toBeNull();
    }));

  it.skipIf(!backend.supports('float64'))(
    'float64 tensors are initialized in float64 (skipped where the backend stores no float64)',
    () =>
      on(() => {
        const t = normal_(zeros([4, 4], { dtype: 'float64' }), 0, 1, { generator: new Generator(3) });
        expect(t.dtype).toBe('float64');
        expect(t.data().some((v) => Math.fround(v) !== v)).toBe(true);
      }),
  );

  describe('orthogonal_', () => {
    const gram = (w: number[][], rowsTimesRows: boolean): number[][] => {
      const m = rowsTimesRows ? w : w[0]!.map((_, j) => w.map((r) => r[j]!));
      return m.map((a) => m.map((b) => a.reduce((s, v, k) => s + v * b[k]!, 0)));
    };
    const expectIdentity = (g: number[][], scale: number): void => {
      for (const [i, row] of g.entries()) {
        for (const [j, v] of row.entries()) {
          expect(Math.abs(v - (i === j ? scale : 0))).toBeLessThan(1e-5 * Math.max(1, scale));
        }
      }
    };

    it('tall [96, 32]: WᵀW = I', () =>
      on(() => expectIdentity(gram(orthogonal_(zeros([96, 32])).toArray() as number[][], false), 1)));

    it('wide [32, 96] with gain 2: WWᵀ = 4I', () =>
      on(() =>
        expectIdentity(gram(orthogonal_(zeros([32, 96]), { gain: 2 }).toArray() as number[][], true), 4),
      ));

    it('conv [16, 4, 3, 3] is orthogonal as a 16×36 matrix', () =>
      on(() => {
        const w = orthogonal_(zeros([16, 4, 3, 3])).reshape(16, 36);
        expectIdentity(gram(w.toArray() as number[][], true), 1);
      }));

    it('square: orthogonal both ways, and seeded', () =>
      on(() => {
        const w = orthogonal_(zeros([24, 24]), { generator: new Generator(1) });
        const arr = w.toArray() as number[][];
        expectIdentity(gram(arr, true), 1);
        expectIdentity(gram(arr, false), 1);
        expect(orthogonal_(zeros([24, 24]), { generator: new Generator(1) }).data()).toEqual(w.data());
      }));
  });

  it('eye_ writes the identity, also for non-square matrices', () =>
    on(() => {
      expect(eye_(randn([2, 3])).toArray()).toEqual([
        [1, 0, 0],
        [0, 1, 0],
      ]);
    }));

  it('dirac_ makes a padded stride-1 convolution the identity', () =>
    on(() => {
      const w = dirac_(randn([3, 3, 3, 3]));
      const x = randn([2, 3, 5, 5]);
      expect(conv2d(x, w, null, { padding: 1 }).allClose(x, 0, 1e-6)).toBe(true);
      // groups: each group of output channels copies its own leading input channels
      const g = dirac_(zeros([4, 2, 1, 1]), 2);
      expect(g.reshape(4, 2).toArray()).toEqual([
        [1, 0],
        [0, 1],
        [1, 0],
        [0, 1],
      ]);
    }));

  it('zero-element tensors are left alone', () =>
    on(() => {
      const t = zeros([0, 5]);
      expect(kaimingNormal_(t)).toBe(t);
      expect(xavierUniform_(t)).toBe(t);
      expect(orthogonal_(t)).toBe(t);
    }));

  it('torchDefaultInit_ draws the bias from U(±1/√fanIn)', () =>
    on(() => {
      manualSeed(9);
      const w = zeros([64, 100]);
      const b = zeros([4096]);
      torchDefaultInit_(w, b);
      const m = moments(b);
      expect(m.maxAbs).toBeLessThanOrEqual(0.1 * (1 + 1e-7));
      expect(m.maxAbs).toBeGreaterThan(0.099);
      expect(Math.abs(m.variance / (0.01 / 3) - 1)).toBeLessThan(0.06);
    }));
});

describe('initializer errors', () => {
  it('fans need at least 2 dimensions', () => {
    expect(() => calculateFanInAndFanOut(zeros([5]))).toThrow(
      'calculateFanInAndFanOut: fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions (shape [5])',
    );
    expect(() => xavierNormal_(zeros([5]))).toThrow('xavierNormal_: fan in and fan out cannot be computed');
    expect(() => kaimingUniform_(zeros([5]))).toThrow(
      'kaimingUniform_: fan in and fan out cannot be computed',
    );
    expect(() => lecunNormal_(zeros([]))).toThrow('lecunNormal_: fan in and fan out cannot be computed');
  });

  it('unknown nonlinearity, with a hint for PyTorch spellings', () => {
    expect(() => calculateGain('swish' as never)).toThrow(
      `calculateGain: unknown nonlinearity string "swish"; use one of 'linear'`,
    );
    expect(() => calculateGain('leaky_relu' as never)).toThrow("(descent spells it 'leakyRelu')");
    expect(() => kaimingNormal_(zeros([4, 4]), { nonlinearity: 'gelu' as never })).toThrow(
      'calculateGain: unknown nonlinearity string "gelu"',
    );
    expect(() => calculateGain('leakyRelu', Number.NaN)).toThrow(
      'calculateGain: the negative slope of leakyRelu must be a finite number, got number NaN',
    );
  });

  it('bad mode', () => {
    expect(() => kaimingUniform_(zeros([4, 4]), { mode: 'fan_in' as never })).toThrow(
      `kaimingUniform_: mode "fan_in" is not supported; use 'fanIn' or 'fanOut'`,
    );
  });

  it('bad arguments and tensors', () => {
    expect(() => uniform_(zeros([2]), 1, 0)).toThrow('uniform_: expects a ≤ b, got a = 1 > b = 0');
    expect(() => normal_(zeros([2]), 0, -1)).toThrow('normal_: std must be ≥ 0, got -1');
    expect(() => normal_(zeros([2]), Number.POSITIVE_INFINITY)).toThrow(
      'normal_: mean must be a finite number',
    );
    expect(() => xavierUniform_(zeros([2, 2]), { gain: '2' as never })).toThrow(
      'xavierUniform_: gain must be a finite number, got string "2"',
    );
    expect(() => kaimingNormal_(zeros([2, 2], { dtype: 'int32' }))).toThrow(
      'kaimingNormal_: only floating-point tensors can be initialized, this one is int32',
    );
    expect(() => zeros_([1, 2] as never)).toThrow(
      'constant_: expected a Tensor to initialize in place, got an array',
    );
    expect(() => orthogonal_(zeros([4]))).toThrow(
      'orthogonal_: only tensors with 2 or more dimensions are supported, got shape [4]',
    );
    expect(() => eye_(zeros([2, 2, 2]))).toThrow('eye_: only 2-D tensors are supported, got shape [2, 2, 2]');
    expect(() => dirac_(zeros([2, 2]))).toThrow('dirac_: only 3-, 4- and 5-D tensors are supported');
    expect(() => dirac_(zeros([3, 2, 3, 3]), 2)).toThrow(
      'dirac_: 3 output channels are not divisible by groups = 2',
    );
  });
});
