/**
 * The seeded generator: determinism, the exact xoshiro128** stream (checked against an independent
 * BigInt implementation of the published algorithms), distribution statistics and the engine-independent
 * logarithm.
 */
import { describe, expect, it } from 'vitest';
import {
  deterministicLog,
  Generator,
  getDefaultGenerator,
  manualSeed,
  rand,
  randint,
  randn,
} from '../../src/index.js';

// ------------------------------------------------------------------ independent reference

const MASK64 = (1n << 64n) - 1n;
const MASK32 = (1n << 32n) - 1n;

/** SplitMix64 (Steele, Lea & Flood 2014): state += γ; z = mix(state). */
function splitMix64(seed: bigint): () => bigint {
  let state = seed & MASK64;
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & MASK64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  };
}

function rotl32(x: bigint, k: bigint): bigint {
  return ((x << k) | (x >> (32n - k))) & MASK32;
}

/** xoshiro128** (Blackman & Vigna 2018), all arithmetic in BigInt modulo 2^32. */
function referenceXoshiro(seed: bigint): () => number {
  const sm = splitMix64(seed);
  const s = [sm() & MASK32, sm() & MASK32, sm() & MASK32, sm() & MASK32] as [bigint, bigint, bigint, bigint];
  return () => {
    const result = (rotl32((s[1] * 5n) & MASK32, 7n) * 9n) & MASK32;
    const t = (s[1] << 9n) & MASK32;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl32(s[3], 11n);
    return Number(result);
  };
}

function draws(g: Generator, n: number, f: (g: Generator) => number): number[] {
  return Array.from({ length: n }, () => f(g));
}

describe('reference implementation', () => {
  it('SplitMix64 from seed 0 matches the published first outputs', () => {
    // Vigna's splitmix64.c seeded with 0 (also java.util.SplittableRandom's mix64 of γ).
    const sm = splitMix64(0n);
    expect(sm()).toBe(0xe220a8397b1dcdafn);
    expect(sm()).toBe(0x6e789e6aa1b965f4n);
    expect(sm()).toBe(0x06c45d188009454fn);
  });
});

describe('Generator: xoshiro128** stream', () => {
  it('seed 0: the first nextUint32 values equal the reference', () => {
    const g = new Generator(0);
    const ref = referenceXoshiro(0n);
    const expected = Array.from({ length: 16 }, () => ref());
    expect(draws(g, 16, (x) => x.nextUint32())).toEqual(expected);
    // Pinned as literals too (printed once from the reference), so the two cannot drift together.
    expect(expected.slice(0, 4)).toEqual([0xcb75f2b4, 0x49564572, 0x176fe55d, 0xa6810796]);
  });

  it.each([1, 42, -1, 2 ** 53 - 1, -(2 ** 53 - 1)])(
    'seed %d follows the reference for 1000 draws',
    (seed) => {
      const g = new Generator(seed);
      const ref = referenceXoshiro(BigInt(seed));
      const got = draws(g, 1000, (x) => x.nextUint32());
      expect(got).toEqual(Array.from({ length: 1000 }, () => ref()));
    },
  );

  it('bigint seeds are taken modulo 2^64', () => {
    const a = new Generator(2n ** 64n + 7n);
    const b = new Generator(7n);
    expect(draws(a, 8, (g) => g.nextUint32())).toEqual(draws(b, 8, (g) => g.nextUint32()));
    const c = new Generator(-1n);
    const ref = referenceXoshiro(MASK64);
    expect(draws(c, 8, (g) => g.nextUint32())).toEqual(Array.from({ length: 8 }, () => ref()));
  });

  it('values are unsigned 32-bit integers', () => {
    const g = new Generator(3);
    let bad = 0;
    for (let i = 0; i < 1000; i++) {
      const v = g.nextUint32();
      if (!(Number.isInteger(v) && v >= 0 && v < 2 ** 32)) bad++;
    }
    expect(bad).toBe(0);
  });
});

describe('Generator: determinism', () => {
  it('the same seed gives identical streams of every kind', () => {
    const a = new Generator(123);
    const b = new Generator(123);
    expect(draws(a, 50, (g) => g.nextUint32())).toEqual(draws(b, 50, (g) => g.nextUint32()));
    expect(draws(a, 50, (g) => g.uniform24())).toEqual(draws(b, 50, (g) => g.uniform24()));
    expect(draws(a, 50, (g) => g.uniform53())).toEqual(draws(b, 50, (g) => g.uniform53()));
    expect(draws(a, 51, (g) => g.normal())).toEqual(draws(b, 51, (g) => g.normal()));
    expect(draws(a, 50, (g) => g.below(7))).toEqual(draws(b, 50, (g) => g.below(7)));
  });

  it('different seeds give different streams, also for neighbouring seeds', () => {
    const streams = [0, 1, 2, 3].map((s) => draws(new Generator(s), 8, (g) => g.nextUint32()));
    for (let i = 0; i < streams.length; i++) {
      for (let j = i + 1; j < streams.length; j++) {
        const same = streams[i]!.filter((v, k) => v === streams[j]![k]).length;
        expect(same).toBe(0);
      }
    }
  });

  it('manualSeed on a generator restarts its stream and drops the spare normal', () => {
    const g = new Generator(9);
    const first = draws(g, 5, (x) => x.normal());
    g.manualSeed(9);
    expect(draws(g, 5, (x) => x.normal())).toEqual(first);
  });

  it('getState/setState resumes the exact stream, including a pending spare normal', () => {
    const g = new Generator(2024);
    g.nextUint32();
    const firstNormal = g.normal(); // leaves the second polar sample pending
    const state = g.getState();
    expect(state).toHaveLength(5);
    expect(Number.isNaN(state[4]!)).toBe(false); // the spare is part of the state
    const continuation = draws(g, 7, (x) => x.normal()).concat(draws(g, 5, (x) => x.nextUint32()));

    // Restore into a fresh generator with a different seed.
    const h = new Generator(1).setState(state);
    expect(draws(h, 7, (x) => x.normal()).concat(draws(h, 5, (x) => x.nextUint32()))).toEqual(continuation);
    expect(firstNormal).not.toBe(continuation[0]);

    // The spare is served first: its value is the one stored in the state.
    const k = new Generator(5).setState(state);
    expect(k.normal()).toBe(state[4]);
  });

  it('getState without a spare stores NaN and restores without one', () => {
    const g = new Generator(77);
    g.normal();
    g.normal(); // consumes the spare
    const state = g.getState();
    expect(Number.isNaN(state[4]!)).toBe(true);
    const after = draws(g, 6, (x) => x.normal());
    expect(draws(new Generator(0).setState(state), 6, (x) => x.normal())).toEqual(after);
  });

  it('the state is a plain copy: later draws do not change a saved state', () => {
    const g = new Generator(11);
    const state = g.getState();
    const copy = state.slice();
    draws(g, 10, (x) => x.nextUint32());
    expect(state).toEqual(copy);
  });

  it('setState rejects malformed states with a message naming the expected form', () => {
    const g = new Generator(0);
    expect(() => g.setState([1, 2, 3])).toThrow(
      'Generator.setState: expected the 5-number array returned by getState()',
    );
    expect(() => g.setState([1, 2, 3, -1, Number.NaN])).toThrow(/getState\(\)/);
    expect(() => g.setState([1, 2, 3, 2 ** 32, Number.NaN])).toThrow(/getState\(\)/);
    expect(() => g.setState([1.5, 2, 3, 4, Number.NaN])).toThrow(/getState\(\)/);
  });

  it('manualSeed makes randn reproducible, and seeds the default generator', () => {
    const g = manualSeed(31);
    expect(getDefaultGenerator()).toBe(g);
    const a = Array.from(randn([64]).data());
    manualSeed(31);
    const b = Array.from(randn([64]).data());
    expect(b).toEqual(a);
    manualSeed(32);
    const c = Array.from(randn([64]).data());
    expect(c).not.toEqual(a);
    // An explicit generator with the same seed gives the same numbers as the default one.
    expect(Array.from(randn([64], { generator: new Generator(31) }).data())).toEqual(a);
  });

  it('manualSeed makes rand and randint reproducible too', () => {
    manualSeed(5);
    const a = [Array.from(rand([10]).data()), Array.from(randint(0, 100, [10]).data())];
    manualSeed(5);
    const b = [Array.from(rand([10]).data()), Array.from(randint(0, 100, [10]).data())];
    expect(b).toEqual(a);
  });
});

describe('Generator: distributions', () => {
  it('randn: mean and std of 100k samples are within 0.01 of 0 and 1', () => {
    const x = randn([100_000], { generator: new Generator(1234) }).data();
    let s = 0;
    for (const v of x) s += v;
    const mean = s / x.length;
    let ss = 0;
    for (const v of x) ss += (v - mean) ** 2;
    const std = Math.sqrt(ss / (x.length - 1));
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(std - 1)).toBeLessThan(0.01);
    // Tails: about 0.27% beyond 3σ.
    let beyond3 = 0;
    for (const v of x) if (Math.abs(v) > 3) beyond3++;
    expect(beyond3 / x.length).toBeGreaterThan(0.0017);
    expect(beyond3 / x.length).toBeLessThan(0.0037);
  });

  it('normal() in float64: the polar method gives mean 0, variance 1 and no infinities', () => {
    const g = new Generator(99);
    let s = 0;
    let ss = 0;
    const n = 100_000;
    let nonFinite = 0;
    for (let i = 0; i < n; i++) {
      const v = g.normal();
      if (!Number.isFinite(v)) nonFinite++;
      s += v;
      ss += v * v;
    }
    expect(nonFinite).toBe(0);
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.abs(ss / n - 1)).toBeLessThan(0.02);
  });

  it('rand: values in [0, 1), exactly representable in float32, mean ≈ 0.5, variance ≈ 1/12', () => {
    const x = rand([100_000], { generator: new Generator(4321) }).data();
    let s = 0;
    let ss = 0;
    let outside = 0;
    for (const v of x) {
      if (!(v >= 0 && v < 1)) outside++;
      s += v;
      ss += v * v;
    }
    expect(outside).toBe(0);
    const mean = s / x.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(ss / x.length - mean * mean - 1 / 12)).toBeLessThan(0.003);
    // uniform24: multiples of 2^-24
    for (let i = 0; i < 100; i++) expect(Number.isInteger(x[i]! * 2 ** 24)).toBe(true);
  });

  it('uniform53 values are in [0, 1) and multiples of 2^-53', () => {
    const g = new Generator(8);
    for (let i = 0; i < 1000; i++) {
      const v = g.uniform53();
      expect(v >= 0 && v < 1).toBe(true);
      expect(Number.isInteger(v * 2 ** 53)).toBe(true);
    }
  });

  it('randint: values within [low, high), each value about equally often (chi-square)', () => {
    const low = -3;
    const high = 7;
    const k = high - low;
    const n = 100_000;
    const t = randint(low, high, [n], { generator: new Generator(555) });
    expect(t.dtype).toBe('int32');
    const counts = new Array<number>(k).fill(0);
    let outside = 0;
    for (const v of t.data()) {
      if (v >= low && v < high) counts[v - low]!++;
      else outside++;
    }
    expect(outside).toBe(0);
    const expected = n / k;
    const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: mean 9, P(chi2 > 30) ≈ 4e-4.
    expect(chi2).toBeLessThan(30);
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });

  it('randint with a range that is not a power of two is unbiased (Lemire rejection)', () => {
    // n = 3·2^29: a biased "x mod n" would give values below 2^30 twice the weight of those above.
    const g = new Generator(17);
    const n = 3 * 2 ** 29;
    let below = 0;
    const draws = 60_000;
    let outside = 0;
    for (let i = 0; i < draws; i++) {
      const v = g.below(n);
      if (!(Number.isInteger(v) && v >= 0 && v < n)) outside++;
      if (v < 2 ** 30) below++;
    }
    expect(outside).toBe(0);
    expect(Math.abs(below / draws - 2 / 3)).toBeLessThan(0.01);
  });

  it('randint over the full int32 range stays in bounds', () => {
    const t = randint(-(2 ** 31), 2 ** 31, [10_000], { generator: new Generator(3) });
    let s = 0;
    let negatives = 0;
    for (const v of t.data()) {
      s += v;
      if (v < 0) negatives++;
    }
    expect(Math.abs(s / t.size) / 2 ** 31).toBeLessThan(0.05);
    expect(Math.abs(negatives / t.size - 0.5)).toBeLessThan(0.03);
  });

  it('below(1) is always 0 and below(2^32) returns the raw draw', () => {
    const g = new Generator(4);
    for (let i = 0; i < 100; i++) expect(g.below(1)).toBe(0);
    const a = new Generator(6);
    const b = new Generator(6);
    for (let i = 0; i < 100; i++) expect(a.below(2 ** 32)).toBe(b.nextUint32());
  });
});

describe('deterministicLog', () => {
  function relErr(x: number): number {
    const exact = Math.log(x);
    const got = deterministicLog(x);
    if (exact === 0) return Math.abs(got);
    return Math.abs(got - exact) / Math.abs(exact);
  }

  function sampleValues(): number[] {
    const g = new Generator(2718);
    const xs: number[] = [];
    // Random mantissas across every binary exponent of the normal range.
    for (let e = -1022; e <= 1023; e++) {
      for (let i = 0; i < 4; i++) xs.push((1 + g.uniform53()) * 2 ** e);
    }
    // Subnormals, from the smallest up.
    for (let i = 0; i < 2000; i++) xs.push(g.uniform53() * 2 ** -1022 || Number.MIN_VALUE);
    xs.push(Number.MIN_VALUE, 2 * Number.MIN_VALUE, 2 ** -1050, 2 ** -1022 - Number.MIN_VALUE);
    // Powers of two, 1 and its neighbours, √2 and its neighbours (the mantissa fold), and the top.
    for (let e = -1074; e <= 1023; e++) xs.push(2 ** e);
    xs.push(
      1,
      1 + Number.EPSILON,
      1 - Number.EPSILON / 2,
      1 + 1e-10,
      1 - 1e-10,
      Math.SQRT2,
      Math.SQRT1_2,
      Number.MAX_VALUE,
    );
    xs.push(
      Math.SQRT2 * (1 + Number.EPSILON),
      Math.SQRT2 * (1 - Number.EPSILON),
      0.5,
      1.5,
      2.5,
      10,
      Math.E,
      1e-300,
      1e300,
    );
    // Typical polar-method arguments: s in (0, 1).
    for (let i = 0; i < 10_000; i++) xs.push(g.uniform53() || 0.5);
    return xs;
  }

  it('agrees with Math.log within 1e-15 relative, including subnormals, 1 and powers of two', () => {
    const xs = sampleValues();
    let worst = 0;
    let worstX = 0;
    for (const x of xs) {
      const r = relErr(x);
      if (!(r <= worst)) {
        worst = r;
        worstX = x;
      }
    }
    expect(worst, `worst relative error at x = ${worstX}`).toBeLessThanOrEqual(1e-15);
  });

  it('log(1) is exactly 0 and log(2^k) is k·ln 2 to within one rounding', () => {
    expect(deterministicLog(1)).toBe(0);
    for (const k of [-1074, -1000, -1, 1, 10, 1023]) {
      expect(Math.abs(deterministicLog(2 ** k) - k * Math.LN2)).toBeLessThanOrEqual(
        Math.abs(k) * Math.LN2 * 2 ** -52,
      );
    }
  });

  it('special values: 0 → −∞, negative and NaN → NaN, ∞ → ∞', () => {
    expect(deterministicLog(0)).toBe(-Infinity);
    expect(deterministicLog(-0)).toBe(-Infinity);
    expect(deterministicLog(-1)).toBeNaN();
    expect(deterministicLog(Number.NaN)).toBeNaN();
    expect(deterministicLog(Infinity)).toBe(Infinity);
  });

  it('is bit-identical across two runs', () => {
    const xs = sampleValues();
    const a = Float64Array.from(xs, deterministicLog);
    const b = Float64Array.from(xs, deterministicLog);
    const ua = new Uint32Array(a.buffer);
    const ub = new Uint32Array(b.buffer);
    let differing = 0;
    for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) differing++;
    expect(differing).toBe(0);
    expect(ua.length).toBe(2 * xs.length);
  });
});

describe('errors', () => {
  it('manualSeed(1.5) names the requirement', () => {
    expect(() => manualSeed(1.5)).toThrow(
      'manualSeed: a seed is an integer (a safe integer number, e.g. 42) or a bigint, got 1.5',
    );
    expect(() => new Generator(2 ** 60)).toThrow(/safe integer/);
    expect(() => manualSeed(Number.NaN)).toThrow(/got NaN/);
  });

  it('randint(5, 5, [2]) explains that low must be below high', () => {
    expect(() => randint(5, 5, [2])).toThrow(
      'randint: low and high must be integers with low < high, got (5, 5)',
    );
    expect(() => randint(0, 2.5, [2])).toThrow(/integers/);
  });

  it('rand and randn refuse int32', () => {
    expect(() => rand([2], { dtype: 'int32' })).toThrow(
      'rand: dtype must be float32 or float64; use randint for integers',
    );
    expect(() => randn([2], { dtype: 'int32' })).toThrow(/randn: .*randint/);
  });
});
