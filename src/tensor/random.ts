/**
 * Seeded random numbers, bit-identical on every JavaScript engine.
 *
 * The bit generator is xoshiro128** (Blackman & Vigna 2018, "Scrambled linear pseudorandom number
 * generators"): 128 bits of state, period 2^128 − 1, only 32-bit integer operations (`Math.imul`,
 * shifts, xor), so every engine produces the same stream. The state is seeded from the user's seed
 * with SplitMix64 (Steele, Lea & Flood 2014), which turns nearby seeds into unrelated states.
 *
 * Derived distributions use only IEEE-754 operations that are exactly specified (+, −, ×, ÷, sqrt)
 * and our own logarithm below, never `Math.log`/`Math.cos`, whose last bits differ between engines.
 * - uniform float32 in [0, 1): the top 24 bits of one draw times 2^-24 (every value exactly representable);
 * - normal: Marsaglia's polar method (1964) in float64 on 53-bit uniforms, then rounded to float32;
 * - integers in [low, high): Lemire's nearly-divisionless rejection (2019), unbiased.
 *
 * Divergence from PyTorch: PyTorch's CPU generator is a Mersenne Twister with its own transforms, so
 * the same seed gives different numbers here; seeding is reproducible within descent, not across libraries.
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  constructor(seed: number | bigint = 0) {
    this.manualSeed(seed);
  }

  /** Re-seeds the generator; `seed` is any safe integer (negative values allowed) or a bigint. */
  manualSeed(seed: number | bigint): this {
    // Checked here, not left to BigInt(seed), which parses strings ('12' would pass) or throws a
    // SyntaxError that says nothing of seeds.
    if (!(typeof seed === 'bigint' || (typeof seed === 'number' && Number.isSafeInteger(seed)))) {
      const given = typeof seed === 'string' ? `the string ${JSON.stringify(seed)}` : String(seed);
      throw new TypeError(
        `manualSeed: a seed is an integer (a safe integer number, e.g. 42) or a bigint, got ${given}`,
      );
    }
    let x = BigInt.asUintN(64, BigInt(seed));
    const next = (): number => {
      x = BigInt.asUintN(64, x + 0x9e3779b97f4a7c15n);
      let z = x;
      z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
      z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
      z ^= z >> 31n;
      return Number(z & 0xffffffffn);
    };
    this.s0 = next() | 0;
    this.s1 = next() | 0;
    this.s2 = next() | 0;
    this.s3 = next() | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spareNormal = null;
    return this;
  }

  /** The full state, for checkpoints: restoring it with `setState` continues the exact stream. */
  getState(): number[] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0, this.spareNormal ?? Number.NaN];
  }

  setState(state: readonly number[]): this {
    if (state.length !== 5 || !state.slice(0, 4).every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)) {
      throw new TypeError('Generator.setState: expected the 5-number array returned by getState()');
    }
    [this.s0, this.s1, this.s2, this.s3] = state.map((v) => v | 0) as [number, number, number, number];
    this.spareNormal = Number.isNaN(state[4]!) ? null : state[4]!;
    return this;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform in [0, 1) with 24 random bits: exactly representable in float32. */
  uniform24(): number {
    return (this.nextUint32() >>> 8) * 2 ** -24;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform53(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) * 2 ** -53;
  }

  /** Standard normal N(0, 1) in float64 (Marsaglia's polar method). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    for (;;) {
      const u = 2 * this.uniform53() - 1;
      const v = 2 * this.uniform53() - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      const f = Math.sqrt((-2 * deterministicLog(s)) / s);
      this.spareNormal = v * f;
      return u * f;
    }
  }

  /** Unbiased integer in [0, n) for 1 ≤ n ≤ 2^32 (Lemire 2019, "Fast random integer generation in an interval"). */
  below(n: number): number {
    const threshold = (2 ** 32 - n) % n;
    for (;;) {
      const x = this.nextUint32();
      let high: number;
      let low: number;
      if (n <= 2 ** 21) {
        const m = x * n; // < 2^53: exact in float64
        high = Math.floor(m / 2 ** 32);
        low = m - high * 2 ** 32;
      } else {
        const m = BigInt(x) * BigInt(n);
        high = Number(m >> 32n);
        low = Number(m & 0xffffffffn);
      }
      if (low >= threshold) return high;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const bits = new DataView(new ArrayBuffer(8));

/**
 * Natural logarithm from exactly rounded operations only, so that it gives the same bits on every
 * engine: x = m·2^e with m in [√½, √2), then log m = 2·atanh(s), s = (m − 1)/(m + 1), |s| < 0.172,
 * summed as an odd power series to below float64 precision (about 1e-16 relative).
 */
export function deterministicLog(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : Number.NaN;
  if (x === Infinity) return Infinity;
  bits.setFloat64(0, x, true);
  let hi = bits.getUint32(4, true);
  let e = ((hi >>> 20) & 0x7ff) - 1023;
  if (e === -1023) {
    // Subnormal: scale into the normal range first.
    bits.setFloat64(0, x * 2 ** 54, true);
    hi = bits.getUint32(4, true);
    e = ((hi >>> 20) & 0x7ff) - 1023 - 54;
  }
  bits.setUint32(4, (hi & 0x000fffff) | 0x3ff00000, true);
  let m = bits.getFloat64(0, true);
  if (m > Math.SQRT2) {
    m /= 2;
    e += 1;
  }
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let term = s;
  let sum = 0;
  for (let k = 1; k < 60; k += 2) {
    const add = term / k;
    sum += add;
    if (Math.abs(add) < 1e-18) break;
    term *= s2;
  }
  return 2 * sum + e * Math.LN2;
}

let defaultGenerator = new Generator(0);

/** Seeds the default generator used by `rand`, `randn`, `randint`, initializers and dropout. */
export function manualSeed(seed: number | bigint): Generator {
  defaultGenerator = new Generator(seed);
  return defaultGenerator;
}

export function getDefaultGenerator(): Generator {
  return defaultGenerator;
}
