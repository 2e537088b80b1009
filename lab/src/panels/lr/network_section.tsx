/**
 * The network part: a small MLP on spirals trained at the chosen learning rate (the same run as the
 * `descent train` command shown), its loss per epoch drawn live, the trainer's warnings in words, and
 * its export as the `descent train --json` lines.
 */
import { PALETTE } from '../../components/canvas';
import { Notice } from '../../components/controls';
import { ExportButtons } from '../../components/export_buttons';
import { LineChart } from '../../components/line_chart';
import { useT } from '../../i18n/lang';
import type { LabWorker } from '../../worker/client';
import { useJob } from '../../worker/use_job';
import { Diagnostics } from './diagnostics';
import type { LrState } from './state';
import { LR_STRINGS } from './strings';
import { decadeTick } from './ticks';
import type { EpochLine, TrainJobInput, TrainJobResult } from './train_job';

export function NetworkSection(p: { worker: LabWorker | undefined; state: LrState; enabled: boolean }) {
  const t = useT(LR_STRINGS);
  const s = p.state;
  const input: TrainJobInput = { lr: s.lr, optimizer: s.netOptimizer, epochs: s.epochs, seed: s.seed };
  const job = useJob<TrainJobResult, TrainJobResult>(p.worker, 'lr.train', input, { enabled: p.enabled });
  const shown = job.result ?? job.progress;
  const epochs = (shown?.lines ?? []).filter((l): l is EpochLine => !('final' in l));
  return (
    <section class="figure" data-testid="lr-network" data-fresh={job.fresh}>
      <h3>{t('networkTitle')}</h3>
      {shown && <code class="lr-command">{shown.command}</code>}
      {job.error && <Notice kind="error">{`${t('failed')} ${job.error}`}</Notice>}
      <LineChart
        tickFormat={decadeTick}
        title={t('lossPerEpoch')}
        x={epochs.map((e) => e.epoch)}
        series={[
          { label: t('trainLoss'), values: epochs.map((e) => e.trainLoss), color: PALETTE[0]! },
          { label: t('valLoss'), values: epochs.map((e) => e.valLoss), color: PALETTE[3]!, dash: [6, 4] },
        ]}
        xLabel={t('epoch')}
        yLabel={t('loss')}
        logY
        height={220}
        testId="lr-network-loss"
      />
      {job.result && <Diagnostics warnings={job.result.warnings} testId="lr-network-diagnostics" />}
      <ExportButtons
        spec={{ name: `descent-train-spirals-lr-${s.lr}`, json: () => job.result?.lines, jsonLines: true }}
      />
    </section>
  );
}
