/**
 * The panel's figures: the contour plot with the paths (PNG export; the JSON export is the array of
 * `descent surface --json` records, one per optimizer that ran), the loss per step (log scale where
 * the surface is ≥ 0) and the distance to the nearest critical point per step.
 */
import { useRef } from 'preact/hooks';
import { ExportButtons } from '../../components/export_buttons';
import { LineChart } from '../../components/line_chart';
import { COMMON } from '../../i18n/common';
import { useT } from '../../i18n/lang';
import { ContourCanvas } from './contour_canvas';
import { pathColor } from './draw';
import { fill, STRINGS } from './strings';
import type { Figure, RunSpec, RunsResult } from './types';

/** Surfaces that go negative: no log scale for their loss. */
const SIGNED = new Set(['saddle', 'monkey-saddle']);

interface Props {
  fn: string;
  figure: Figure;
  runs: RunSpec[];
  result: RunsResult | undefined;
  start: [number, number];
  frame: number;
  /** False while the worker recomputes for newer settings. */
  fresh: boolean;
  onStart: (x: number, y: number) => void;
}

/** Each run's values up to the animation's frame, gaps after it, so the charts move with the paths. */
function upToFrame(values: number[], frame: number): (number | null)[] {
  return values.map((v, k) => (k <= frame ? v : null));
}

export function Figures(p: Props) {
  const t = useT(STRINGS);
  const c = useT(COMMON);
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const done = (p.result?.outcomes ?? []).map((o, i) => ({ o, i })).filter(({ o }) => 'record' in o);
  const records = done.map(({ o }) => ('record' in o ? o.record : null)!);
  const series = (pick: (i: number) => number[]) =>
    done.map(({ i }) => ({
      label: `${i + 1}. ${p.runs[i]?.optimizer}`,
      color: pathColor(i),
      values: upToFrame(pick(i), p.frame),
    }));
  const outcome = (i: number) => p.result!.outcomes[i] as { record: { loss: number[] }; distance: number[] };
  const x = Array.from({ length: records[0]?.loss.length ?? 1 }, (_, k) => k);
  return (
    <div class="figures">
      <section class="figure">
        <h3>
          {t('contour')}: <span class="paths-surface-formula">f = {p.figure.formula}</span>
        </h3>
        <ContourCanvas
          figure={p.figure}
          paths={done.map(({ o, i }) => ({
            points: 'record' in o ? o.record.trajectory : [],
            color: pathColor(i),
          }))}
          start={p.start}
          frame={p.frame}
          label={t('contourLabel')}
          onStart={p.onStart}
          canvasRef={canvas}
        />
        <p class="paths-legend">{t('legendStart')}</p>
        <ExportButtons
          spec={{ name: `descent-surface-${p.fn}`, json: () => records, canvas: () => canvas.current }}
        />
        {p.result && (
          <p class="paths-timing" data-testid="paths-timing">
            {fill(t('timing'), {
              steps: records[0]?.steps ?? 0,
              count: p.result.outcomes.length,
              ms: p.result.ms.toFixed(1),
            })}
            {p.fresh ? '' : ` · ${c('working')}`}
          </p>
        )}
      </section>
      <section class="figure">
        <LineChart
          title={t('loss')}
          x={x}
          series={series((i) => outcome(i).record.loss)}
          xLabel={t('stepAxis')}
          yLabel={t('lossAxis')}
          logY={!SIGNED.has(p.fn)}
          testId="paths-loss-chart"
        />
      </section>
      <section class="figure">
        <LineChart
          title={t('distance')}
          x={x}
          series={series((i) => outcome(i).distance)}
          xLabel={t('stepAxis')}
          yLabel={t('distanceAxis')}
          logY
          testId="paths-distance-chart"
        />
      </section>
    </div>
  );
}
