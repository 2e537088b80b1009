/**
 * The `init` experiment's sections: for one configuration, its activation histograms and per-layer
 * std charts; for the course's grid, those of every configuration and one finding per slide of the
 * lecture. The text is in init_strings.ts; the shared presenter assembles the sections.
 */
import { histogramPanels, lineChart } from '../report/figures.js';
import type { FigureSpec } from '../report/spec_type.js';
import type { InitGridEntry, InitGridResult, InitLayer, InitResult } from './init.js';
import { INIT_ACTIVATIONS } from './init_names.js';
import { INIT_STRINGS as T } from './init_strings.js';
import { presenter, type SectionTable } from './present.js';
import type { Bilingual, Lang } from './types.js';

type Entry = { name: string; layers: InitLayer[] };

function configName(e: { activation: string; init: string; batchNorm: boolean }, lang: Lang): string {
  return `${e.activation}, ${e.init}, ${(e.batchNorm ? T.bn : T.noBn)[lang]}`;
}

function histogramFigure(layers: InitLayer[], title: string, lang: Lang) {
  return histogramPanels(
    layers.map((l) => ({
      name: `${T.layer[lang]} ${l.layer}`,
      edges: l.histogram.edges,
      counts: l.histogram.counts,
    })),
    { title, xTitle: T.activation[lang], columns: 5 },
  );
}

function stdCharts(entries: Entry[], titleSuffix: string, lang: Lang) {
  const xTitle = T.layer[lang];
  return [
    lineChart(
      entries.map((e) => ({ name: e.name, points: e.layers.map((l): [number, number] => [l.layer, l.std]) })),
      { title: `${T.actStd[lang]}${titleSuffix}`, xTitle, yTitle: T.std[lang], logY: true },
    ),
    lineChart(
      entries.map((e) => ({
        name: e.name,
        points: e.layers.map((l): [number, number] => [l.layer, l.gradStd]),
      })),
      { title: `${T.gradStd[lang]}${titleSuffix}`, xTitle, yTitle: T.std[lang], logY: true },
    ),
  ];
}

const fmt = (v: number) => (Math.abs(v) >= 0.01 && Math.abs(v) < 1000 ? v.toFixed(3) : v.toExponential(2));

function tableOf(entries: Entry[], lang: Lang): SectionTable {
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
  return { header: [...T.tableHeader[lang]], rows };
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

/** One configuration: its histograms, std and gradient-std charts (the run's options are not in its result). */
export const presentInit = presenter<InitResult>(T, {
  figures: (result, lang) => [
    histogramFigure(result.layers, T.histograms[lang], lang),
    ...stdCharts([{ name: 'std', layers: result.layers }], '', lang),
  ],
  findings: (result, lang) => {
    const layers = result.layers;
    const first = layers[0];
    const last = layers[layers.length - 1];
    if (!first || !last) return [];
    const ratio = fmt(last.std / first.std);
    const gradFirst = fmt(first.gradStd);
    return [
      T.single({
        first: fmt(first.std),
        last: fmt(last.std),
        layer: last.layer,
        ratio,
        gradFirst,
        gradLast: fmt(last.gradStd),
      })[lang],
    ];
  },
  table: (result, lang) => tableOf([{ name: '', layers: result.layers }], lang),
});

/** Per activation: the histograms of each of its configurations, then its std and gradient-std charts. */
function gridFigures(result: InitGridResult, lang: Lang): FigureSpec[] {
  const figures: FigureSpec[] = [];
  for (const activation of INIT_ACTIVATIONS) {
    const entries = result.runs.filter((r) => r.activation === activation);
    if (entries.length === 0) continue;
    for (const e of entries)
      figures.push(histogramFigure(e.layers, `${T.histograms[lang]}: ${configName(e, lang)}`, lang));
    figures.push(
      ...stdCharts(
        entries.map((e) => ({ name: `${e.init}${e.batchNorm ? ' + BN' : ''}`, layers: e.layers })),
        ` (${activation})`,
        lang,
      ),
    );
  }
  return figures;
}

/** The tanh findings: N(0, 0.01²) vanishes, N(0, 1) saturates, Xavier keeps the scale. */
function tanhFindings(
  result: InitGridResult,
  find: (a: string, i: string) => InitGridEntry | undefined,
): Bilingual[] {
  const L = result.layers;
  const out: Bilingual[] = [];
  const lr = find('tanh', 'little-random');
  if (lr) {
    const r = lr.layers[L - 1]!.std / lr.layers[0]!.std;
    out.push(
      T.littleRandom({
        first: fmt(lr.layers[0]!.std),
        last: fmt(lr.layers[L - 1]!.std),
        layers: L,
        percent: fmt(r * 100),
      }),
    );
  }
  const rnd = find('tanh', 'random');
  if (rnd) {
    const stds = rnd.layers.map((l) => l.std);
    const sat = rnd.layers.slice(1).map((l) => l.saturatedFraction);
    out.push(
      T.random({
        stdLo: fmt(Math.min(...stds)),
        stdHi: fmt(Math.max(...stds)),
        satLo: (Math.min(...sat) * 100).toFixed(0),
        satHi: (Math.max(...sat) * 100).toFixed(0),
        layers: L,
        gradLast: fmt(rnd.layers[L - 1]!.gradStd),
        gradFirst: fmt(rnd.layers[0]!.gradStd),
      }),
    );
  }
  const xt = find('tanh', 'xavier');
  if (xt)
    out.push(T.xavierTanh(fmt(worstRatio(xt.layers)), fmt(xt.layers[0]!.std), fmt(xt.layers[L - 1]!.std)));
  return out;
}

function gridFindings(result: InitGridResult, lang: Lang): string[] {
  const find = (activation: string, initName: string) =>
    result.runs.find((r) => r.activation === activation && r.init === initName && !r.batchNorm);
  const L = result.layers;
  const out = tanhFindings(result, find);
  const he = find('relu', 'he');
  const xr = find('relu', 'xavier');
  if (he && xr)
    out.push(T.relu(fmt(worstRatio(he.layers)), fmt(xr.layers[0]!.std / xr.layers[L - 1]!.std), L));
  const bn = result.runs.filter((r) => r.batchNorm);
  if (bn.length) {
    const worst = Math.max(...bn.map((r) => worstRatio(r.layers)));
    out.push(
      T.batchNorm(
        fmt(worst),
        bn.length,
        bn.every((r) => within(r.layers, 2)),
      ),
    );
  }
  return out.map((text) => text[lang]);
}

/** The grid: histograms of every configuration, std and gradient-std charts per activation, a table. */
export const presentInitGrid = presenter<InitGridResult>(T, {
  figures: gridFigures,
  findings: gridFindings,
  table: (result, lang) =>
    tableOf(
      result.runs.map((r) => ({ name: configName(r, lang), layers: r.layers })),
      lang,
    ),
});
