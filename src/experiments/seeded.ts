/**
 * Runs an experiment's body with the default random generator seeded, then puts the generator back as
 * it was: the body is reproducible from `seed` alone (default initializations, dropout, shuffling),
 * and the caller's random stream is untouched (the experiment stays a pure function). Everything the
 * body allocates is released when it returns, except what its result holds.
 */
import { getDefaultGenerator } from '../tensor/random.js';
import { scope } from '../tensor/storage.js';

export function seeded<T>(seed: number, body: () => T): T {
  const generator = getDefaultGenerator();
  const saved = generator.getState();
  generator.manualSeed(seed);
  try {
    return scope(body);
  } finally {
    generator.setState(saved);
  }
}
