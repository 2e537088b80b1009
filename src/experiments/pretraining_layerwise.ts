/**
 * Greedy layer-wise pre-training of an MLP's hidden layers with autoencoders (the lecture's
 * "非监督：贪心地逐层训练自编码器得到初始权重，然后再做细调"; Bengio, Lamblin, Popovici & Larochelle
 * 2007, "Greedy Layer-Wise Training of Deep Networks", NeurIPS 19; Hinton & Salakhutdinov 2006 with
 * RBMs instead of autoencoders).
 *
 * For hidden layer k = 1 … L, with h₀ = x the unlabelled inputs:
 *
 *   autoencoder_k = Sequential(Linear_k, activation_k, decoder_k)   decoder_k = a fresh Linear(n_k, n_{k−1})
 *   train it to minimize the reconstruction MSE ‖decoder_k(f_k(h_{k−1})) − h_{k−1}‖² / n_{k−1}
 *   h_k = f_k(h_{k−1}) = activation_k(Linear_k(h_{k−1}))             (the codes, computed once, no gradient)
 *
 * Linear_k and activation_k are the MLP's own modules, so training the autoencoder trains the MLP's
 * layer in place; the decoder is thrown away. Layer k trains on the codes of the layers below it,
 * which stay fixed while it trains ("greedy"). The output layer is not pre-trained: it has no
 * unlabelled target, and fine-tuning trains it with the rest.
 *
 * Divergences from Bengio et al.: untied decoder weights, a linear decoder with the squared error for
 * every layer (they used a sigmoid decoder and cross-entropy on [0, 1] inputs), and Adam in place of
 * plain SGD (the time budget of `descent experiment all`).
 */
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { Sequential } from '../nn/sequential.js';
import { Adam } from '../optim/optimizers/adam.js';
import type { Tensor } from '../tensor/tensor.js';
import { evaluate, fit, predict } from '../train/trainer.js';
import { finiteOrNull } from './pretraining_fit.js';

export interface LayerwiseSpec {
  /** The hidden layers of an MLP, input first: each a Linear and its activation. */
  layers: { linear: Linear; activation: Module }[];
  /** The unlabelled inputs, [N, D] (their labels are never seen). */
  inputs: Tensor;
  /** Epochs of each autoencoder. */
  epochs: number;
  batchSize: number;
  /** Adam's learning rate for each autoencoder. */
  lr: number;
  /** Seed of the batch order. */
  seed: number;
}

/** What pre-training one hidden layer did. */
export interface PretrainedLayer {
  /** The hidden layer, counted from 1. */
  layer: number;
  /** Width of the layer's input (the codes of the layer below, or the pixels) and of its codes. */
  inputSize: number;
  codeSize: number;
  /**
   * The autoencoder's reconstruction MSE over all unlabelled inputs, in evaluation mode: before
   * training (index 0), then after each epoch (null where not finite).
   */
  reconstruction: (number | null)[];
}

/** Trains one hidden layer as the encoder of an autoencoder on `input`; returns its losses. */
function pretrainOne(
  spec: LayerwiseSpec,
  k: number,
  input: Tensor,
): { reconstruction: (number | null)[]; codes: Tensor } {
  const { linear, activation } = spec.layers[k]!;
  const [inputSize, codeSize] = [linear.inFeatures, linear.outFeatures];
  const encoder = new Sequential(linear, activation);
  const autoencoder = new Sequential(linear, activation, new Linear(codeSize, inputSize));
  const data = { x: input, y: input };
  const measure = () => finiteOrNull(evaluate(autoencoder, data, { loss: 'mse' }).loss);
  const reconstruction = [measure()];
  fit(autoencoder, data, {
    optimizer: new Adam(autoencoder.parameters(), { lr: spec.lr }),
    loss: 'mse',
    epochs: spec.epochs,
    batchSize: spec.batchSize,
    seed: spec.seed + k,
    divergenceGuard: false,
    plateauDetector: false,
    callbacks: [{ onEpochEnd: () => void reconstruction.push(measure()) }],
  });
  return { reconstruction, codes: predict(encoder, input) };
}

/**
 * Pre-trains `spec.layers` in order, each on the codes of the ones below (see the module comment);
 * the layers' weights are changed in place. The codes belong to the caller's scope.
 */
export function pretrainLayerwise(spec: LayerwiseSpec): PretrainedLayer[] {
  const out: PretrainedLayer[] = [];
  let input = spec.inputs;
  spec.layers.forEach(({ linear }, k) => {
    const r = pretrainOne(spec, k, input);
    out.push({
      layer: k + 1,
      inputSize: linear.inFeatures,
      codeSize: linear.outFeatures,
      reconstruction: r.reconstruction,
    });
    input = r.codes;
  });
  return out;
}
