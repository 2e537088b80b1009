/**
 * The largest values a run configuration accepts (README, "Limits"). Each is far beyond any useful run
 * and well below what would hang the process or exhaust memory before a useful error: a typo such as
 * `epochs: 100000000` is refused at once instead of running for hours. The CLI's own caps (steps of
 * `surface`, `lr-find`, `experiment`) extend these in `cli/limits.ts`.
 */
export const RUN_LIMITS = {
  /** Training epochs (and the early-stopping patience). */
  epochs: 100_000,
  /** Samples per batch: beyond a million, one batch of MNIST-sized samples alone exceeds 3 GB. */
  batchSize: 1_000_000,
  /** Training samples kept (`trainSize`): beyond any data set a run can load. */
  trainSize: 100_000_000,
  /** Linear warmup steps. */
  warmup: 10_000_000,
  /** Hidden layers of the mlp (`hidden` entries). */
  hiddenLayers: 1_000,
  /** Width of one hidden layer: a 784 × 1,000,000 float32 weight alone is 3.1 GB. */
  hiddenWidth: 1_000_000,
  /** resnet/plain depth: He et al.'s deepest CIFAR network has 1202 layers. */
  depth: 1_202,
  /** resnet/plain base width (the last stage has 4× as many channels). */
  width: 4_096,
} as const;
