import type { FusedActivation } from '../backend/backend.js';
import { torchDefaultInit_ } from '../init/index.js';
import { linear } from '../ops/linear.js';
import { zeros } from '../tensor/creation.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { positiveInt, requireSize } from './checks.js';
import { Module } from './module.js';

export interface LinearOptions {
  /** Learn an additive bias b (default true). */
  bias?: boolean;
  /** Generator for the default initialization (default: the one seeded by `manualSeed`). */
  generator?: Generator;
}

/**
 * Fully connected layer (torch.nn.Linear): y = x Wᵀ + b.
 *
 * - x: [..., inFeatures] (any number of leading dimensions); y: [..., outFeatures].
 * - `weight` W: [outFeatures, inFeatures]; `bias` b: [outFeatures], or null with `{ bias: false }`.
 * - Initialization (PyTorch's default): W ~ kaiming uniform with a = √5, i.e. U(−1/√inFeatures,
 *   1/√inFeatures), and b ~ U(−1/√inFeatures, 1/√inFeatures); see `torchDefaultInit_`. Use the
 *   initializers in `init` (or `initialize(model, scheme)`) for Glorot or He schemes.
 *
 * @example
 * const fc = new Linear(784, 10);
 * fc.call(randn([32, 784])).shape; // [32, 10]
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    checkOptions('Linear', options, { bias: true, generator: true });
    this.inFeatures = positiveInt('Linear', 'inFeatures', inFeatures);
    this.outFeatures = positiveInt('Linear', 'outFeatures', outFeatures);
    this.weight = this.registerParameter('weight', zeros([outFeatures, inFeatures]));
    this.bias = this.registerParameter('bias', options.bias === false ? null : zeros([outFeatures]));
    torchDefaultInit_(this.weight, this.bias, { generator: options.generator });
  }

  /** y = act(x Wᵀ + b); `activation` (default none) is how Sequential fuses a following ReLU, Sigmoid or Tanh. */
  forward(x: Tensor, activation: FusedActivation = 'none'): Tensor {
    if (x.ndim === 0)
      throw new RangeError('Linear: expected an input of shape (..., inFeatures), got a 0-d tensor');
    requireSize('Linear', x, -1, this.inFeatures, 'inFeatures');
    return linear(x, this.weight, this.bias, activation);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
