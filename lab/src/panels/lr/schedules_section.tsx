/** The schedules part: step, cosine, one-cycle and warm-up as curves (lr vs step), with the specs that made them. */
import { PALETTE } from '../../components/canvas';
import { Notice } from '../../components/controls';
import { LineChart } from '../../components/line_chart';
import { useT } from '../../i18n/lang';
import type { LabWorker } from '../../worker/client';
import { useJob } from '../../worker/use_job';
import type { ScheduleCurve, ScheduleId, SchedulesJobInput } from './schedules_job';
import type { LrState } from './state';
import { LR_STRINGS, type LrKey } from './strings';
import { decadeTick } from './ticks';

const NAMES: Record<ScheduleId, LrKey> = {
  step: 'scheduleStep',
  cosine: 'scheduleCosine',
  onecycle: 'scheduleOneCycle',
  warmup: 'scheduleWarmup',
};

/** A spec as one line of text: `StepLR { stepSize: 30, gamma: 0.1 }` (+ warm-up). */
function specText(c: ScheduleCurve): string {
  const options = Object.entries(c.spec.options ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const warmup = c.spec.warmup ? ` + warmup { warmupSteps: ${c.spec.warmup.warmupSteps} }` : '';
  return `${c.spec.scheduler} { ${options} }${warmup}`;
}

export function SchedulesSection(p: { worker: LabWorker | undefined; state: LrState; enabled: boolean }) {
  const t = useT(LR_STRINGS);
  const s = p.state;
  const input: SchedulesJobInput = {
    lr: s.lr,
    steps: s.scheduleSteps,
    stepSize: s.stepSize,
    gamma: s.gamma,
    warmupSteps: s.warmupSteps,
    pctStart: s.pctStart,
  };
  const job = useJob<ScheduleCurve[]>(p.worker, 'lr.schedules', input, { enabled: p.enabled });
  const curves = job.result ?? [];
  return (
    <section class="figure" data-testid="lr-schedules" data-fresh={job.fresh}>
      <h3>{t('schedulesTitle')}</h3>
      {job.error && <Notice kind="error">{`${t('failed')} ${job.error}`}</Notice>}
      <LineChart
        tickFormat={decadeTick}
        title={t('schedulesFigure')}
        x={curves[0]?.lr.map((_, i) => i) ?? []}
        series={curves.map((c, i) => ({ label: t(NAMES[c.id]), values: c.lr, color: PALETTE[i]! }))}
        xLabel={t('step')}
        yLabel={t('lrAxis')}
        height={240}
        testId="lr-schedules-chart"
      />
      <ul class="lr-specs" data-testid="lr-schedule-specs">
        {curves.map((c) => (
          <li key={c.id}>
            <strong>{t(NAMES[c.id])}</strong>: <code>{specText(c)}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
