/**
 * The sweep report's figures (Vega-Lite specifications, rendered by src/report/): each axis against
 * the metric, the learning curves of the top trials, and parallel coordinates of every trial.
 */
import { lineChart } from '../../report/figures.js';
import { hoverNumber } from '../../report/hover_titles.js';
import type { FigureSpec as TopLevelSpec } from '../../report/spec_type.js';
import { epochMetric } from '../metric.js';
import { EPOCH_METRICS, type SweepMetric } from '../spec_schema.js';
import type { RankedTrial, SweepAxis } from './rank.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Text the figures need, in the report's language. */
export interface FigureWords {
  against: (axis: string, metric: string) => string;
  curves: (metric: string, n: number) => string;
  parallel: string;
  epoch: string;
  normalized: string;
}

const label = (v: unknown) => (typeof v === 'number' ? hoverNumber(v) : String(v));

/** One axis's value against the metric, one point per trial that has a value; log x for a log axis. */
export function axisFigure(axis: SweepAxis, ranked: readonly RankedTrial[], metric: string, w: FigureWords) {
  const values = ranked
    .filter((r) => r.value !== null && (!axis.log || (r.trial.params[axis.name] as number) > 0))
    .map((r) => {
      const x = r.trial.params[axis.name];
      return {
        x: axis.numeric ? x : String(x),
        y: r.value,
        tip: `${r.trial.id} · ${axis.name} ${label(x)}: ${label(r.value)}`,
      };
    });
  const x = axis.numeric
    ? {
        field: 'x',
        type: 'quantitative',
        title: axis.name,
        scale: axis.log ? { type: 'log' } : { zero: false },
      }
    : { field: 'x', type: 'nominal', title: axis.name, axis: { labelAngle: 0 } };
  return {
    $schema: SCHEMA,
    title: w.against(axis.name, metric),
    width: 300,
    height: 220,
    data: { values },
    mark: { type: 'point', filled: true, size: 50 },
    encoding: {
      x,
      y: { field: 'y', type: 'quantitative', title: metric, scale: { zero: false } },
      tooltip: { field: 'tip', type: 'nominal' },
    },
  } as TopLevelSpec;
}

/** The per-epoch metric a curve shows: the sweep's metric when it is one, else the validation one. */
export function curveMetric(metric: SweepMetric): (typeof EPOCH_METRICS)[number] {
  if ((EPOCH_METRICS as readonly string[]).includes(metric)) return metric as (typeof EPOCH_METRICS)[number];
  return metric === 'testLoss' ? 'valLoss' : 'valAccuracy';
}

/** The curves of the top `count` trials that reported epochs: the curve metric per epoch. */
export function curvesFigure(
  ranked: readonly RankedTrial[],
  metric: SweepMetric,
  count: number,
  w: FigureWords,
) {
  const shown = curveMetric(metric);
  const top = ranked.filter((r) => r.value !== null && r.result.epochs.length > 0).slice(0, count);
  const series = top.map((r) => ({
    name: r.trial.id,
    points: r.result.epochs.map((e) => [e.epoch, epochMetric(e, shown)] as const),
  }));
  return lineChart(series, { title: w.curves(shown, top.length), xTitle: w.epoch, yTitle: shown });
}

/** An axis value on [0, 1]: numbers by their range (log for a log axis), categories by their order. */
function normalizer(axis: SweepAxis, ranked: readonly RankedTrial[]): (v: unknown) => number {
  const raw = ranked.map((r) => r.trial.params[axis.name]);
  if (!axis.numeric) {
    const cats = [...new Set(raw.map(String))];
    return (v) => (cats.length < 2 ? 0.5 : cats.indexOf(String(v)) / (cats.length - 1));
  }
  const f = (v: number) => (axis.log ? Math.log10(v) : v);
  const nums = (raw as number[]).map(f);
  const [lo, hi] = [Math.min(...nums), Math.max(...nums)];
  return (v) => (hi === lo ? 0.5 : (f(v as number) - lo) / (hi - lo));
}

/**
 * Parallel coordinates: one line per trial across the axes and the metric, each normalized to
 * [0, 1] (log axes by their logarithm, categories by their order), coloured by the metric.
 * Vega-Lite's fold turns each trial's columns into (axis, value) rows that a line joins.
 */
export function parallelFigure(
  axes: readonly SweepAxis[],
  ranked: readonly RankedTrial[],
  metric: string,
  w: FigureWords,
) {
  const rated = ranked.filter((r) => r.value !== null);
  const norms = axes.map((a) => normalizer(a, rated));
  const vals = rated.map((r) => r.value as number);
  const [lo, hi] = [Math.min(...vals), Math.max(...vals)];
  // The trial and its raw value under names no axis can have (axes are run config keys and seed).
  const rows = rated.map((r) => {
    const row: Record<string, unknown> = { _trial: r.trial.id, _value: r.value };
    axes.forEach((a, k) => {
      row[a.name] = norms[k]!(r.trial.params[a.name]);
    });
    row[metric] = hi === lo ? 0.5 : ((r.value as number) - lo) / (hi - lo);
    return row;
  });
  const fields = [...axes.map((a) => a.name), metric];
  return {
    $schema: SCHEMA,
    title: w.parallel,
    width: Math.max(300, 110 * fields.length),
    height: 240,
    data: { values: rows },
    transform: [{ fold: fields, as: ['axis', 'value'] }],
    mark: { type: 'line', opacity: 0.8 },
    encoding: {
      x: { field: 'axis', type: 'nominal', sort: fields, title: null, axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: w.normalized, scale: { domain: [0, 1] } },
      color: { field: '_value', type: 'quantitative', title: metric, scale: { scheme: 'viridis' } },
      detail: { field: '_trial', type: 'nominal' },
      tooltip: [
        { field: '_trial', type: 'nominal', title: 'trial' },
        { field: '_value', type: 'quantitative', title: metric },
      ],
    },
  } as TopLevelSpec;
}
