/**
 * The training runs that the WebGPU training tests compare with the WebAssembly backend's: the
 * course's network (784-100-100-100-10, batch norm, sigmoid, Adam) for some steps and LeNet-5 for a
 * few, on the first MNIST training digits, unshuffled, from one seed. The same code runs in Node
 * (test/backend/webgpu/training.test.ts) and in Chromium (test/browser_webgpu/page.ts): it takes the
 * library as an argument (`lib`, the module namespace of src/index.ts or of the browser bundle) and
 * the digits as arrays, so it imports nothing that only one of them has.
 *
 * The tolerance (`lossTolerance`) is derived from what the two backends declare, not tuned to what
 * SwiftShader happens to give: see its comment.
 */
import type * as Descent from '../../../src/index.js';
import type { Backend, Precision } from '../../../src/index.js';

/** The library's namespace: src/index.ts in Node, the bundle in the browser. */
export type Lib = typeof Descent;

export interface TrainingCase {
  readonly name: 'course' | 'lenet5';
  readonly title: string;
  /** Digits trained on (the first ones of loadMnist().train), unshuffled. */
  readonly samples: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly lr: number;
  readonly seed: number;
  /**
   * The longest float32 dot product of a forward pass (the fan-in of the widest product): 784 for the
   * MLP's first layer, 400 for LeNet-5's first Linear (its convolutions sum 25 and 150 taps).
   */
  readonly fanIn: number;
  /** Products in sequence from input to loss (Linear and Conv2d layers). */
  readonly depth: number;
}

/**
 * Sizes kept small for SwiftShader (a CPU running the GPU's shaders, where a step of LeNet-5 costs
 * seconds and the first step of a network compiles its pipelines).
 */
export const TRAINING_CASES: readonly TrainingCase[] = [
  {
    name: 'course',
    title: "the course's network (784-100-100-100-10, batch norm, sigmoid, Adam)",
    samples: 64,
    batchSize: 16,
    epochs: 2, // 8 steps, the second epoch over the same batches: the loss falls from ~2.25 to ~1.85
    lr: 1e-3,
    seed: 0,
    fanIn: 784,
    depth: 4,
  },
  {
    name: 'lenet5',
    title: 'LeNet-5 (conv 6, max-pool, conv 16, max-pool, 120, 84, 10, ReLU, Adam)',
    samples: 24,
    batchSize: 8,
    epochs: 1, // 3 steps
    lr: 1e-3,
    seed: 0,
    fanIn: 400,
    depth: 5,
  },
];

/** `samples` MNIST digits: features [samples × 784] in [0, 1] and class labels. */
export interface Digits {
  readonly features: Float32Array;
  readonly labels: Int32Array;
}

export interface TrainingRun {
  readonly backend: string;
  /** `history.stepLosses`: the mean loss of every step, in order. */
  readonly losses: number[];
  readonly seconds: number;
}

function buildModel(lib: Lib, c: TrainingCase): { model: Descent.Module; shape: number[] } {
  if (c.name === 'course') {
    const sizes = [784, 100, 100, 100, 10];
    return { model: lib.mlp({ sizes, activation: 'sigmoid', batchNorm: true }), shape: [784] };
  }
  return { model: lib.lenet5(), shape: [1, 28, 28] };
}

/**
 * Trains case `c` on `backend` with fitAsync and returns its step losses. The backend is the
 * default while the model is built and trained (initialization draws from the seeded generator on
 * the host, so both backends start from the same weights), and the previous default comes back after.
 */
export async function trainCase(
  lib: Lib,
  backend: Backend,
  c: TrainingCase,
  digits: Digits,
): Promise<TrainingRun> {
  if (digits.labels.length < c.samples)
    throw new RangeError(`trainCase: ${c.name} needs ${c.samples} digits`);
  const previous = lib.setBackend(backend);
  const started = performance.now();
  try {
    lib.manualSeed(c.seed);
    const { model, shape } = buildModel(lib, c);
    const x = lib.tensor(digits.features.slice(0, c.samples * 784), { shape: [c.samples, ...shape] });
    const y = lib.tensor(digits.labels.slice(0, c.samples), { shape: [c.samples] });
    const history = await lib.fitAsync(
      model,
      { x, y },
      {
        optimizer: new lib.Adam(model.parameters(), { lr: c.lr }),
        loss: 'crossEntropy',
        epochs: c.epochs,
        batchSize: c.batchSize,
        shuffle: false,
        metrics: [],
        divergenceGuard: false,
        plateauDetector: false,
      },
    );
    return {
      backend: backend.name,
      losses: history.stepLosses,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    lib.setBackend(previous);
  }
}

/** The unit roundoff of float32 (2⁻²⁴): half the gap between 1 and the next float32. */
const U = 2 ** -24;

/**
 * How far the two backends' losses may be apart at step `step` (0-based), relative to the loss: both
 * store float32 and sum products in float32 in their own orders (each declares `accumulation`, the
 * weight of a term's magnitude in the error it adds), so they differ by rounding alone, and rounding
 * differences then feed back through the updates.
 *
 * - One forward pass: a float32 dot product of k terms differs from the exact one by at most
 *   γ_k·Σ|aᵢbᵢ|, γ_k = k·u/(1 − k·u) in the worst case (Higham, Accuracy and Stability of Numerical
 *   Algorithms, 2nd ed., §3.1), and by at most about λ·√k·u with probability at least
 *   1 − 2k·e^(−λ²/2) when the rounding errors are independent and mean-free (Higham & Mary 2019, "A New
 *   Approach to Probabilistic Rounding Error Analysis", SIAM J. Sci. Comput. 41(5), Theorem 2.4). We
 *   take λ = 8 (failure below 2e-11 per sum at k = 784) with the per-term error each backend declares
 *   (`accumulation`, at least 2u), times √k for the widest product and times the depth (each layer's
 *   relative error adds; sigmoid, ReLU, batch norm and softmax do not grow it by more than a small
 *   constant), and add the backends' declared relative tolerances (softmax, cross-entropy, the
 *   transcendental functions): ε₀ = 8·depth·√fanIn·(acc₁ + acc₂) + rtol₁ + rtol₂ for the first loss.
 * - Over steps: step t's weights carry the rounding of t updates; Adam divides each gradient by its
 *   running magnitude, so a gradient's relative error moves a weight by that fraction of lr at most,
 *   and the loss moves linearly in the weights' error while that error is small. The bound grows by ε₀
 *   per step: (t + 1)·ε₀.
 *
 * Measured for scale: the WebAssembly and reference backends (float32 and float64 sums) agree on these
 * runs to 1 ulp of the loss (7e-8) over all steps; the bound allows the GPU's other summation orders
 * and its float32 transcendental functions.
 * For the course's network (depth 4, k = 784, acc = 2⁻²³ each) ε₀ ≈ 2.1e-4 plus the rtols: step 0
 * within about 2.2e-4, step 7 within 1.7e-3, relative. A wrong kernel (a missing bias, a transposed product, a batch-norm
 * statistic off by a factor) moves the first loss by percents, far outside.
 */
export function lossTolerance(c: TrainingCase, precisions: readonly Precision[], step: number): number {
  const perTerm = precisions.reduce((sum, p) => sum + Math.max(p.accumulation, 2 * U), 0);
  const relative = precisions.reduce((sum, p) => sum + p.rtol, 0);
  const first = 8 * c.depth * Math.sqrt(c.fanIn) * perTerm + relative;
  return (step + 1) * first;
}

/** The steps whose losses differ by more than `lossTolerance`, as readable lines (empty: all agree). */
export function lossMismatches(
  c: TrainingCase,
  precisions: readonly Precision[],
  actual: readonly number[],
  expected: readonly number[],
): string[] {
  const lines: string[] = [];
  if (actual.length !== expected.length)
    lines.push(`${c.name}: ${actual.length} step losses, expected ${expected.length}`);
  expected.forEach((want, t) => {
    const got = actual[t] ?? Number.NaN;
    const bound = lossTolerance(c, precisions, t) * Math.abs(want);
    if (!(Math.abs(got - want) <= bound))
      lines.push(
        `${c.name} step ${t}: ${got} vs ${want} (|Δ| ${Math.abs(got - want).toExponential(2)} > ${bound.toExponential(2)})`,
      );
  });
  return lines;
}

/** The largest relative difference between two loss curves (for the report line). */
export function maxRelativeDifference(actual: readonly number[], expected: readonly number[]): number {
  return expected.reduce(
    (m, want, t) => Math.max(m, Math.abs((actual[t] ?? Number.NaN) - want) / Math.abs(want)),
    0,
  );
}
