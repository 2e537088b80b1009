/**
 * The model and optimizer a run configuration describes (browser-safe): what `descent train` and the
 * lab's training playground both build, so that the same configuration and seed give the same weights.
 */
import { initialize } from '../init/initialize.js';
import { densenet } from '../nn/builders/densenet.js';
import { lenet5 } from '../nn/builders/lenet5.js';
import { mlp } from '../nn/builders/mlp.js';
import { plainNet, resnet } from '../nn/builders/resnet.js';
import type { Module } from '../nn/module.js';
import type { OptimizerLike } from '../optim/optimizer.js';
import { createOptimizer } from '../optim/registry.js';
import { manualSeed } from '../tensor/random.js';
import { ADAM_TO_SGD, buildAdamToSgd } from './adam_to_sgd_config.js';
import type { RunConfig } from './config_schema.js';
import { optimizerOptionsFrom } from './optimizer_options.js';

/**
 * Builds and initializes the model for samples of `sampleShape` and `classes` classes. The default
 * generator is seeded with `c.seed` first (`manualSeed`), so the same seed gives the same weights, and
 * dropout then draws from that stream. The mlp's activation defaults to sigmoid (the course's network),
 * the others' to relu. It does not estimate memory: the CLI refuses a model that cannot fit before
 * calling this (cli/memory_check.ts).
 */
export function buildModel(c: RunConfig, sampleShape: readonly number[], classes: number): Module {
  manualSeed(c.seed);
  const channels = sampleShape.length === 3 ? sampleShape[0]! : 1;
  const activation = c.activation ?? (c.arch === 'mlp' ? 'sigmoid' : 'relu');
  let model: Module;
  switch (c.arch) {
    case 'mlp': {
      const inputs = sampleShape.reduce((a, b) => a * b, 1);
      model = mlp({
        sizes: [inputs, ...c.hidden, classes],
        activation,
        batchNorm: c.batchNorm,
        dropout: c.dropout,
        inputDropout: c.inputDropout,
        residual: c.residual,
      });
      break;
    }
    case 'lenet5':
      model = lenet5({ inChannels: channels, classes, activation });
      break;
    case 'resnet':
      model = resnet({ depth: c.depth, width: c.width, inChannels: channels, classes });
      break;
    case 'plain':
      model = plainNet({ depth: c.depth, width: c.width, inChannels: channels, classes });
      break;
    case 'densenet':
      model = densenet({ inChannels: channels, classes });
      break;
  }
  if (c.init !== 'default') initialize(model, c.init);
  return model;
}

/**
 * The configured optimizer over the model's parameters, with only the options the configuration sets
 * (the others keep the optimizer's PyTorch defaults). An option the optimizer does not take is refused
 * by the optimizer's own `TypeError` naming it and the accepted ones. `adam-to-sgd` gives an `AdamToSGD`
 * (run/adam_to_sgd_config.ts); its `switchEpoch` counts epochs, so it needs `stepsPerEpoch` (the
 * loader's batches per epoch) to find the switch step.
 */
export function buildOptimizer(c: RunConfig, model: Module, stepsPerEpoch?: number): OptimizerLike {
  if (c.optimizer === ADAM_TO_SGD) return buildAdamToSgd(c, model, optimizerOptionsFrom(c), stepsPerEpoch);
  return createOptimizer(c.optimizer, model.parameters(), optimizerOptionsFrom(c));
}
