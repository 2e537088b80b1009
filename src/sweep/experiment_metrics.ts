/**
 * What `descent experiment NAME --seeds N` measures per seed: for each experiment, a mapping from
 * its `--json` result to (setting, metric, value) rows, and the comparisons its findings make (the
 * README's headline claims: batch norm against none, Adam→SGD against Adam, each regularizer against
 * none, …). Accuracies become percentages, so that a difference reads in points. Experiments not
 * listed here have no seed summary (`optimizers-2d` has no randomness at all).
 */
import type { AdamThenSgdResult } from '../experiments/adam_then_sgd.js';
import type { BatchnormResult } from '../experiments/batchnorm.js';
import type { BnBatchSizeResult } from '../experiments/bn_batch_size.js';
import type { BnPlacementResult } from '../experiments/bn_placement.js';
import type { DepthResult } from '../experiments/depth.js';
import type { DropoutEnsembleResult } from '../experiments/dropout_ensemble.js';
import type { InitGridResult } from '../experiments/init.js';
import type { OverfittingResult } from '../experiments/overfitting.js';
import type { PretrainingResult } from '../experiments/pretraining.js';
import type { TransferResult } from '../experiments/transfer.js';

/** One number a seed's run measured: a setting's metric. */
export interface SeedRow {
  setting: string;
  metric: string;
  value: number;
}

/** Two settings whose difference (a − b) on `metric` a finding claims. */
export interface Comparison {
  a: string;
  b: string;
  metric: string;
}

export interface ExperimentMetrics {
  /** The rows of one seed's result; a value that was not finite (a diverged run) is left out. */
  rows(result: unknown): SeedRow[];
  /** The comparisons, given the settings the rows named (an experiment's lists may be shortened by its options). */
  comparisons(settings: readonly string[]): Comparison[];
}

/** Accuracy metrics are percentages: their differences are in points. */
export const ACCURACY = 'test accuracy (%)';

const percent = (x: number) => 100 * x;

/** Rows from `[setting, metric, value]` triples, dropping values that are null or not finite. */
function rows(triples: [string, string, number | null | undefined][]): SeedRow[] {
  return triples.flatMap(([setting, metric, value]) =>
    typeof value === 'number' && Number.isFinite(value) ? [{ setting, metric, value }] : [],
  );
}

/** Each of `others` against `baseline` on `metric`, for the settings present. */
function against(baseline: string, others: readonly string[], metric = ACCURACY) {
  return (present: readonly string[]): Comparison[] =>
    present.includes(baseline)
      ? others.filter((o) => present.includes(o)).map((a) => ({ a, b: baseline, metric }))
      : [];
}

/** Pairs (a, b) by a shared key: `${prefix} ${key}` against `${base} ${key}` for each key present. */
function pairedBy(keys: readonly string[], a: string, b: string, metric: string) {
  return (present: readonly string[]): Comparison[] =>
    keys
      .map((k) => ({ a: `${a} ${k}`, b: `${b} ${k}`, metric }))
      .filter((c) => present.includes(c.a) && present.includes(c.b));
}

const ADAM_LABELS: Record<string, string> = {
  adam: 'Adam',
  sgd: 'SGD',
  switch: 'Adam→SGD',
  swats: 'SWATS',
};

const adamThenSgd: ExperimentMetrics = {
  rows: (r) =>
    rows(
      (r as AdamThenSgdResult).runs.map((run) => [
        ADAM_LABELS[run.variant] ?? run.variant,
        ACCURACY,
        percent(run.finalTestAccuracy),
      ]),
    ),
  comparisons: (s) => [
    ...against('Adam', ['Adam→SGD', 'SWATS', 'SGD'])(s),
    ...against('SGD', ['Adam→SGD'])(s),
  ],
};

const batchnorm: ExperimentMetrics = {
  rows: (r) =>
    rows(
      (r as BatchnormResult).runs.map((run) => [
        `${run.batchNorm ? 'BN' : 'plain'} lr ${run.lr}`,
        ACCURACY,
        percent(run.finalTestAccuracy),
      ]),
    ),
  comparisons: (s) => {
    const lrs = s.filter((x) => x.startsWith('BN ')).map((x) => x.slice(3));
    return pairedBy(lrs, 'BN', 'plain', ACCURACY)(s);
  },
};

const bnBatchSize: ExperimentMetrics = {
  rows: (r) =>
    rows(
      (r as BnBatchSizeResult).runs.map((run) => [
        `${run.batchNorm ? 'BN' : 'plain'} batch ${run.batchSize}`,
        ACCURACY,
        percent(run.testAccuracy),
      ]),
    ),
  comparisons: (s) => {
    const sizes = s.filter((x) => x.startsWith('BN ')).map((x) => x.slice(3));
    return pairedBy(sizes, 'BN', 'plain', ACCURACY)(s);
  },
};

const PLACEMENT_LABELS: Record<string, string> = { none: 'no BN', pre: 'BN on z', post: 'BN on a' };

const bnPlacement: ExperimentMetrics = {
  rows: (r) =>
    rows(
      (r as BnPlacementResult).runs.map((run) => [
        PLACEMENT_LABELS[run.placement] ?? run.placement,
        ACCURACY,
        percent(run.finalTestAccuracy),
      ]),
    ),
  comparisons: (s) => [...against('no BN', ['BN on z', 'BN on a'])(s), ...against('BN on z', ['BN on a'])(s)],
};

const REGULARIZERS = ['l2', 'l1', 'dropout', 'early-stopping', 'all'];

const overfitting: ExperimentMetrics = {
  rows: (r) =>
    rows((r as OverfittingResult).runs.map((run) => [run.variant, ACCURACY, percent(run.testAccuracy)])),
  comparisons: against('none', REGULARIZERS),
};

const TRAIN_LOSS = 'final training loss';

const depth: ExperimentMetrics = {
  rows: (r) =>
    rows(
      (r as DepthResult).runs.map((run) => [
        `${run.architecture} depth ${run.depth}`,
        TRAIN_LOSS,
        run.finalLoss,
      ]),
    ),
  comparisons: (s) => {
    const depths = s.filter((x) => x.startsWith('plain ')).map((x) => x.slice('plain '.length));
    return [
      ...pairedBy(depths, 'residual', 'plain', TRAIN_LOSS)(s),
      ...pairedBy(depths, 'dense', 'plain', TRAIN_LOSS)(s),
    ];
  },
};

/** The accuracy of the largest K (or M) in an averaged curve, and its label. */
function largest(curve: DropoutEnsembleResult['mcDropout'], label: string): [string, string, number] {
  const i = curve.count.length - 1;
  return [`${label} ${curve.count[i]}`, ACCURACY, percent(curve.accuracy[i]!)];
}

const dropoutEnsemble: ExperimentMetrics = {
  rows: (r) => {
    const d = r as DropoutEnsembleResult;
    return rows([
      ['weight scaling', ACCURACY, percent(d.weightScaling.accuracy)],
      ['MC dropout K = 1', ACCURACY, percent(d.mcDropout.accuracy[0]!)],
      largest(d.mcDropout, 'MC dropout K ='),
      largest(d.ensemble, 'ensemble M ='),
    ]);
  },
  comparisons: (s) => {
    const mc = s.filter((x) => x.startsWith('MC dropout K =') && x !== 'MC dropout K = 1');
    const ensemble = s.filter((x) => x.startsWith('ensemble M ='));
    return [...against('weight scaling', [...mc, ...ensemble])(s), ...against('MC dropout K = 1', mc)(s)];
  },
};

const EARLY = 'test accuracy after 5 epochs (%)';

const pretraining: ExperimentMetrics = {
  rows: (r) =>
    rows(
      (r as PretrainingResult).runs.flatMap((run): [string, string, number | null][] => {
        const early = run.epochs.find((e) => e.epoch === 5);
        return [
          [run.init, ACCURACY, percent(run.testAccuracy)],
          [run.init, EARLY, early ? percent(early.testAccuracy) : null],
        ];
      }),
    ),
  comparisons: (s) => [
    ...against('random', ['pretrained'])(s),
    ...against('random', ['pretrained'], EARLY)(s),
  ],
};

const STRATEGY_LABELS: Record<string, string> = {
  transfer: 'transferred',
  scratch: 'scratch',
  'top-features': 'top features',
};

const transfer: ExperimentMetrics = {
  rows: (r) =>
    rows(
      (r as TransferResult).cases.flatMap((c) =>
        c.runs.map((run): [string, string, number] => [
          `(${c.id}) ${STRATEGY_LABELS[run.strategy] ?? run.strategy}`,
          ACCURACY,
          percent(run.testAccuracy),
        ]),
      ),
    ),
  comparisons: (s) => {
    const ids = [...new Set(s.map((x) => x.slice(0, 3)))];
    return [
      ...ids.flatMap((id) => against(`${id} scratch`, [`${id} transferred`])(s)),
      ...ids.flatMap((id) => against(`${id} top features`, [`${id} transferred`])(s)),
    ];
  },
};

const LAST_STD = 'log10 std of the last layer';

const init: ExperimentMetrics = {
  rows: (r) =>
    rows(
      (r as InitGridResult).runs.map((run) => [
        `${run.activation} ${run.init}${run.batchNorm ? ' BN' : ''}`,
        LAST_STD,
        Math.log10(run.layers[run.layers.length - 1]!.std),
      ]),
    ),
  comparisons: (s) =>
    [
      { a: 'tanh xavier', b: 'tanh little-random', metric: LAST_STD },
      { a: 'relu he', b: 'relu xavier', metric: LAST_STD },
      { a: 'tanh little-random BN', b: 'tanh little-random', metric: LAST_STD },
    ].filter((c) => s.includes(c.a) && s.includes(c.b)),
};

/** The experiments `--seeds` summarizes, by name. */
export const EXPERIMENT_METRICS: Readonly<Record<string, ExperimentMetrics>> = {
  'adam-then-sgd': adamThenSgd,
  batchnorm,
  'bn-batch-size': bnBatchSize,
  'bn-placement': bnPlacement,
  overfitting,
  'dropout-ensemble': dropoutEnsemble,
  pretraining,
  transfer,
  depth,
  init,
};
