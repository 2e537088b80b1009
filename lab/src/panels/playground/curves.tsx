/**
 * Loss and accuracy per epoch, training and validation, of this run and (dashed) of the pinned run,
 * on one epoch axis so that the two runs can be read against each other.
 */
import type { EpochRecord } from 'descent';
import { memo } from 'preact/compat';
import { PALETTE } from '../../components/canvas';
import { type CurveSeries, LineChart } from '../../components/line_chart';
import { useT } from '../../i18n/lang';
import { STRINGS } from './strings';

export interface CurveRun {
  records: EpochRecord[];
  pinned: boolean;
}

type Metric = 'Loss' | 'Accuracy';

function seriesOf(
  runs: CurveRun[],
  metric: Metric,
  epochs: number[],
  names: (run: CurveRun, split: string) => string,
) {
  const out: CurveSeries[] = [];
  for (const run of runs) {
    const byEpoch = new Map(run.records.map((r) => [r.epoch, r]));
    const dash = run.pinned ? [6, 4] : undefined;
    for (const [split, color] of [
      ['train', PALETTE[0]!],
      ['val', PALETTE[1]!],
    ] as const) {
      const key = `${split}${metric}` as keyof EpochRecord;
      const values = epochs.map((e) => (byEpoch.get(e)?.[key] as number | null | undefined) ?? null);
      // A series without values (no validation split) is left out once the run has records; before,
      // every series is there, so that the charts are not rebuilt when the first epoch arrives.
      if (run.records.length > 0 && values.every((v) => v === null)) continue;
      out.push({ label: names(run, split), values, color, ...(dash ? { dash } : {}) });
    }
  }
  return out;
}

/** Re-drawn only when a run's records change (not on batch progress). */
export const Curves = memo(function Curves({ runs }: { runs: CurveRun[] }) {
  const t = useT(STRINGS);
  const last = Math.max(1, ...runs.flatMap((r) => r.records.map((x) => x.epoch)));
  const epochs = Array.from({ length: last }, (_, i) => i + 1);
  const names = (run: CurveRun, split: string) =>
    `${split === 'train' ? t('trainSeries') : t('valSeries')}${run.pinned ? ` ${t('pinnedSuffix')}` : ''}`;
  return (
    <div
      class="pg-curves"
      data-testid="pg-curves"
      data-runs={runs.filter((r) => r.records.length > 0).length}
    >
      <LineChart
        title={t('loss')}
        x={epochs}
        series={seriesOf(runs, 'Loss', epochs, names)}
        xLabel={t('epoch')}
        yLabel={t('loss')}
        logY
        height={220}
        testId="pg-loss-chart"
      />
      <LineChart
        title={t('accuracy')}
        x={epochs}
        series={seriesOf(runs, 'Accuracy', epochs, names)}
        xLabel={t('epoch')}
        yLabel={t('accuracy')}
        height={220}
        testId="pg-accuracy-chart"
      />
    </div>
  );
});
