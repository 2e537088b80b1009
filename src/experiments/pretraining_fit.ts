/**
 * The supervised training run that `pretraining` (fine-tuning against training from scratch) and
 * `transfer` (each transfer case against training from scratch) record the same way: `fit` with
 * cross-entropy on a labelled set, and the test loss and accuracy measured before training (epoch 0)
 * and after every epoch, so that the curves of two initializations can be laid side by side.
 *
 * The test digits are only measured, never used to choose anything (no early stopping, no model
 * selection): they play the role of the lecture's held-out data for the curves.
 */
import type { TensorDataset } from '../data/dataset.js';
import type { Module } from '../nn/module.js';
import type { OptimizerLike } from '../optim/optimizer.js';
import { evaluate, fit } from '../train/trainer.js';

/** One point of a curve: epoch 0 is before the first step. */
export interface RecordedEpoch {
  epoch: number;
  /** Mean training loss over the epoch's batches (null at epoch 0, and where not finite). */
  trainLoss: number | null;
  testLoss: number | null;
  testAccuracy: number;
}

/** A recorded supervised run: the curve and the final test numbers. */
export interface RecordedRun {
  epochs: RecordedEpoch[];
  testAccuracy: number;
  testLoss: number | null;
}

export interface RecordedFitSpec {
  model: Module;
  /** An optimizer over the parameters to train (frozen ones left out). */
  optimizer: OptimizerLike;
  train: TensorDataset;
  test: TensorDataset;
  epochs: number;
  batchSize: number;
  /** Seed of the batch order (the same for the runs compared). */
  seed: number;
}

export const finiteOrNull = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) ? v : null;

/**
 * Trains `spec.model` with `fit` (no divergence guard or plateau detector: every run takes its whole
 * budget, so that curves compare epoch for epoch) and records the test numbers per epoch.
 */
export function fitRecorded(spec: RecordedFitSpec): RecordedRun {
  const { model, test } = spec;
  const before = evaluate(model, test, { loss: 'crossEntropy' });
  const epochs: RecordedEpoch[] = [
    { epoch: 0, trainLoss: null, testLoss: finiteOrNull(before.loss), testAccuracy: before.accuracy ?? 0 },
  ];
  fit(model, spec.train, {
    optimizer: spec.optimizer,
    loss: 'crossEntropy',
    epochs: spec.epochs,
    batchSize: spec.batchSize,
    seed: spec.seed,
    validation: test,
    divergenceGuard: false,
    plateauDetector: false,
    callbacks: [
      {
        onEpochEnd: (epoch, logs) => {
          epochs.push({
            epoch,
            trainLoss: finiteOrNull(logs.trainLoss),
            testLoss: finiteOrNull(logs.valLoss),
            testAccuracy: logs.valAccuracy ?? 0,
          });
        },
      },
    ],
  });
  const last = epochs[epochs.length - 1]!;
  return { epochs, testAccuracy: last.testAccuracy, testLoss: last.testLoss };
}

/** The MLP activations the pre-training and transfer experiments accept. */
export const MLP_ACTIVATIONS = ['sigmoid', 'tanh', 'relu'] as const;

/** Checks an experiment's MLP shape options: hidden widths (positive integers, at least one) and activation. */
export function checkMlpShape(who: string, o: { hidden: unknown; activation: unknown }): void {
  const hidden = o.hidden as unknown[];
  if (
    !Array.isArray(hidden) ||
    hidden.length === 0 ||
    !hidden.every((h) => Number.isInteger(h) && (h as number) > 0)
  ) {
    throw new RangeError(
      `${who}: hidden must list at least one positive integer width, got ${JSON.stringify(o.hidden)}`,
    );
  }
  if (!(MLP_ACTIVATIONS as readonly unknown[]).includes(o.activation)) {
    throw new RangeError(
      `${who}: unknown activation '${o.activation}'; accepted: ${MLP_ACTIVATIONS.join(', ')}`,
    );
  }
}
