/**
 * Seeded permutations of sample indices, shared by the splits and the DataLoader.
 *
 * A permutation is a Fisher–Yates shuffle (Durstenfeld 1964, "Algorithm 235: Random permutation")
 * drawing `generator.below(i + 1)` for i = n − 1 down to 1, so it is bit-identical on every engine.
 */
import { Generator } from '../tensor/random.js';

/** 0 … n − 1 in an order drawn from `generator` (advanced by n − 1 draws). */
export function shuffledIndices(n: number, generator: Generator): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  shuffleInPlace(out, generator);
  return out;
}

/** Shuffles `values` in place with `generator` (Fisher–Yates). */
export function shuffleInPlace(values: Int32Array, generator: Generator): Int32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const j = generator.below(i + 1);
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
  return values;
}

/**
 * The generator for epoch `epoch` of a loader seeded with `seed`: a fresh `Generator` whose seed mixes
 * both (seed × 0x9E3779B97F4A7C15 + epoch, modulo 2^64, then SplitMix64 inside `Generator`), so the
 * order of an epoch depends only on (seed, epoch), never on what ran before.
 */
export function epochGenerator(seed: number | bigint, epoch: number): Generator {
  if (!Number.isSafeInteger(epoch) || epoch < 0) {
    throw new RangeError(`epochGenerator: epoch must be a non-negative integer, got ${epoch}`);
  }
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
    throw new TypeError(`epochGenerator: seed must be a safe integer or a bigint, got ${seed}`);
  }
  const mixed = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n + BigInt(epoch));
  return new Generator(mixed);
}

/** The sample order of epoch `epoch` for a shuffling loader with seed `seed` over `n` samples. */
export function epochPermutation(n: number, seed: number | bigint, epoch: number): Int32Array {
  return shuffledIndices(n, epochGenerator(seed, epoch));
}
