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
 *   'he' Var W = 4/(fanIn + fanOut) (the course's He).
 *
 * One forward pass records each hidden layer's activations a (after the nonlinearity): mean, std,
 * saturatedFraction = #{|a| > 0.99}/n (meaningful for tanh), deadFraction = #{a = 0}/n (for ReLU) and
 * a 40-bin histogram (over [−1, 1] for tanh, over the layer's [min, max] for ReLU). One backward pass
 * of the cross-entropy of the head's logits against uniformly random labels (seeded; chance-level
 * targets, so the loss only carries a gradient of the usual size back) gives gradStd, the std of
 * ∂loss/∂a at each hidden layer.
 *
 * `init.run(options)` returns exactly `{ layers: [{ layer, mean, std, saturatedFraction, deadFraction,
 * gradStd, histogram: { edges, counts } }, …] }` (layers counted from 1), the contract of
 * `descent experiment init --json`. `init.all(options)` runs the course's grid (4 inits × tanh/ReLU ×
 * with/without BN) for the report, and `init.presentAll` draws it.
 */
import { initialize } from '../init/initialize.js';
import { mlp } from '../nn/builders/mlp.js';
import { histogramPanels, lineChart } from '../report/figures.js';
import { randint, randn } from '../tensor/creation.js';
import { layerStats } from '../train/layer_stats.js';
import { seeded } from './seeded.js';
import { type Experiment, type ExperimentPresentation, type Lang, tr } from './types.js';

export const INIT_SCHEMES = ['little-random', 'random', 'xavier', 'he'] as const;
export type InitName = (typeof INIT_SCHEMES)[number];
export const INIT_ACTIVATIONS = ['tanh', 'relu'] as const;
export type InitActivation = (typeof INIT_ACTIVATIONS)[number];

export interface InitOptions {
  activation: InitActivation;
  init: InitName;
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
  if (!INIT_SCHEMES.includes(o.init))
    throw new RangeError(
      `init: init must be one of ${INIT_SCHEMES.join(', ')}, got ${JSON.stringify(o.init)}`,
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
    const activationType = o.activation === 'tanh' ? 'Tanh' : 'ReLU';
    const stats = layerStats(model, x, {
      y,
      loss: 'crossEntropy',
      bins: BINS,
      range: o.activation === 'tanh' ? [-1, 1] : undefined,
      mode: 'train',
      layers: (_name, m) => m.constructor.name === activationType,
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

const T = {
  title: {
    en: 'Initialization: activations and gradients layer by layer',
    zh: '参数初始化：逐层的激活值与梯度',
  },
  shows: {
    en: 'Reproduces the lecture\'s 10-layer example (slides "随机数初始化", "Xavier 初始化", "He 初始化"; Glorot & Bengio 2010, He et al. 2015): with N(0, 0.01²) weights tanh activations shrink to 0 layer by layer; with N(0, 1) they saturate at ±1; Xavier keeps tanh layers spread out, He keeps ReLU layers at a constant scale, and batch normalization (Ioffe & Szegedy 2015) makes every initialization work ("受初始化的影响变弱").',
    zh: '复现课件中的 10 层网络示例（“随机数初始化”“Xavier 初始化”“He 初始化”；Glorot & Bengio 2010，He 等 2015）：权重取 N(0, 0.01²) 时 tanh 各层输出逐层趋于 0；取 N(0, 1) 时饱和于 ±1；Xavier 使 tanh 各层分布保持良好，He 使 ReLU 各层尺度不变；批正规化（Ioffe & Szegedy 2015）使各种初始化都能工作（“受初始化的影响变弱”）。',
  },
  layer: { en: 'layer', zh: '层' },
  activation: { en: 'activation value', zh: '激活值' },
  actStd: { en: 'activation std per layer', zh: '各层激活值标准差' },
  gradStd: { en: 'gradient std per layer (∂loss/∂a)', zh: '各层梯度标准差 (∂loss/∂a)' },
  std: { en: 'std', zh: '标准差' },
  histograms: { en: 'activations per layer', zh: '各层激活值分布' },
  config: { en: 'configuration', zh: '配置' },
  bn: { en: 'BN', zh: 'BN' },
  noBn: { en: 'no BN', zh: '无 BN' },
};

function configName(e: { activation: string; init: string; batchNorm: boolean }, lang: Lang): string {
  return `${e.activation}, ${e.init}, ${tr(e.batchNorm ? T.bn : T.noBn, lang)}`;
}

function histogramFigure(layers: InitLayer[], title: string, lang: Lang) {
  return histogramPanels(
    layers.map((l) => ({
      name: `${tr(T.layer, lang)} ${l.layer}`,
      edges: l.histogram.edges,
      counts: l.histogram.counts,
    })),
    { title, xTitle: tr(T.activation, lang), columns: 5 },
  );
}

function stdCharts(entries: { name: string; layers: InitLayer[] }[], titleSuffix: string, lang: Lang) {
  const xTitle = tr(T.layer, lang);
  return [
    lineChart(
      entries.map((e) => ({ name: e.name, points: e.layers.map((l): [number, number] => [l.layer, l.std]) })),
      { title: `${tr(T.actStd, lang)}${titleSuffix}`, xTitle, yTitle: tr(T.std, lang), logY: true },
    ),
    lineChart(
      entries.map((e) => ({
        name: e.name,
        points: e.layers.map((l): [number, number] => [l.layer, l.gradStd]),
      })),
      { title: `${tr(T.gradStd, lang)}${titleSuffix}`, xTitle, yTitle: tr(T.std, lang), logY: true },
    ),
  ];
}

const fmt = (v: number) => (Math.abs(v) >= 0.01 && Math.abs(v) < 1000 ? v.toFixed(3) : v.toExponential(2));

/** One configuration: its histograms, std and gradient-std charts (the run's options are not in its result). */
function present(result: InitResult, lang: Lang): ExperimentPresentation {
  const layers = result.layers;
  const first = layers[0];
  const last = layers[layers.length - 1];
  const findings =
    first && last
      ? [
          lang === 'en'
            ? `Activation std ${fmt(first.std)} at layer 1 and ${fmt(last.std)} at layer ${last.layer} (ratio ${fmt(last.std / first.std)}); gradient std ${fmt(first.gradStd)} → ${fmt(last.gradStd)}.`
            : `激活值标准差：第 1 层 ${fmt(first.std)}，第 ${last.layer} 层 ${fmt(last.std)}（比值 ${fmt(last.std / first.std)}）；梯度标准差 ${fmt(first.gradStd)} → ${fmt(last.gradStd)}。`,
        ]
      : [];
  return {
    title: tr(T.title, lang),
    shows: tr(T.shows, lang),
    findings,
    figures: [
      histogramFigure(layers, tr(T.histograms, lang), lang),
      ...stdCharts([{ name: 'std', layers }], '', lang),
    ],
    table: tableOf([{ name: '', layers }], lang),
  };
}

function tableOf(entries: { name: string; layers: InitLayer[] }[], lang: Lang) {
  const header =
    lang === 'en'
      ? [
          'configuration',
          'std L1',
          'std last',
          'last/L1',
          'saturated (L2+)',
          'dead',
          'grad std L1',
          'grad std last',
        ]
      : [
          '配置',
          '第1层标准差',
          '末层标准差',
          '末层/第1层',
          '饱和比例(第2层起)',
          '死亡比例',
          '第1层梯度标准差',
          '末层梯度标准差',
        ];
  const rows = entries.map((e) => {
    const f = e.layers[0]!;
    const l = e.layers[e.layers.length - 1]!;
    const rest = e.layers.slice(1);
    const minSat = rest.length ? Math.min(...rest.map((q) => q.saturatedFraction)) : f.saturatedFraction;
    const meanDead = e.layers.reduce((s, q) => s + q.deadFraction, 0) / e.layers.length;
    return [
      e.name,
      fmt(f.std),
      fmt(l.std),
      fmt(l.std / f.std),
      minSat.toFixed(2),
      meanDead.toFixed(2),
      fmt(f.gradStd),
      fmt(l.gradStd),
    ];
  });
  return { header, rows };
}

/** Std of every layer within a factor `k` of layer 1's. */
function within(layers: InitLayer[], k: number): boolean {
  const s1 = layers[0]!.std;
  return layers.every((l) => l.std <= k * s1 && l.std >= s1 / k);
}

/** Largest ratio max(s_l/s_1, s_1/s_l) over the layers. */
export function worstRatio(layers: readonly InitLayer[]): number {
  const s1 = layers[0]!.std;
  return Math.max(...layers.map((l) => Math.max(l.std / s1, s1 / l.std)));
}

/** The grid: histograms of every configuration, std and gradient-std charts per activation, a table. */
function presentAll(result: InitGridResult, lang: Lang): ExperimentPresentation {
  const find = (activation: string, initName: string, batchNorm: boolean) =>
    result.runs.find((r) => r.activation === activation && r.init === initName && r.batchNorm === batchNorm);
  const figures = [];
  for (const activation of INIT_ACTIVATIONS) {
    const entries = result.runs.filter((r) => r.activation === activation);
    if (entries.length === 0) continue;
    for (const e of entries)
      figures.push(histogramFigure(e.layers, `${tr(T.histograms, lang)}: ${configName(e, lang)}`, lang));
    figures.push(
      ...stdCharts(
        entries.map((e) => ({ name: `${e.init}${e.batchNorm ? ' + BN' : ''}`, layers: e.layers })),
        ` (${activation})`,
        lang,
      ),
    );
  }
  const findings: string[] = [];
  const L = result.layers;
  const en = lang === 'en';
  const lr = find('tanh', 'little-random', false);
  if (lr) {
    const r = lr.layers[L - 1]!.std / lr.layers[0]!.std;
    findings.push(
      en
        ? `tanh, N(0, 0.01²): activation std falls from ${fmt(lr.layers[0]!.std)} at layer 1 to ${fmt(lr.layers[L - 1]!.std)} at layer ${L} (${fmt(r * 100)}% of layer 1): almost every output is near 0.`
        : `tanh，N(0, 0.01²)：激活值标准差从第 1 层的 ${fmt(lr.layers[0]!.std)} 降到第 ${L} 层的 ${fmt(lr.layers[L - 1]!.std)}（第 1 层的 ${fmt(r * 100)}%）：几乎所有输出都接近 0。`,
    );
  }
  const rnd = find('tanh', 'random', false);
  if (rnd) {
    const stds = rnd.layers.map((l) => l.std);
    const sat = rnd.layers.slice(1).map((l) => l.saturatedFraction);
    findings.push(
      en
        ? `tanh, N(0, 1): layer std stays at ${fmt(Math.min(...stds))}–${fmt(Math.max(...stds))} with ${(Math.min(...sat) * 100).toFixed(0)}–${(Math.max(...sat) * 100).toFixed(0)}% of the units saturated (|a| > 0.99) from layer 2 on; ∂loss/∂a has std ${fmt(rnd.layers[L - 1]!.gradStd)} at layer ${L} and ${fmt(rnd.layers[0]!.gradStd)} at layer 1, but saturated units pass almost none of it to their weights (tanh′ ≈ 0).`
        : `tanh，N(0, 1)：各层标准差保持在 ${fmt(Math.min(...stds))}–${fmt(Math.max(...stds))}，从第 2 层起 ${(Math.min(...sat) * 100).toFixed(0)}–${(Math.max(...sat) * 100).toFixed(0)}% 的神经元饱和（|a| > 0.99）；∂loss/∂a 的标准差在第 ${L} 层为 ${fmt(rnd.layers[L - 1]!.gradStd)}，第 1 层为 ${fmt(rnd.layers[0]!.gradStd)}，但饱和神经元几乎不把梯度传给自己的权重（tanh′ ≈ 0）。`,
    );
  }
  const xt = find('tanh', 'xavier', false);
  if (xt)
    findings.push(
      en
        ? `tanh, Xavier: every layer's std within a factor ${fmt(worstRatio(xt.layers))} of layer 1 (${fmt(xt.layers[0]!.std)} → ${fmt(xt.layers[L - 1]!.std)}).`
        : `tanh，Xavier：各层标准差与第 1 层相差不超过 ${fmt(worstRatio(xt.layers))} 倍（${fmt(xt.layers[0]!.std)} → ${fmt(xt.layers[L - 1]!.std)}）。`,
    );
  const he = find('relu', 'he', false);
  const xr = find('relu', 'xavier', false);
  if (he && xr)
    findings.push(
      en
        ? `ReLU: with He every layer's std stays within a factor ${fmt(worstRatio(he.layers))} of layer 1; with Xavier it falls by a factor ${fmt(xr.layers[0]!.std / xr.layers[L - 1]!.std)} by layer ${L} (about √2 per layer, as half the units are 0).`
        : `ReLU：He 初始化下各层标准差与第 1 层相差不超过 ${fmt(worstRatio(he.layers))} 倍；Xavier 初始化下到第 ${L} 层缩小 ${fmt(xr.layers[0]!.std / xr.layers[L - 1]!.std)} 倍（一半神经元为 0，每层约缩小 √2）。`,
    );
  const bn = result.runs.filter((r) => r.batchNorm);
  if (bn.length) {
    const worst = Math.max(...bn.map((r) => worstRatio(r.layers)));
    findings.push(
      en
        ? `With batch norm, every initialization keeps every layer's std within a factor ${fmt(worst)} of layer 1 (${bn.length} configurations${bn.every((r) => within(r.layers, 2)) ? '' : '; not all within 2'}).`
        : `加入批正规化后，所有初始化方法下各层标准差与第 1 层相差不超过 ${fmt(worst)} 倍（共 ${bn.length} 种配置）。`,
    );
  }
  return {
    title: tr(T.title, lang),
    shows: tr(T.shows, lang),
    findings,
    figures,
    table: tableOf(
      result.runs.map((r) => ({ name: configName(r, lang), layers: r.layers })),
      lang,
    ),
  };
}

export interface InitExperiment extends Experiment<InitOptions, InitResult> {
  /** The course's grid of configurations, for the report. */
  all(options?: Partial<InitGridOptions>): InitGridResult;
  readonly gridDefaults: InitGridOptions;
  presentAll(result: InitGridResult, lang: Lang): ExperimentPresentation;
}

export const init: InitExperiment = {
  name: 'init',
  title: T.title,
  defaults,
  run,
  present,
  all,
  gridDefaults,
  presentAll,
};

/**
 * The grid as an experiment of its own (same name), for a report that runs every experiment at its
 * defaults: `run` is `init.all`, `present` is `init.presentAll`.
 */
export const initGrid: Experiment<InitGridOptions, InitGridResult> = {
  name: 'init',
  title: T.title,
  defaults: gridDefaults,
  run: all,
  present: presentAll,
};
