/**
 * Activation modules (torch.nn.ReLU and friends): parameter-free wrappers over src/ops/activation.ts,
 * with PyTorch's definitions and defaults, plus `activationLayer(name)` used by the builders.
 */
import {
  elu,
  type GeluOptions,
  gelu,
  leakyRelu,
  logSoftmax,
  relu,
  type SoftplusOptions,
  sigmoid,
  softmax,
  softplus,
  tanh,
} from '../ops/activation.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { Module } from './module.js';

/** max(0, x). @example new ReLU().call(tensor([-1, 2])); // [0, 2] */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** σ(x) = 1 / (1 + e^(−x)). @example new Sigmoid().call(tensor([0])); // [0.5] */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** tanh x. @example new Tanh().call(tensor([0])); // [0] */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** x for x > 0, else negativeSlope·x; default negativeSlope 0.01 (Maas et al. 2013). */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/** x for x > 0, else α(e^x − 1); default α = 1 (Clevert et al. 2015, arXiv:1511.07289). */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/**
 * GELU(x) = x·Φ(x), Φ the standard normal CDF; `{ approximate: 'tanh' }` for the tanh approximation
 * (Hendrycks & Gimpel 2016, arXiv:1606.08415).
 */
export class GELU extends Module {
  constructor(readonly options: GeluOptions = {}) {
    super();
    checkOptions('GELU', options, { approximate: true });
  }
  forward(x: Tensor): Tensor {
    return gelu(x, this.options);
  }
  override extraRepr(): string {
    return `approximate='${this.options.approximate ?? 'none'}'`;
  }
}

/** log(1 + e^(βx))/β, linear where βx > threshold; defaults β = 1, threshold = 20 (PyTorch's). */
export class Softplus extends Module {
  constructor(readonly options: SoftplusOptions = {}) {
    super();
    checkOptions('Softplus', options, { beta: true, threshold: true });
  }
  forward(x: Tensor): Tensor {
    return softplus(x, this.options);
  }
  override extraRepr(): string {
    return `beta=${this.options.beta ?? 1}, threshold=${this.options.threshold ?? 20}`;
  }
}

/**
 * softmax(x)_i = e^(x_i) / Σ_j e^(x_j) along `dim`. The dimension is required (PyTorch's implicit
 * choice is deprecated). For classification, feed logits to `crossEntropy` instead.
 *
 * @example new Softmax(-1).call(tensor([[1, 1]])); // [[0.5, 0.5]]
 */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
    if (!Number.isInteger(dim))
      throw new TypeError(`Softmax: dim must be an integer, got ${JSON.stringify(dim)}`);
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** log softmax along `dim`, computed stably as (x − max) − log Σ e^(x − max). */
export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
    if (!Number.isInteger(dim)) {
      throw new TypeError(`LogSoftmax: dim must be an integer, got ${JSON.stringify(dim)}`);
    }
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Returns its input unchanged (the same tensor). Useful as a placeholder. */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** The activations the builders accept by name. */
export type ActivationName =
  | 'relu'
  | 'tanh'
  | 'sigmoid'
  | 'leakyRelu'
  | 'elu'
  | 'gelu'
  | 'softplus'
  | 'identity';

/** A name, or a factory returning a fresh module for each layer. */
export type ActivationSpec = ActivationName | (() => Module);

const factories: Record<ActivationName, () => Module> = {
  relu: () => new ReLU(),
  tanh: () => new Tanh(),
  sigmoid: () => new Sigmoid(),
  leakyRelu: () => new LeakyReLU(),
  elu: () => new ELU(),
  gelu: () => new GELU(),
  softplus: () => new Softplus(),
  identity: () => new Identity(),
};

/**
 * A new activation module from its name ('relu', 'tanh', 'sigmoid', 'leakyRelu', 'elu', 'gelu',
 * 'softplus', 'identity') or from a factory.
 *
 * @example activationLayer('tanh'); // Tanh()
 */
export function activationLayer(spec: ActivationSpec, op = 'activationLayer'): Module {
  if (typeof spec === 'function') {
    const m = spec();
    if (!(m instanceof Module)) throw new TypeError(`${op}: the activation factory must return a Module`);
    return m;
  }
  const make = Object.hasOwn(factories, spec) ? factories[spec] : undefined;
  if (make === undefined) {
    throw new RangeError(
      `${op}: unknown activation ${JSON.stringify(spec)}; use one of ${Object.keys(factories).join(', ')} or a factory () => Module`,
    );
  }
  return make();
}
