import { concat } from '../ops/shape_ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { type ActivationSpec, activationLayer } from './activations.js';
import { BatchNorm1d } from './batch_norm.js';
import { positiveInt } from './checks.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { Sequential } from './sequential.js';

export interface DenseMLPBlockOptions {
  /** Activation after each Linear (default 'relu'). */
  activation?: ActivationSpec;
  /** Put BatchNorm1d between each Linear and its activation (default false). */
  batchNorm?: boolean;
}

/**
 * Dense connectivity for vectors (the DenseNet idea of Huang et al. 2017, arXiv:1608.06993, applied
 * to an MLP): x₀ = x, x_{i+1} = concat(x_i, act(Linear(x_i))) along the feature dimension, so the
 * output has inFeatures + numLayers·growth features. Each layer is a Sequential named
 * `denselayer1` … (`denselayer1.0.weight`): Linear, [BatchNorm1d], activation.
 *
 * @example
 * const block = new DenseMLPBlock(3, 20, 10);
 * block.call(randn([8, 20])).shape; // [8, 50]
 */
export class DenseMLPBlock extends Module {
  readonly outFeatures: number;
  private readonly layers: Module[] = [];

  constructor(numLayers: number, inFeatures: number, growth: number, options: DenseMLPBlockOptions = {}) {
    super();
    checkOptions('DenseMLPBlock', options, { activation: true, batchNorm: true });
    positiveInt('DenseMLPBlock', 'numLayers', numLayers);
    positiveInt('DenseMLPBlock', 'inFeatures', inFeatures);
    positiveInt('DenseMLPBlock', 'growth', growth);
    for (let i = 0; i < numLayers; i++) {
      const layer = new Sequential(new Linear(inFeatures + i * growth, growth));
      if (options.batchNorm) layer.append(new BatchNorm1d(growth));
      layer.append(activationLayer(options.activation ?? 'relu', 'DenseMLPBlock'));
      this.layers.push(this.registerModule(`denselayer${i + 1}`, layer));
    }
    this.outFeatures = inFeatures + numLayers * growth;
  }

  forward(x: Tensor): Tensor {
    for (const layer of this.layers) x = concat([x, layer.call(x)], -1);
    return x;
  }
}
