/**
 * The range-test part: the smoothed loss against a learning rate growing over decades (log x) on the
 * same network and data as the training run, the library's suggestion marked on the curve, and its
 * export as `descent lr-find --json`.
 */
import { PALETTE } from '../../components/canvas';
import { Button, Notice } from '../../components/controls';
import { ExportButtons } from '../../components/export_buttons';
import { LineChart } from '../../components/line_chart';
import { useT } from '../../i18n/lang';
import type { LabWorker } from '../../worker/client';
import { useJob } from '../../worker/use_job';
import type { RangeJobInput, RangeJobResult } from './range_job';
import type { LrState } from './state';
import { LR_STRINGS } from './strings';
import { decadeTick } from './ticks';

const fmt = (v: number) => v.toPrecision(3);

export function RangeSection(p: {
  worker: LabWorker | undefined;
  state: LrState;
  enabled: boolean;
  useLr: (lr: number) => void;
}) {
  const t = useT(LR_STRINGS);
  const s = p.state;
  const input: RangeJobInput = {
    optimizer: s.netOptimizer,
    startLr: s.startLr,
    endLr: s.endLr,
    steps: s.sweepSteps,
    seed: s.seed,
  };
  const job = useJob<RangeJobResult>(p.worker, 'lr.find', input, { enabled: p.enabled });
  const r = job.result?.record;
  const marked = r ? r.lrs.map((lr, i) => (lr === r.suggestion ? r.losses[i]! : null)) : [];
  return (
    <section class="figure" data-testid="lr-range" data-fresh={job.fresh}>
      <h3>{t('rangeTitle')}</h3>
      {job.result && <code class="lr-command">{job.result.command}</code>}
      {job.error && <Notice kind="error">{`${t('failed')} ${job.error}`}</Notice>}
      <LineChart
        tickFormat={decadeTick}
        title={t('rangeFigure')}
        x={r?.lrs ?? []}
        series={[
          { label: t('loss'), values: r?.losses ?? [], color: PALETTE[0]! },
          { label: t('suggestion'), values: marked, color: PALETTE[1]!, points: true },
        ]}
        xLabel={t('lrAxis')}
        yLabel={t('loss')}
        logX
        logY
        height={240}
        testId="lr-range-chart"
      />
      {r && (
        <p class="lr-suggestion" data-testid="lr-suggestion">
          {t('suggestion')}: <strong>{fmt(r.suggestion)}</strong> ({job.result!.suggestionRule}) ·{' '}
          {t('minLossLr')} {fmt(r.minLossLr)}
          {r.diverged ? `, ${t('rangeDiverged')}` : ''}{' '}
          <Button testId="lr-use-suggestion" onClick={() => p.useLr(Number(r.suggestion.toPrecision(3)))}>
            {t('useSuggestion')}
          </Button>
        </p>
      )}
      <ExportButtons spec={{ name: `descent-lr-find-spirals-${s.netOptimizer}`, json: () => r }} />
    </section>
  );
}
