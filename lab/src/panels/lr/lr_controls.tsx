/** The learning-rate panel's controls: η (slider over five decades and a text field), then each part's knobs. */
import { NumberField, Select, Slider } from '../../components/controls';
import { useT } from '../../i18n/lang';
import { LR_MAX, LR_MIN, LR_OPTIMIZERS, type LrState, SURFACES } from './state';
import { LR_STRINGS } from './strings';

type Update = (patch: Partial<LrState>) => void;

function LrControls({ s, update }: { s: LrState; update: Update }) {
  const t = useT(LR_STRINGS);
  const positive = (v: number) => (v > 0 ? null : t('lrNotPositive'));
  return (
    <fieldset>
      <Slider
        label={t('lr')}
        value={Math.min(LR_MAX, Math.max(LR_MIN, s.lr))}
        min={LR_MIN}
        max={LR_MAX}
        log
        onInput={(lr) => update({ lr })}
        testId="lr-slider"
      />
      <NumberField
        label={t('lrField')}
        value={s.lr}
        check={positive}
        onChange={(lr) => update({ lr })}
        notANumber={t('notANumber')}
        testId="lr-input"
      />
      <NumberField
        label={t('seed')}
        value={s.seed}
        integer
        onChange={(seed) => update({ seed })}
        notANumber={t('notANumber')}
        testId="lr-seed"
      />
    </fieldset>
  );
}

function SurfaceControls({ s, update }: { s: LrState; update: Update }) {
  const t = useT(LR_STRINGS);
  return (
    <fieldset>
      <legend>{t('surfaceTitle')}</legend>
      <Select
        label={t('optimizer')}
        value={s.optimizer}
        options={LR_OPTIMIZERS.map((o) => ({ value: o, label: o }))}
        onChange={(optimizer) => update({ optimizer })}
        testId="lr-optimizer"
      />
      <Select
        label={t('surface')}
        value={s.fn}
        options={SURFACES.map((f) => ({ value: f, label: f }))}
        onChange={(fn) => update({ fn })}
        testId="lr-fn"
      />
      {s.fn === 'quadratic' && (
        <Slider
          label={t('condition')}
          value={s.condition}
          min={1}
          max={1000}
          log
          onInput={(condition) => update({ condition })}
          testId="lr-condition"
        />
      )}
      <Slider
        label={t('steps')}
        value={s.steps}
        min={1}
        max={300}
        step={1}
        onInput={(steps) => update({ steps })}
        testId="lr-steps"
      />
    </fieldset>
  );
}

function NetworkControls({ s, update }: { s: LrState; update: Update }) {
  const t = useT(LR_STRINGS);
  return (
    <fieldset>
      <legend>{t('networkTitle')}</legend>
      <Select
        label={t('optimizer')}
        value={s.netOptimizer}
        options={LR_OPTIMIZERS.map((o) => ({ value: o, label: o }))}
        onChange={(netOptimizer) => update({ netOptimizer })}
        testId="lr-net-optimizer"
      />
      <Slider
        label={t('epochs')}
        value={s.epochs}
        min={1}
        max={40}
        step={1}
        onInput={(epochs) => update({ epochs })}
        testId="lr-epochs"
      />
      <Slider
        label={t('rangeStart')}
        value={s.startLr}
        min={1e-8}
        max={1e-2}
        log
        onInput={(startLr) => update({ startLr })}
        testId="lr-start"
      />
      <Slider
        label={t('rangeEnd')}
        value={s.endLr}
        min={1e-2}
        max={100}
        log
        onInput={(endLr) => update({ endLr })}
        testId="lr-end"
      />
      <Slider
        label={t('rangeSteps')}
        value={s.sweepSteps}
        min={10}
        max={300}
        step={10}
        onInput={(sweepSteps) => update({ sweepSteps })}
        testId="lr-sweep-steps"
      />
    </fieldset>
  );
}

function ScheduleControls({ s, update }: { s: LrState; update: Update }) {
  const t = useT(LR_STRINGS);
  return (
    <fieldset>
      <legend>{t('schedulesTitle')}</legend>
      <Slider
        label={t('scheduleSteps')}
        value={s.scheduleSteps}
        min={20}
        max={1000}
        step={10}
        onInput={(scheduleSteps) => update({ scheduleSteps })}
        testId="lr-schedule-steps"
      />
      <Slider
        label={t('stepSize')}
        value={s.stepSize}
        min={1}
        max={500}
        step={1}
        onInput={(stepSize) => update({ stepSize })}
        testId="lr-step-size"
      />
      <Slider
        label={t('gamma')}
        value={s.gamma}
        min={0.05}
        max={1}
        step={0.05}
        onInput={(gamma) => update({ gamma })}
        testId="lr-gamma"
      />
      <Slider
        label={t('warmupSteps')}
        value={s.warmupSteps}
        min={1}
        max={200}
        step={1}
        onInput={(warmupSteps) => update({ warmupSteps })}
        testId="lr-warmup"
      />
      <Slider
        label={t('pctStart')}
        value={s.pctStart}
        min={0.05}
        max={0.95}
        step={0.05}
        onInput={(pctStart) => update({ pctStart })}
        testId="lr-pct-start"
      />
    </fieldset>
  );
}

export function LrPanelControls(p: { s: LrState; update: Update }) {
  return (
    <div class="controls">
      <LrControls {...p} />
      <SurfaceControls {...p} />
      <NetworkControls {...p} />
      <ScheduleControls {...p} />
    </div>
  );
}
