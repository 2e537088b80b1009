/**
 * The `optimizers-mnist` experiment's section: the training loss per epoch and per step of every
 * optimizer, their ranking, Adam's place and the test accuracies, and a table. The text is in
 * optimizers_mnist_strings.ts; the shared presenter assembles the section.
 */
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import type { FigureSpec } from '../report/spec_type.js';
import { movingAverage } from './mlp_runs.js';
import type { OptimizersMnistResult, OptimizersMnistRun } from './optimizers_mnist.js';
import { OPTIMIZERS_MNIST_STRINGS as T } from './optimizers_mnist_strings.js';
import { presenter, type SectionTable } from './present.js';
import type { Lang } from './types.js';

const accuracyText = (a: number) => `${(a * 100).toFixed(1)}%`;
const last = (r: OptimizersMnistRun) => r.epochLosses[r.epochLosses.length - 1] ?? Number.NaN;

function figures(result: OptimizersMnistResult, lang: Lang): FigureSpec[] {
  const names = result.runs.map((r) => r.label);
  const ordered = (spec: FigureSpec) => orderSeries(spec, names);
  const perEpoch = ordered(
    lineChart(
      result.runs.map((r) => ({
        name: r.label,
        points: r.epochLosses.map((l, k): [number, number] => [k + 1, l]),
      })),
      { title: T.epochLoss[lang], xTitle: T.epoch[lang], yTitle: T.loss[lang], logY: true },
    ),
  );
  const perStep = ordered(
    lineChart(
      result.runs.map((r) => ({
        name: r.label,
        points: movingAverage(r.stepLosses, result.smooth)
          .map((l, k): [number, number] => [(k + 1) / result.stepsPerEpoch, l ?? Number.NaN])
          .filter(([, l]) => Number.isFinite(l)),
      })),
      { title: T.stepLoss[lang], xTitle: T.epoch[lang], yTitle: T.loss[lang], logY: true },
    ),
  );
  return [perEpoch, perStep];
}

function findings(result: OptimizersMnistResult, lang: Lang): string[] {
  const ranked = [...result.runs].sort((a, b) => last(a) - last(b));
  if (!ranked.length) return [];
  const sep = T.listSeparator[lang];
  const epochs = Math.max(...result.runs.map((r) => r.epochLosses.length));
  const out = [T.ranking(epochs, ranked.map((r) => `${r.label} ${last(r).toFixed(3)}`).join(sep))[lang]];
  const adam = result.runs.find((r) => r.optimizer === 'adam');
  if (adam && adam.epochLosses.length > 0) {
    out.push(T.adamRank(ranked.indexOf(adam) + 1, ranked.length, adam.epochLosses[0]!.toFixed(3))[lang]);
  }
  const acc = result.runs.filter((r) => r.testAccuracy !== null);
  if (acc.length) {
    out.push(T.testAccuracy(acc.map((r) => `${r.label} ${accuracyText(r.testAccuracy!)}`).join(sep))[lang]);
  }
  return out;
}

function table(result: OptimizersMnistResult, lang: Lang): SectionTable {
  const rows = result.runs.map((r) => [
    r.label,
    Object.entries(r.options)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
    ...r.epochLosses.map((l) => l.toFixed(3)),
    r.testAccuracy === null ? '—' : accuracyText(r.testAccuracy),
  ]);
  return { header: T.tableHeader(result.runs[0]?.epochLosses.length ?? 0)[lang], rows };
}

/** The section of an `optimizers-mnist` result in a language. */
export const presentOptimizersMnist = presenter<OptimizersMnistResult>(T, { figures, findings, table });
