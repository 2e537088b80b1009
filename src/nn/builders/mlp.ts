import { checkOptions } from '../../util/options.js';
import { type ActivationSpec, activationLayer } from '../activations.js';
import { BatchNorm1d } from '../batch_norm.js';
import { positiveInt } from '../checks.js';
import { checkDropoutP, Dropout } from '../dropout.js';
import { Linear } from '../linear.js';
import type { Module } from '../module.js';
import { Residual } from '../residual.js';
import { Sequential } from '../sequential.js';

export interface MlpOptions {
  /** Layer widths from input to output, e.g. [784, 100, 100, 10]: at least two. */
  sizes: readonly number[];
  /** Activation of the hidden layers (default 'relu'); the output layer has none (logits). */
  activation?: ActivationSpec;
  /** BatchNorm1d in each hidden layer (default false); where it sits is `batchNormPosition`. */
  batchNorm?: boolean;
  /**
   * Where each hidden layer's BatchNorm1d sits (default 'pre'): 'pre' normalizes the pre-activation
   * z = Wx + b (Linear, BN, activation), as Ioffe & Szegedy 2015 and the lecture's bn_model do;
   * 'post' normalizes the activation a (Linear, activation, BN), the other placement the lecture
   * allows ("对z、a做BN均可"). Only with `batchNorm: true`; given without it, it is refused.
   */
  batchNormPosition?: 'pre' | 'post';
  /** Dropout probability after each hidden activation (default 0: no Dropout layer). */
  dropout?: number;
  /** Dropout probability on the input (default 0: no Dropout layer). */
  inputDropout?: number;
  /** Linear layers with bias (default true). */
  bias?: boolean;
  /**
   * Residual connections (default false; the lecture's 残差连接, He et al. 2016): each hidden block
   * (Linear, [BatchNorm1d], activation, [Dropout], in the order above) whose input and output widths
   * agree becomes `Residual(block)`, y = x + block(x). A block that changes the width stays plain (no
   * projection: a learned shortcut would add parameters the plain network lacks, and the point of the
   * option is the identity path). With it, every hidden block is one child, a Residual or a Sequential.
   */
  residual?: boolean;
}

/**
 * A multilayer perceptron as a Sequential whose child indices follow PyTorch's nn.Sequential:
 *
 *   [Dropout(inputDropout)], then per hidden layer: Linear, [BatchNorm1d], activation, [Dropout(dropout)],
 *   then the output Linear (no activation: the model returns logits for `crossEntropy`).
 *
 * With `batchNormPosition: 'post'` a hidden layer is Linear, activation, BatchNorm1d, [Dropout].
 *
 * Bracketed layers appear only when enabled, and indices count only the layers present; e.g.
 * `mlp({ sizes: [784, 100, 10], batchNorm: true })` has children 0 Linear, 1 BatchNorm1d, 2 ReLU,
 * 3 Linear, and a state dict `0.weight, 0.bias, 1.weight, 1.bias, 1.running_mean, 1.running_var,
 * 1.num_batches_tracked, 3.weight, 3.bias`. Layers use PyTorch's default initialization.
 *
 * With `residual: true` each hidden block is one child instead: `mlp({ sizes: [2, 16, 16, 2],
 * residual: true })` has 0 Sequential (2 → 16, plain: the widths differ), 1 Residual (16 → 16, with
 * state-dict keys `1.fn.0.weight`, `1.fn.0.bias`), 2 Linear (the output).
 *
 * @example
 * const model = mlp({ sizes: [784, 100, 100, 10], activation: 'relu', dropout: 0.2 });
 * model.call(randn([32, 784])).shape; // [32, 10]
 */
export function mlp(options: MlpOptions): Sequential {
  checkOptions('mlp', options, {
    sizes: true,
    activation: true,
    batchNorm: true,
    batchNormPosition: true,
    dropout: true,
    inputDropout: true,
    bias: true,
    residual: true,
  });
  const sizes = options?.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new RangeError(
      `mlp: sizes must list at least the input and output widths, e.g. [784, 100, 10], got ${JSON.stringify(sizes)}`,
    );
  }
  for (const [i, s] of sizes.entries()) positiveInt('mlp', `sizes[${i}]`, s);
  const bias = options.bias ?? true;
  const model = new Sequential();
  const dropout = checkDropoutP('mlp', 'dropout', options.dropout ?? 0);
  const inputDropout = checkDropoutP('mlp', 'inputDropout', options.inputDropout ?? 0);
  const bn = batchNormAt(options);
  const residual = options.residual ?? false;
  if (typeof residual !== 'boolean') {
    throw new TypeError(`mlp: residual must be true or false, got ${JSON.stringify(residual)}`);
  }
  if (inputDropout > 0) model.append(new Dropout(inputDropout));
  for (let i = 0; i < sizes.length - 2; i++) {
    const block = hiddenBlock({ from: sizes[i]!, to: sizes[i + 1]!, bias, bn, dropout, options });
    if (!residual) for (const layer of block) model.append(layer);
    else if (sizes[i] === sizes[i + 1]) model.append(new Residual(new Sequential(...block)));
    else model.append(new Sequential(...block));
  }
  model.append(new Linear(sizes[sizes.length - 2]!, sizes[sizes.length - 1]!, { bias }));
  return model;
}

/** One hidden layer's modules in order: Linear, [BatchNorm1d], activation, [BatchNorm1d], [Dropout]. */
function hiddenBlock(b: {
  from: number;
  to: number;
  bias: boolean;
  bn: 'pre' | 'post' | null;
  dropout: number;
  options: MlpOptions;
}): Module[] {
  const layers: Module[] = [new Linear(b.from, b.to, { bias: b.bias })];
  if (b.bn === 'pre') layers.push(new BatchNorm1d(b.to));
  layers.push(activationLayer(b.options.activation ?? 'relu', 'mlp'));
  if (b.bn === 'post') layers.push(new BatchNorm1d(b.to));
  if (b.dropout > 0) layers.push(new Dropout(b.dropout));
  return layers;
}

/** Where the hidden layers' BatchNorm1d goes, or null without one; refuses a position without BN. */
function batchNormAt(options: MlpOptions): 'pre' | 'post' | null {
  const position = options.batchNormPosition;
  if (position !== undefined && position !== 'pre' && position !== 'post') {
    throw new RangeError(`mlp: batchNormPosition must be 'pre' or 'post', got ${JSON.stringify(position)}`);
  }
  if (!options.batchNorm) {
    if (position !== undefined) {
      throw new RangeError(
        `mlp: batchNormPosition '${position}' applies only with batchNorm: true (without it there is no BatchNorm1d to place)`,
      );
    }
    return null;
  }
  return position ?? 'pre';
}
