/** The surface part: the path at the chosen learning rate, its loss per step, and its export (`descent surface --json`). */

import { PALETTE } from '../../components/canvas';
import { Notice } from '../../components/controls';
import { ExportButtons } from '../../components/export_buttons';
import { LineChart } from '../../components/line_chart';
import { useT } from '../../i18n/lang';
import type { LabWorker } from '../../worker/client';
import { useJob } from '../../worker/use_job';
import { Diagnostics } from './diagnostics';
import { PathCanvas } from './path_canvas';
import type { LrState } from './state';
import { LR_STRINGS } from './strings';
import type { SurfaceJobInput, SurfaceJobResult } from './surface_job';
import { decadeTick } from './ticks';

export function SurfaceSection(p: { worker: LabWorker | undefined; state: LrState; enabled: boolean }) {
  const t = useT(LR_STRINGS);
  const s = p.state;
  const input: SurfaceJobInput = {
    fn: s.fn,
    optimizer: s.optimizer,
    lr: s.lr,
    steps: s.steps,
    condition: s.condition,
  };
  const job = useJob<SurfaceJobResult>(p.worker, 'lr.surface', input, { enabled: p.enabled });
  const r = job.result;
  return (
    <section class="figure" data-testid="lr-surface" data-fresh={job.fresh}>
      <h3>{t('surfaceTitle')}</h3>
      {job.error && <Notice kind="error">{`${t('failed')} ${job.error}`}</Notice>}
      <div class="lr-surface-row">
        <PathCanvas result={r} label={t('pathFigure')} />
        <div class="lr-surface-loss">
          <LineChart
            tickFormat={decadeTick}
            title={t('lossPerStep')}
            x={r ? r.record.loss.map((_, i) => i) : []}
            series={[{ label: t('loss'), values: r?.record.loss ?? [], color: PALETTE[1]! }]}
            xLabel={t('step')}
            yLabel={t('loss')}
            logY={s.fn === 'quadratic' || s.fn === 'rosenbrock'}
            height={220}
            testId="lr-surface-loss"
          />
        </div>
      </div>
      {r && <Diagnostics warnings={r.warnings} testId="lr-surface-diagnostics" />}
      <ExportButtons spec={{ name: `descent-surface-${s.fn}-lr-${s.lr}`, json: () => r?.record }} />
    </section>
  );
}
