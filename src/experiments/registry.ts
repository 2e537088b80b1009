/** The experiments `descent experiment` knows, in the lecture's order. */
import { adamThenSgd } from './adam_then_sgd.js';
import { batchnorm } from './batchnorm.js';
import { bnBatchSize } from './bn_batch_size.js';
import { bnPlacement } from './bn_placement.js';
import { depth } from './depth.js';
import { dropoutEnsemble } from './dropout_ensemble.js';
import { initGrid } from './init.js';
import { lrSweep } from './lr_sweep.js';
import { optimizers2d } from './optimizers_2d.js';
import { optimizersMnist } from './optimizers_mnist.js';
import { overfitting } from './overfitting.js';
import { pretraining } from './pretraining.js';
import { transfer } from './transfer.js';
import type { Experiment } from './types.js';

/** For `init`, the grid of the course's configurations; `init.run` is the single configuration. */
// biome-ignore lint/suspicious/noExplicitAny: experiments have different option and result types
export const EXPERIMENTS: Experiment<any, any>[] = [
  optimizers2d,
  lrSweep,
  initGrid,
  batchnorm,
  bnBatchSize,
  bnPlacement,
  overfitting,
  dropoutEnsemble,
  pretraining,
  transfer,
  depth,
  adamThenSgd,
  optimizersMnist,
];

/** Experiments that train on image data, which the caller supplies (bundled MNIST in the CLI). */
export const NEEDS_MNIST = new Set([
  'lr-sweep',
  'batchnorm',
  'bn-batch-size',
  'bn-placement',
  'overfitting',
  'dropout-ensemble',
  'pretraining',
  'transfer',
  'depth',
  'adam-then-sgd',
  'optimizers-mnist',
]);
