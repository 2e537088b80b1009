import { add, mul, rsqrt, sub } from '../ops/elementwise.js';
import { batchNormTrain, type RunningStats } from '../ops/normalization.js';
import { reshape } from '../ops/shape_ops.js';
import { ones, zeros } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { nonNegativeNumber, positiveInt, requireNdim, requireSize } from './checks.js';
import { Module } from './module.js';

export interface BatchNormOptions {
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
  /**
   * Weight of the new batch in the running statistics (default 0.1); null for a cumulative moving
   * average (each batch weighted 1/numBatchesTracked).
   */
  momentum?: number | null;
  /** Learn a per-channel scale γ (`weight`, init 1) and shift β (`bias`, init 0) (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true); if false, batch statistics are always used. */
  trackRunningStats?: boolean;
}

/**
 * Batch normalization over the channel dimension 1 (Ioffe & Szegedy 2015, "Batch Normalization:
 * Accelerating Deep Network Training by Reducing Internal Covariate Shift", arXiv:1502.03167), with
 * exactly PyTorch's semantics. Statistics are taken per channel c over every other dimension
 * (batch and spatial), n values each:
 *
 *   training:   μ = mean(x), σ²_B = Σ(x − μ)²/n (biased), y = (x − μ)/√(σ²_B + eps) · γ + β,
 *               and, with trackRunningStats, numBatchesTracked += 1 and
 *               running_mean ← (1 − m)·running_mean + m·μ,
 *               running_var  ← (1 − m)·running_var  + m·σ²_B·n/(n − 1) (the unbiased estimate),
 *               with m = momentum, or 1/numBatchesTracked when momentum is null;
 *   evaluation: y = (x − running_mean)/√(running_var + eps) · γ + β.
 *
 * Without running statistics (`trackRunningStats: false`) batch statistics are used in evaluation too.
 * Buffers, as in PyTorch's state dict: `running_mean` (init 0), `running_var` (init 1),
 * `num_batches_tracked` (a 0-d counter). Gradients flow through μ and σ²_B.
 *
 * Divergence from PyTorch: `num_batches_tracked` is int32 (PyTorch's is int64; checkpoints convert).
 */
export abstract class BatchNorm extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  /** γ, [numFeatures], or null without `affine`. */
  readonly weight: Tensor | null;
  /** β, [numFeatures], or null without `affine`. */
  readonly bias: Tensor | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  /** The number of training batches seen (int32, 0-d). */
  readonly numBatchesTracked: Tensor | null;

  protected abstract readonly layerName: string;

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super();
    checkOptions(new.target.name, options, {
      eps: true,
      momentum: true,
      affine: true,
      trackRunningStats: true,
    });
    const op = new.target.name;
    this.numFeatures = positiveInt(op, 'numFeatures', numFeatures);
    this.eps = nonNegativeNumber(op, 'eps', options.eps ?? 1e-5);
    const momentum = options.momentum === undefined ? 0.1 : options.momentum;
    if (momentum !== null && (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1))) {
      throw new RangeError(
        `${op}: momentum must be a number in [0, 1] or null, got ${JSON.stringify(momentum)}`,
      );
    }
    this.momentum = momentum;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    this.weight = this.registerParameter('weight', this.affine ? ones([numFeatures]) : null);
    this.bias = this.registerParameter('bias', this.affine ? zeros([numFeatures]) : null);
    const track = this.trackRunningStats;
    this.runningMean = this.registerBuffer('running_mean', track ? zeros([numFeatures]) : null);
    this.runningVar = this.registerBuffer('running_var', track ? ones([numFeatures]) : null);
    this.numBatchesTracked = this.registerBuffer(
      'num_batches_tracked',
      track ? zeros([], { dtype: 'int32' }) : null,
    );
  }

  /** Checks the number of dimensions for BatchNorm1d / BatchNorm2d. */
  protected abstract checkInput(x: Tensor): void;

  /** Resets the running statistics to their initial values (PyTorch's `reset_running_stats`). */
  resetRunningStats(): void {
    this.runningMean?.assign(0);
    this.runningVar?.assign(1);
    this.numBatchesTracked?.assign(0);
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    requireSize(this.layerName, x, 1, this.numFeatures, 'numFeatures');
    if (this.training || this.runningMean === null) {
      const n = x.size / this.numFeatures;
      if (n <= 1) {
        throw new RangeError(
          `${this.layerName}: expected more than 1 value per channel when training, got input of shape ${formatShape(x.shape)} (use a batch of at least 2, or eval())`,
        );
      }
      // Batch statistics: one fused kernel each way (ops/normalization.ts), which also updates the
      // running averages.
      const running = this.training && this.runningMean !== null ? this.runningStats() : null;
      return batchNormTrain(x, this.weight, this.bias, this.eps, running).output;
    }
    const perChannel = x.shape.map((d, i) => (i === 1 ? d : 1));
    const rm = reshape(this.runningMean, perChannel);
    const rv = reshape(this.runningVar!, perChannel);
    const normalized = mul(sub(x, rm), rsqrt(add(rv, this.eps)));
    if (this.weight === null || this.bias === null) return normalized;
    return add(mul(normalized, reshape(this.weight, perChannel)), reshape(this.bias, perChannel));
  }

  /** Counts the batch and says how the kernel should update the running averages. */
  private runningStats(): RunningStats {
    const counter = this.numBatchesTracked!;
    const stats = { mean: this.runningMean!, variance: this.runningVar! };
    if (this.momentum !== null) {
      // Counted on the device, without a read, so that a captured step (src/capture/) replays it.
      counter.assign(add(counter, 1));
      return { ...stats, momentum: this.momentum };
    }
    // momentum null: the cumulative average, 1/(batches seen), needs the count on the host.
    const batches = counter.item() + 1;
    counter.assign(batches);
    return { ...stats, momentum: 1 / batches };
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/**
 * Batch normalization for [N, C] (after a Linear) or [N, C, L] inputs (torch.nn.BatchNorm1d); see
 * `BatchNorm` for the formulas. Defaults: eps 1e-5, momentum 0.1, affine true, trackRunningStats true.
 *
 * @example
 * const bn = new BatchNorm1d(100);
 * bn.call(randn([32, 100])); // normalized per feature; running statistics updated
 * bn.eval().call(randn([1, 100])); // uses the running statistics; a batch of one is fine here
 */
export class BatchNorm1d extends BatchNorm {
  protected readonly layerName = 'BatchNorm1d';
  protected checkInput(x: Tensor): void {
    requireNdim('BatchNorm1d', x, [2, 3], '(N, C) or (N, C, L)');
  }
}

/**
 * Batch normalization for [N, C, H, W] inputs (torch.nn.BatchNorm2d): statistics per channel over
 * N·H·W values; see `BatchNorm` for the formulas. Defaults: eps 1e-5, momentum 0.1, affine true,
 * trackRunningStats true.
 *
 * @example
 * const bn = new BatchNorm2d(16);
 * bn.call(randn([8, 16, 12, 12])).shape; // [8, 16, 12, 12]
 */
export class BatchNorm2d extends BatchNorm {
  protected readonly layerName = 'BatchNorm2d';
  protected checkInput(x: Tensor): void {
    requireNdim('BatchNorm2d', x, [4], '(N, C, H, W)');
  }
}
