/**
 * The largest counts the CLI accepts (README, "Limits"). Each is far beyond any useful run and well below
 * what would hang the process or exhaust memory before a useful error: a typo such as `--steps 100000000`
 * is refused at once instead of running for hours. The memory a model needs is checked separately, from
 * an estimate, before anything is allocated.
 */
export const LIMITS = {
  /** Training epochs (and the early-stopping patience). */
  epochs: 100_000,
  /** Samples per batch: beyond a million, one batch of MNIST-sized samples alone exceeds 3 GB. */
  batchSize: 1_000_000,
  /** Linear warmup steps. */
  warmup: 10_000_000,
  /** Hidden layers of the mlp (`--hidden` entries). */
  hiddenLayers: 1_000,
  /** Width of one hidden layer: a 784 × 1,000,000 float32 weight alone is 3.1 GB. */
  hiddenWidth: 1_000_000,
  /** resnet/plain depth: He et al.'s deepest CIFAR network has 1202 layers. */
  depth: 1_202,
  /** resnet/plain base width (the last stage has 4× as many channels). */
  width: 4_096,
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
