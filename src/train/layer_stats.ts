/**
 * Per-layer statistics of activations (and of their gradients) on one batch, on demand: what the
 * course's initialization experiment plots for a 10-layer network — the distribution of each layer's
 * output, how it shrinks to zero (small random weights with tanh), saturates at ±1 (large weights with
 * tanh or sigmoid) or dies (ReLU units stuck at 0).
 *
 * For every selected module (default: the leaves, i.e. modules without children, such as each Linear
 * and each Tanh of a Sequential), a forward hook reads the output a and computes, over all its elements:
 *
 *   mean, std (population: √(Σ(a − mean)²/n)), min, max,
 *   histogram: `bins` equal-width bins over `range` (default [min, max] of that layer); `edges` has
 *     bins + 1 numbers, `counts` bins integers, values outside `range` are counted in `outside`,
 *   saturatedFraction = #{|a| > saturationThreshold} / n   (default threshold 0.99; for tanh / sigmoid),
 *   deadFraction      = #{a = 0} / n                      (for ReLU).
 *
 * With `y` and `loss`, one backward pass from loss(model(x), y) gives, through a gradient hook on each
 * output, `gradMean`, `gradStd` and `gradHistogram` (over the gradient's own [min, max]) of ∂loss/∂a
 * (the backward half of the experiment: vanishing or exploding gradients).
 *
 * No side effects: it runs in the model's current mode (or `mode`), and afterwards puts back every
 * buffer (BatchNorm's running statistics), every parameter's gradient, the default random generator
 * (dropout) and every module's mode. A module called several times in one forward gets one entry per
 * call (`name`, then `name#2`, …).
 *
 * @example
 * const net = mlp({ sizes: [100, ...Array(9).fill(100), 10], activation: 'tanh' });
 * initialize(net, 'little-random');
 * const stats = layerStats(net, randn([256, 100]), { range: [-1, 1], bins: 40 });
 * stats.filter((s) => s.type === 'Tanh').map((s) => s.std); // shrinking layer by layer
 */

import { noGrad } from '../autograd/tape.js';
import { registerGradHook } from '../nn/grad_hook.js';
import type { Module } from '../nn/module.js';
import { clone } from '../ops/shape_ops.js';
import { getDefaultGenerator } from '../tensor/random.js';
import { scope } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, type OptionKeys } from '../util/options.js';
import { describeValue } from './batches.js';
import { resolveLoss } from './metrics.js';
import { saveModes } from './mode.js';
import type { LossFn, LossSpec } from './types.js';

export interface Histogram {
  /** bins + 1 increasing bin edges; bin k is [edges[k], edges[k+1]) (the last one closed). */
  edges: number[];
  counts: number[];
  /** Values outside [edges[0], edges[bins]] (only with an explicit `range`). */
  outside: number;
}

export interface LayerStats {
  /** The module's dotted name in the model ('' for the model itself), `#2`… for repeated calls. */
  name: string;
  /** The module's class, e.g. 'Linear', 'Tanh'. */
  type: string;
  /** The output's shape. */
  shape: number[];
  mean: number;
  std: number;
  min: number;
  max: number;
  histogram: Histogram;
  saturatedFraction: number;
  deadFraction: number;
  /** Mean of ∂loss/∂output (only with `y` and `loss`, and when the output requires grad). */
  gradMean?: number;
  /** Population std of ∂loss/∂output (same conditions). */
  gradStd?: number;
  /** Histogram of ∂loss/∂output over its own [min, max], `bins` bins (same conditions). */
  gradHistogram?: Histogram;
}

export interface LayerStatsOptions {
  /** Targets: with `loss`, one backward pass adds gradient statistics. */
  y?: Tensor;
  loss?: LossSpec;
  /** Histogram bins (default 40). */
  bins?: number;
  /** Histogram range shared by every layer (default: each layer's [min, max]). */
  range?: readonly [number, number];
  /** |a| above this counts as saturated (default 0.99). */
  saturationThreshold?: number;
  /** Which modules to measure (default: those without children). */
  layers?: (name: string, module: Module) => boolean;
  /** Run in 'train' or 'eval' mode (default: the model's current mode). */
  mode?: 'train' | 'eval';
}

const KEYS: OptionKeys<LayerStatsOptions> = {
  y: true,
  loss: true,
  bins: true,
  range: true,
  saturationThreshold: true,
  layers: true,
  mode: true,
};

/** `layerStats`'s options checked and defaulted. */
interface Probe {
  who: string;
  bins: number;
  range: readonly [number, number] | undefined;
  threshold: number;
  mode: 'train' | 'eval' | undefined;
  /** null: activations only (no `y` and `loss`). */
  lossFn: LossFn | null;
  y: Tensor | undefined;
  select: (name: string, module: Module) => boolean;
}

/** Per-layer statistics of `model` on the batch `x`; see the module comment. */
export function layerStats(model: Module, x: Tensor, options: LayerStatsOptions = {}): LayerStats[] {
  const probe = resolveProbe(model, x, options);
  const entries: LayerStats[] = [];
  const handles = installHooks(model, probe, entries);
  const restoreModes = saveModes(model);
  const rng = getDefaultGenerator().getState();
  try {
    if (probe.mode !== undefined) model.train(probe.mode === 'train');
    scope(() => passWithoutSideEffects(model, x, probe));
  } finally {
    for (const h of handles) h.remove();
    getDefaultGenerator().setState(rng);
    restoreModes();
  }
  return entries;
}

function resolveProbe(model: Module, x: Tensor, options: LayerStatsOptions): Probe {
  const who = 'layerStats';
  if (
    typeof (model as Module | null)?.call !== 'function' ||
    typeof (model as Module).namedModules !== 'function'
  ) {
    throw new TypeError(`${who}: model must be a Module, got ${describeValue(model)}`);
  }
  if (!(x instanceof Tensor)) throw new TypeError(`${who}: x must be a Tensor, got ${describeValue(x)}`);
  checkOptions(who, options, KEYS);
  const bins = options.bins ?? 40;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`${who}: bins must be a positive integer, got ${describeValue(bins)}`);
  }
  const range = options.range;
  if (range !== undefined && !(Array.isArray(range) && range.length === 2 && range[0] < range[1])) {
    throw new RangeError(`${who}: range must be [low, high] with low < high, got ${describeValue(range)}`);
  }
  const threshold = options.saturationThreshold ?? 0.99;
  if (typeof threshold !== 'number' || !(threshold >= 0)) {
    throw new RangeError(
      `${who}: saturationThreshold must be a non-negative number, got ${describeValue(threshold)}`,
    );
  }
  const mode = options.mode;
  if (mode !== undefined && mode !== 'train' && mode !== 'eval') {
    throw new RangeError(`${who}: mode must be 'train' or 'eval', got ${describeValue(mode)}`);
  }
  const withGrads = options.y !== undefined || options.loss !== undefined;
  if (withGrads && !(options.y instanceof Tensor)) {
    throw new TypeError(
      `${who}: gradient statistics need both y (a Tensor) and loss; y is ${describeValue(options.y)}`,
    );
  }
  const lossFn = withGrads ? resolveLoss(who, options.loss) : null;
  const select = options.layers ?? ((_name: string, m: Module) => [...m.children()].length === 0);
  return { who, bins, range, threshold, mode, lossFn, y: options.y, select };
}

/**
 * A forward hook on each selected module that pushes its output's entry onto `entries` (and, with a
 * loss, a gradient hook that fills in the entry's gradient statistics during the backward pass).
 */
function installHooks(model: Module, probe: Probe, entries: LayerStats[]): { remove(): void }[] {
  const { bins, range, threshold, lossFn } = probe;
  const calls = new Map<Module, number>();
  return [...model.namedModules()]
    .filter(([name, m]) => probe.select(name, m))
    .map(([name, m]) =>
      m.registerForwardHook((module, _input, output) => {
        const count = (calls.get(module) ?? 0) + 1;
        calls.set(module, count);
        const entry: LayerStats = {
          name: count === 1 ? name : `${name}#${count}`,
          type: module.constructor.name,
          shape: [...output.shape],
          ...activationStats(output.data(), bins, range, threshold),
        };
        entries.push(entry);
        if (lossFn !== null && output.requiresGrad) {
          registerGradHook(output, (g) => {
            const s = activationStats(g.data(), bins, undefined, threshold);
            entry.gradMean = s.mean;
            entry.gradStd = s.std;
            entry.gradHistogram = s.histogram;
          });
        }
      }),
    );
}

/** The forward pass (and backward, with a loss), then every buffer and gradient put back as it was. */
function passWithoutSideEffects(model: Module, x: Tensor, probe: Probe): void {
  const { who, lossFn } = probe;
  const buffers = noGrad(() => model.buffers().map((b) => [b, clone(b)] as const));
  const params = model.parameters();
  const grads = noGrad(() => params.map((p) => (p.grad === null ? null : clone(p.grad))));
  try {
    if (lossFn === null) {
      noGrad(() => model.call(x));
    } else {
      const l = lossFn(model.call(x), probe.y!);
      if (!(l instanceof Tensor) || l.size !== 1) {
        throw new RangeError(`${who}: the loss must be a single number (a 0-d tensor)`);
      }
      l.backward();
    }
  } finally {
    noGrad(() => {
      for (const [b, copy] of buffers) b.assign(copy);
      params.forEach((p, i) => {
        const saved = grads[i];
        if (saved === null || saved === undefined) {
          const g = p.grad;
          p.zeroGrad({ setToNone: true });
          g?.dispose();
        } else {
          p.grad!.assign(saved);
        }
      });
    });
  }
}

function meanStd(a: ArrayLike<number>): { mean: number; std: number } {
  const n = a.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i]!;
  const mean = n === 0 ? Number.NaN : sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (a[i]! - mean) ** 2;
  return { mean, std: n === 0 ? Number.NaN : Math.sqrt(ss / n) };
}

/** The statistics of one activation tensor's values (see the module comment). */
export function activationStats(
  a: ArrayLike<number>,
  bins: number,
  range: readonly [number, number] | undefined,
  saturationThreshold: number,
): Omit<LayerStats, 'name' | 'type' | 'shape' | 'gradMean' | 'gradStd' | 'gradHistogram'> {
  const n = a.length;
  const { mean, std } = meanStd(a);
  let min = Infinity;
  let max = -Infinity;
  let saturated = 0;
  let dead = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if (Math.abs(v) > saturationThreshold) saturated += 1;
    if (v === 0) dead += 1;
  }
  let lo = range?.[0] ?? min;
  let hi = range?.[1] ?? max;
  if (n === 0 || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    lo = 0;
    hi = 1;
  } else if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + k * width));
  const counts = new Array<number>(bins).fill(0);
  let outside = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (!(v >= lo && v <= hi)) {
      outside += 1;
      continue;
    }
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]! += 1;
  }
  return {
    mean,
    std,
    min: n === 0 ? Number.NaN : min,
    max: n === 0 ? Number.NaN : max,
    histogram: { edges, counts, outside },
    saturatedFraction: n === 0 ? Number.NaN : saturated / n,
    deadFraction: n === 0 ? Number.NaN : dead / n,
  };
}
