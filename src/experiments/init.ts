/**
 * Experiment 2, `init`: how the initialization of a deep fully connected network shapes its
 * activations and gradients, layer by layer (the lecture's slides "随机数初始化", "Xavier 初始化",
 * "He 初始化" and the BN slide "受初始化的影响变弱"; Glorot & Bengio 2010, He et al. 2015, Ioffe &
 * Szegedy 2015).
 *
 * Set-up (as in the lecture's 10-layer example): a batch of `batch` inputs x ~ N(0, 1) of dimension
 * `width`, through `layers` hidden layers Linear(width → width) → [BatchNorm1d] → activation, then a
 * Linear(width → 10) head; every Linear weight drawn by `initialize(model, init)` (biases 0; BN with
 * γ = 1, β = 0 and batch statistics, i.e. training mode):
 *
 *   'little-random' W ~ N(0, 0.01²) · 'random' W ~ N(0, 1) · 'xavier' Var W = 2/(fanIn + fanOut) ·
 *   'he' Var W = 4/(fanIn + fanOut) (the course's He) — the grid's four — and, for one run,
 *   'kaiming' Var W = 2/fanIn (He et al. 2015, PyTorch's) · 'orthogonal' (Saxe et al. 2013).
 *
 * One forward pass records each hidden layer's activations a (after the nonlinearity): mean, std,
 * saturatedFraction = #{|a| > 0.99}/n (meaningful for tanh), deadFraction = #{a = 0}/n (for ReLU) and
 * a 40-bin histogram (over [−1, 1] for tanh, over the layer's [min, max] for ReLU). One backward pass
 * of the cross-entropy of the head's logits against uniformly random labels (seeded; chance-level
 * targets, so the loss only carries a gradient of the usual size back) gives gradStd, the std of
 * ∂loss/∂a at each hidden layer.
 *
 * `init.run(options)` returns exactly `{ layers: [{ layer, mean, std, saturatedFraction, deadFraction,
 * gradStd, histogram: { edges, counts }, gradHistogram: { edges, counts } }, …] }` (layers counted
 * from 1; `gradHistogram` of ∂loss/∂a over its own range), the contract of
 * `descent experiment init --json`. `init.all(options)` runs the course's grid (4 inits × tanh/ReLU ×
 * with/without BN) for the report, and `init.presentAll` draws it.
 */
import { initialize } from '../init/initialize.js';
import { ReLU, Tanh } from '../nn/activations.js';
import { mlp } from '../nn/builders/mlp.js';
import { randint, randn } from '../tensor/creation.js';
import { layerStats } from '../train/layer_stats.js';
import {
  INIT_ACTIVATIONS,
  INIT_CHOICES,
  INIT_SCHEMES,
  type InitActivation,
  type InitChoice,
  type InitName,
} from './init_names.js';
import { presentInit, presentInitGrid } from './init_present.js';
import { INIT_STRINGS } from './init_strings.js';
import { seeded } from './seeded.js';
import type { Experiment, ExperimentPresentation, Lang } from './types.js';

export {
  INIT_ACTIVATIONS,
  INIT_CHOICES,
  INIT_SCHEMES,
  type InitActivation,
  type InitChoice,
  type InitName,
} from './init_names.js';

export interface InitOptions {
  activation: InitActivation;
  /** One of INIT_CHOICES (the grid runs INIT_SCHEMES). */
  init: InitChoice;
  batchNorm: boolean;
  /** Hidden layers (default 10). */
  layers: number;
  /** Units per hidden layer and input dimension (default 100). */
  width: number;
  /** Samples in the batch (default 1000). */
  batch: number;
  seed: number;
}

export interface InitLayer {
  /** Counted from 1. */
  layer: number;
  mean: number;
  std: number;
  saturatedFraction: number;
  deadFraction: number;
  gradStd: number;
  histogram: { edges: number[]; counts: number[] };
  /** ∂loss/∂a over its own [min, max], 40 bins. */
  gradHistogram: { edges: number[]; counts: number[] };
}

/** The JSON contract of `descent experiment init --json`. */
export interface InitResult {
  layers: InitLayer[];
}

const CLASSES = 10;
const BINS = 40;

function check(o: InitOptions): void {
  if (!INIT_ACTIVATIONS.includes(o.activation))
    throw new RangeError(
      `init: activation must be one of ${INIT_ACTIVATIONS.join(', ')}, got ${JSON.stringify(o.activation)}`,
    );
  if (!INIT_CHOICES.includes(o.init))
    throw new RangeError(
      `init: init must be one of ${INIT_CHOICES.join(', ')}, got ${JSON.stringify(o.init)}`,
    );
  if (typeof o.batchNorm !== 'boolean')
    throw new TypeError(`init: batchNorm must be true or false, got ${JSON.stringify(o.batchNorm)}`);
  for (const k of ['layers', 'width', 'batch'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1)
      throw new RangeError(`init: ${k} must be a positive integer, got ${JSON.stringify(o[k])}`);
  }
  if (o.batchNorm && o.batch < 2) throw new RangeError('init: batch norm needs a batch of at least 2');
  if (!Number.isSafeInteger(o.seed)) throw new RangeError(`init: seed must be an integer, got ${o.seed}`);
}

function run(options: Partial<InitOptions> = {}): InitResult {
  const o = { ...defaults, ...options };
  check(o);
  return seeded(o.seed, () => {
    const model = mlp({
      sizes: [o.width, ...Array<number>(o.layers).fill(o.width), CLASSES],
      activation: o.activation,
      batchNorm: o.batchNorm,
    });
    initialize(model, o.init);
    const x = randn([o.batch, o.width]);
    const y = randint(0, CLASSES, [o.batch]);
    // By class, not by constructor.name: a minified browser bundle (the lab) renames classes.
    const activationType = o.activation === 'tanh' ? Tanh : ReLU;
    const stats = layerStats(model, x, {
      y,
      loss: 'crossEntropy',
      bins: BINS,
      range: o.activation === 'tanh' ? [-1, 1] : undefined,
      mode: 'train',
      layers: (_name, m) => m instanceof activationType,
    });
    return {
      layers: stats.map((s, i) => ({
        layer: i + 1,
        mean: s.mean,
        std: s.std,
        saturatedFraction: s.saturatedFraction,
        deadFraction: s.deadFraction,
        gradStd: s.gradStd ?? Number.NaN,
        histogram: { edges: s.histogram.edges, counts: s.histogram.counts },
        gradHistogram: { edges: s.gradHistogram?.edges ?? [], counts: s.gradHistogram?.counts ?? [] },
      })),
    };
  });
}

const defaults: InitOptions = {
  activation: 'tanh',
  init: 'xavier',
  batchNorm: false,
  layers: 10,
  width: 100,
  batch: 1000,
  seed: 0,
};

export interface InitGridOptions {
  activations: InitActivation[];
  inits: InitName[];
  batchNorm: boolean[];
  layers: number;
  width: number;
  batch: number;
  seed: number;
}

export interface InitGridEntry {
  activation: InitActivation;
  init: InitName;
  batchNorm: boolean;
  layers: InitLayer[];
}

export interface InitGridResult {
  layers: number;
  width: number;
  batch: number;
  seed: number;
  runs: InitGridEntry[];
}

const gridDefaults: InitGridOptions = {
  activations: [...INIT_ACTIVATIONS],
  inits: [...INIT_SCHEMES],
  batchNorm: [false, true],
  layers: defaults.layers,
  width: defaults.width,
  batch: defaults.batch,
  seed: defaults.seed,
};

/** The course's grid: every activation × init × batch-norm choice, each run with the same seed. */
function all(options: Partial<InitGridOptions> = {}): InitGridResult {
  const o = { ...gridDefaults, ...options };
  const runs: InitGridEntry[] = [];
  for (const activation of o.activations)
    for (const batchNorm of o.batchNorm)
      for (const initName of o.inits) {
        const r = run({
          activation,
          init: initName,
          batchNorm,
          layers: o.layers,
          width: o.width,
          batch: o.batch,
          seed: o.seed,
        });
        runs.push({ activation, init: initName, batchNorm, layers: r.layers });
      }
  return { layers: o.layers, width: o.width, batch: o.batch, seed: o.seed, runs };
}

export { worstRatio } from './init_present.js';

export interface InitExperiment extends Experiment<InitOptions, InitResult> {
  /** The course's grid of configurations, for the report. */
  all(options?: Partial<InitGridOptions>): InitGridResult;
  readonly gridDefaults: InitGridOptions;
  presentAll(result: InitGridResult, lang: Lang): ExperimentPresentation;
}

export const init: InitExperiment = {
  name: 'init',
  title: INIT_STRINGS.title,
  defaults,
  run,
  present: presentInit,
  all,
  gridDefaults,
  presentAll: presentInitGrid,
};

/**
 * The grid as an experiment of its own (same name), for a report that runs every experiment at its
 * defaults: `run` is `init.all`, `present` is `init.presentAll`.
 */
export const initGrid: Experiment<InitGridOptions, InitGridResult> = {
  name: 'init',
  title: INIT_STRINGS.title,
  defaults: gridDefaults,
  run: all,
  present: presentInitGrid,
};
