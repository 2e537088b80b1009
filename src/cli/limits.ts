/**
 * The largest counts the CLI accepts (README, "Limits"): a run configuration's (run/limits.ts) and the commands' own. Each is far beyond any useful run and well below
 * what would hang the process or exhaust memory before a useful error: a typo such as `--steps 100000000`
 * is refused at once instead of running for hours. The memory a model needs is checked separately, from
 * an estimate, before anything is allocated.
 */
import { RUN_LIMITS } from '../run/limits.js';

export const LIMITS = {
  /** A run configuration's caps: epochs, batch size, warmup, layer sizes, depth, width. */
  ...RUN_LIMITS,
  /** Optimizer steps of `descent surface`: a step takes about 0.1 ms and every point is printed. */
  surfaceSteps: 100_000,
  /** Steps of the learning-rate range test (`lr-find --steps`). */
  lrFindSteps: 100_000,
  /** `experiment init`: hidden layers, layer width and batch size (its default is 10 × 100 on 1,000). */
  experimentLayers: 100,
  experimentWidth: 4_096,
  experimentBatch: 10_000,
  /**
   * `experiment init`: layers × width × batch, the activations it keeps (10⁸ floats: 400 MB, about a
   * minute of work); 10,000 × 4,096 × 100 would take hours before running out of memory.
   */
  experimentActivations: 100_000_000,
  /** `lr-find --start-lr`/`--end-lr`: beyond these, the sweep's geometric steps overflow. */
  lrFindMinLr: 1e-12,
  lrFindMaxLr: 1e6,
} as const;
