/**
 * Panel 2, "Learning rate" (学习率): one η on a 2-D surface, on a small network with the trainer's
 * diagnostics, in the range test and under four schedules. Every knob lives in the URL; a bad value
 * stops only the parts that use it, with a notice saying which.
 */
import { Notice } from '../../components/controls';
import { useT } from '../../i18n/lang';
import { useUrlState } from '../../state/url_state';
import { useLabWorker } from '../../worker/use_lab_worker';
import { LrPanelControls } from './lr_controls';
import { NetworkSection } from './network_section';
import { RangeSection } from './range_section';
import { SchedulesSection } from './schedules_section';
import { invalidKeys, LR_DEFAULTS, type LrState } from './state';
import { LR_STRINGS } from './strings';
import { SurfaceSection } from './surface_section';
import './lr.css';

/** The settings each part reads: a bad one disables that part only. */
const NEEDS: Record<'surface' | 'network' | 'range' | 'schedules', (keyof LrState)[]> = {
  surface: ['lr', 'fn', 'optimizer', 'condition', 'steps'],
  network: ['lr', 'netOptimizer', 'epochs', 'seed'],
  range: ['netOptimizer', 'startLr', 'endLr', 'sweepSteps', 'seed'],
  schedules: ['lr', 'scheduleSteps', 'stepSize', 'gamma', 'warmupSteps', 'pctStart'],
};

export function LrPanel() {
  const t = useT(LR_STRINGS);
  const [s, update, ignored] = useUrlState('lr', LR_DEFAULTS);
  const worker = useLabWorker();
  const bad = invalidKeys(s);
  const ok = (part: keyof typeof NEEDS) => NEEDS[part].every((k) => !bad.includes(k));
  const otherBad = bad.filter((k) => k !== 'lr');
  return (
    <div class="panel-grid lr-panel">
      <LrPanelControls s={s} update={update} />
      <div class="figures">
        <p class="lr-intro">{t('intro')}</p>
        {ignored.length > 0 && (
          <Notice kind="warning" testId="lr-ignored">
            {t('ignoredKeys')} {ignored.join(', ')}
          </Notice>
        )}
        {bad.includes('lr') && (
          <Notice kind="error" testId="lr-notice">
            {t('lrNotPositive')} (lr = {String(s.lr)})
          </Notice>
        )}
        {otherBad.length > 0 && (
          <Notice kind="error" testId="lr-invalid">
            {t('outOfRange')} {otherBad.map((k) => `${k} = ${JSON.stringify(s[k])}`).join(', ')}
          </Notice>
        )}
        <SurfaceSection worker={worker} state={s} enabled={ok('surface')} />
        <NetworkSection worker={worker} state={s} enabled={ok('network')} />
        <RangeSection worker={worker} state={s} enabled={ok('range')} useLr={(lr) => update({ lr })} />
        <SchedulesSection worker={worker} state={s} enabled={ok('schedules')} />
      </div>
    </div>
  );
}
