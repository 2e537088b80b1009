/**
 * Experiment `pretraining`: the lecture's "预训练 … 非监督：贪心地逐层训练自编码器得到初始权重，然后再做
 * 细调（不再常用）" — unsupervised greedy layer-wise pre-training as an initialization (Bengio,
 * Lamblin, Popovici & Larochelle 2007, "Greedy Layer-Wise Training of Deep Networks", NeurIPS 19;
 * Erhan et al. 2010, "Why Does Unsupervised Pre-training Help Deep Learning?", JMLR 11).
 *
 * Set-up: many unlabelled digits and few labelled ones, the situation pre-training was made for.
 * - Unlabelled: the first `unlabelledSize` training digits (default 2,000), labels discarded.
 * - Labelled: the first `labelledSize` of them (default 100, about 10 per class).
 * - Test: the first `testSize` test digits (default 1,000). Images average-pooled 2×2 to 14×14.
 * - A 196-100-100-100-10 MLP of sigmoid units (the activation of the autoencoder era; an option):
 *   deep enough for the random initialization to train slowly on 100 digits, which is where
 *   pre-training helps (Erhan et al. find the benefit grows with depth).
 *
 * Two networks start from the same weights (PyTorch's default initialization, drawn from `seed`):
 * - `pretrained`: each hidden layer trained as the encoder of a one-hidden-layer autoencoder on the
 *   codes of the layers below (`pretraining_layerwise.ts`; reconstruction MSE, Adam), then the whole
 *   network fine-tuned on the labelled digits;
 * - `random`: the same network fine-tuned on the labelled digits directly.
 * Fine-tuning is the same for both (Adam at `lr`, the same batches, `epochs` epochs); the test
 * accuracy is recorded after every epoch.
 *
 * Everything runs through the library's modules, `Adam` and `fit`; this file only wires them.
 */
import type { TensorDataset } from '../data/dataset.js';
import { mlp } from '../nn/builders/mlp.js';
import { Linear } from '../nn/linear.js';
import type { Sequential } from '../nn/sequential.js';
import { Adam } from '../optim/optimizers/adam.js';
import { checkMlpShape, fitRecorded, type RecordedRun } from './pretraining_fit.js';
import { type LayerwiseSpec, type PretrainedLayer, pretrainLayerwise } from './pretraining_layerwise.js';
import { presentPretraining } from './pretraining_present.js';
import { PRETRAINING_STRINGS } from './pretraining_strings.js';
import { seeded } from './seeded.js';
import { poolImages, resolveTrainTest, type TrainTestSource, takeSamples } from './train_test_data.js';
import type { Experiment } from './types.js';

export type PretrainingActivation = 'sigmoid' | 'tanh' | 'relu';

export interface PretrainingExperimentOptions {
  /** `{ train, test }` digits (e.g. `loadMnist()` from descent/node) or a loader; required. */
  data?: TrainTestSource;
  /** Hidden widths, each pre-trained as one autoencoder (default [100, 100, 100]). */
  hidden: number[];
  /** Activation of the hidden layers (default 'sigmoid'). */
  activation: PretrainingActivation;
  /** Unlabelled digits for pre-training, a prefix of data.train (default 2000). */
  unlabelledSize: number;
  /** Labelled digits for fine-tuning, a prefix of data.train (default 100). */
  labelledSize: number;
  /** Test digits, a prefix of data.test (default 1000). */
  testSize: number;
  /** Average-pooling factor of the images (default 2: 28×28 → 14×14; 1 keeps them). */
  pool: number;
  /** Epochs of each layer's autoencoder (default 5). */
  pretrainEpochs: number;
  /** Adam's learning rate for the autoencoders (default 3e-3). */
  pretrainLr: number;
  /** Mini-batch size of pre-training (default 32). */
  pretrainBatchSize: number;
  /** Fine-tuning epochs on the labelled digits, for both networks (default 30). */
  epochs: number;
  /** Adam's learning rate for fine-tuning (default 3e-3). */
  lr: number;
  /** Mini-batch size of fine-tuning (default 10). */
  batchSize: number;
  seed: number;
}

/** One network's fine-tuning: `pretrained` starts from the autoencoders' weights, `random` from the initialization. */
export interface PretrainingRun extends RecordedRun {
  init: 'pretrained' | 'random';
}

export interface PretrainingResult {
  sizes: number[];
  activation: PretrainingActivation;
  unlabelledSize: number;
  labelledSize: number;
  testSize: number;
  pretrainEpochs: number;
  epochs: number;
  /** Per hidden layer, its autoencoder's reconstruction loss before and after each epoch. */
  layers: PretrainedLayer[];
  /** `pretrained`, then `random`. */
  runs: PretrainingRun[];
}

const defaults: PretrainingExperimentOptions = {
  hidden: [100, 100, 100],
  activation: 'sigmoid',
  unlabelledSize: 2000,
  labelledSize: 100,
  testSize: 1000,
  pool: 2,
  pretrainEpochs: 5,
  pretrainLr: 3e-3,
  pretrainBatchSize: 32,
  epochs: 30,
  lr: 3e-3,
  batchSize: 10,
  seed: 0,
};

const WHO = 'pretraining';

function checkOptions(o: PretrainingExperimentOptions): void {
  checkMlpShape(WHO, o);
  for (const k of ['pretrainEpochs', 'pretrainBatchSize', 'epochs', 'batchSize'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) {
      throw new RangeError(`${WHO}: ${k} must be a positive integer, got ${o[k]}`);
    }
  }
  for (const k of ['pretrainLr', 'lr'] as const) {
    if (typeof o[k] !== 'number' || !(o[k] > 0) || !Number.isFinite(o[k])) {
      throw new RangeError(`${WHO}: ${k} must be a positive number, got ${o[k]}`);
    }
  }
}

/** The hidden layers of an `mlp` without batch norm or dropout: children Linear, activation, …, Linear. */
function hiddenLayers(model: Sequential): LayerwiseSpec['layers'] {
  const out: LayerwiseSpec['layers'] = [];
  for (let i = 0; i + 1 < model.length; i += 2) {
    const linear = model.at(i);
    if (!(linear instanceof Linear)) throw new Error(`${WHO}: expected a Linear at child ${i}`);
    out.push({ linear, activation: model.at(i + 1) });
  }
  return out;
}

interface Parts {
  unlabelled: TensorDataset;
  labelled: TensorDataset;
  test: TensorDataset;
}

/** One network from the seeded initialization, pre-trained first or not, then fine-tuned. */
function trainOne(
  o: PretrainingExperimentOptions,
  parts: Parts,
  init: PretrainingRun['init'],
): { run: PretrainingRun; layers: PretrainedLayer[] } {
  return seeded(o.seed, () => {
    // Built first, so both networks start from the same draws; the decoders are drawn afterwards.
    const model = mlp({
      sizes: [parts.labelled.sampleSize, ...o.hidden, parts.labelled.numClasses],
      activation: o.activation,
    });
    const layers =
      init === 'pretrained'
        ? pretrainLayerwise({
            layers: hiddenLayers(model),
            inputs: parts.unlabelled.toTensors().x,
            epochs: o.pretrainEpochs,
            batchSize: o.pretrainBatchSize,
            lr: o.pretrainLr,
            seed: o.seed,
          })
        : [];
    const recorded = fitRecorded({
      model,
      optimizer: new Adam(model.parameters(), { lr: o.lr }),
      train: parts.labelled,
      test: parts.test,
      epochs: o.epochs,
      batchSize: o.batchSize,
      seed: o.seed,
    });
    return { run: { init, ...recorded }, layers };
  });
}

function run(options: Partial<PretrainingExperimentOptions> = {}): PretrainingResult {
  const o = { ...defaults, ...options };
  checkOptions(o);
  const data = resolveTrainTest(WHO, o.data);
  const parts: Parts = {
    unlabelled: poolImages(WHO, takeSamples(WHO, data.train, 'unlabelledSize', o.unlabelledSize), o.pool),
    labelled: poolImages(WHO, takeSamples(WHO, data.train, 'labelledSize', o.labelledSize), o.pool),
    test: poolImages(WHO, takeSamples(WHO, data.test, 'testSize', o.testSize), o.pool),
  };
  const pretrained = trainOne(o, parts, 'pretrained');
  const random = trainOne(o, parts, 'random');
  return {
    sizes: [parts.labelled.sampleSize, ...o.hidden, parts.labelled.numClasses],
    activation: o.activation,
    unlabelledSize: parts.unlabelled.length,
    labelledSize: parts.labelled.length,
    testSize: parts.test.length,
    pretrainEpochs: o.pretrainEpochs,
    epochs: o.epochs,
    layers: pretrained.layers,
    runs: [pretrained.run, random.run],
  };
}

export const pretraining: Experiment<PretrainingExperimentOptions, PretrainingResult> = {
  name: 'pretraining',
  title: PRETRAINING_STRINGS.title,
  defaults,
  run,
  present: presentPretraining,
};
