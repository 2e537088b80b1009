/**
 * The `transfer` experiment's section: test accuracy per epoch of each case's runs (small multiples),
 * the final accuracies side by side, the findings and a table. The text is in transfer_strings.ts;
 * the shared presenter assembles the section.
 */
import type { FigureSpec } from '../report/spec_type.js';
import { pct, presenter, type SectionTable } from './present.js';
import type { TransferCaseResult, TransferResult, TransferRun, TransferStrategy } from './transfer.js';
import { TRANSFER_STRINGS as T } from './transfer_strings.js';
import type { Lang } from './types.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const STRATEGIES: readonly TransferStrategy[] = ['transfer', 'scratch', 'top-features'];
const strategyLabel = (s: TransferStrategy, lang: Lang) => T.strategy[s][lang];
const strategyOrder = (lang: Lang) => STRATEGIES.map((s) => strategyLabel(s, lang));
const caseLabel = (c: TransferCaseResult, lang: Lang) => T.shortCases[c.id][lang];
const weights = (n: number, lang: Lang) => n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');

/** Per case, test accuracy against epoch for each of its runs. */
function curvesFigure(result: TransferResult, lang: Lang): FigureSpec {
  const values = result.cases.flatMap((c) =>
    c.runs.flatMap((r) =>
      r.epochs.map((e) => ({
        case: caseLabel(c, lang),
        network: strategyLabel(r.strategy, lang),
        epoch: e.epoch,
        accuracy: e.testAccuracy,
      })),
    ),
  );
  return {
    $schema: SCHEMA,
    title: T.curvesTitle[lang],
    data: { values },
    facet: { field: 'case', type: 'nominal', title: null, sort: result.cases.map((c) => caseLabel(c, lang)) },
    columns: 2,
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 220,
      height: 140,
      mark: { type: 'line' },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: T.epoch[lang] },
        y: { field: 'accuracy', type: 'quantitative', title: T.accuracy[lang] },
        color: { field: 'network', type: 'nominal', title: T.strategyTitle[lang], sort: strategyOrder(lang) },
      },
    },
  };
}

/** Grouped bars: the final test accuracy of every run, per case. */
function barsFigure(result: TransferResult, lang: Lang): FigureSpec {
  const values = result.cases.flatMap((c) =>
    c.runs.map((r) => ({
      case: caseLabel(c, lang),
      network: strategyLabel(r.strategy, lang),
      accuracy: r.testAccuracy,
    })),
  );
  return {
    $schema: SCHEMA,
    title: T.barsTitle[lang],
    width: 420,
    height: 220,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: {
        field: 'case',
        type: 'nominal',
        title: null,
        sort: result.cases.map((c) => caseLabel(c, lang)),
        axis: { labelAngle: 0 },
      },
      xOffset: { field: 'network', type: 'nominal', sort: strategyOrder(lang) },
      y: { field: 'accuracy', type: 'quantitative', title: T.accuracy[lang], scale: { domain: [0, 1] } },
      color: { field: 'network', type: 'nominal', title: T.strategyTitle[lang], sort: strategyOrder(lang) },
    },
  };
}

function figures(result: TransferResult, lang: Lang): FigureSpec[] {
  return [curvesFigure(result, lang), barsFigure(result, lang)];
}

const runOf = (c: TransferCaseResult, s: TransferStrategy): TransferRun | undefined =>
  c.runs.find((r) => r.strategy === s);

function caseFindings(c: TransferCaseResult, lang: Lang): string[] {
  const out: string[] = [];
  const transfer = runOf(c, 'transfer');
  const scratch = runOf(c, 'scratch');
  if (transfer && scratch) {
    out.push(
      T.caseFinding({
        label: T.cases[c.id][lang],
        size: c.trainSize,
        epochs: c.epochs,
        transfer: pct(transfer.testAccuracy),
        scratch: pct(scratch.testAccuracy),
        gap: (100 * (transfer.testAccuracy - scratch.testAccuracy)).toFixed(1),
        frozen: weights(transfer.frozenWeights, lang),
        trained: weights(transfer.trainedWeights, lang),
        better: transfer.testAccuracy > scratch.testAccuracy,
      })[lang],
    );
  }
  const top = runOf(c, 'top-features');
  if (transfer && top) {
    out.push(
      T.earlyVsTop({
        early: pct(transfer.testAccuracy),
        top: pct(top.testAccuracy),
        earlier: transfer.testAccuracy > top.testAccuracy,
      })[lang],
    );
  }
  return out;
}

function findings(result: TransferResult, lang: Lang): string[] {
  const source = T.source({
    size: result.sourceSize,
    classes: result.sizes[result.sizes.length - 1]!,
    accuracy: pct(result.source.testAccuracy),
  })[lang];
  return [source, ...result.cases.flatMap((c) => caseFindings(c, lang))];
}

function table(result: TransferResult, lang: Lang): SectionTable {
  const rows = result.cases.flatMap((c) =>
    c.runs.map((r) => [
      caseLabel(c, lang),
      c.trainSize,
      strategyLabel(r.strategy, lang),
      r.strategy === 'scratch' ? '—' : `${r.keep} / ${r.tune}`,
      weights(r.frozenWeights, lang),
      weights(r.trainedWeights, lang),
      pct(r.testAccuracy),
    ]),
  );
  return { header: [...T.tableHeader[lang]], rows };
}

/** The section of a `transfer` result in a language. */
export const presentTransfer = presenter<TransferResult>(T, { figures, findings, table });
