/**
 * The playground's controls, grouped as the course does (data, architecture, optimizer and schedule,
 * regularization, training). Each edits one RunConfig key; a field the user cannot have meant (a
 * learning rate of 0, a width list with a letter) is refused next to the field and not passed on.
 */
import { ACTIVATIONS, INITS, OPTIMIZER_NAMES, SCHEDULES } from 'descent';
import { memo } from 'preact/compat';
import { useEffect, useState } from 'preact/hooks';
import { Checkbox, NumberField, Select } from '../../components/controls';
import { COMMON } from '../../i18n/common';
import { useT } from '../../i18n/lang';
import {
  LAB_DATA,
  NOISE_LEVELS,
  type PlaygroundSettings,
  parseWidths,
  takesMomentum,
  takesNesterov,
} from './settings';
import { STRINGS } from './strings';

type Update = (patch: Partial<PlaygroundSettings>) => void;

const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

function HiddenField(p: { value: number[]; onChange: (v: number[]) => void }) {
  const t = useT(STRINGS);
  const [text, setText] = useState(p.value.join(','));
  const [bad, setBad] = useState(false);
  useEffect(() => setText(p.value.join(',')), [p.value.join(',')]);
  return (
    <div class="control number">
      <label for="pg-hidden">{t('hidden')}</label>
      <input
        id="pg-hidden"
        type="text"
        value={text}
        aria-invalid={bad}
        data-testid="pg-hidden"
        onChange={(e) => {
          const raw = (e.target as HTMLInputElement).value;
          setText(raw);
          const widths = parseWidths(raw);
          setBad(widths === null);
          if (widths) p.onChange(widths);
        }}
      />
      {bad && (
        <span class="field-error" role="alert">
          {t('hiddenBad')}
        </span>
      )}
    </div>
  );
}

/** A number field with the playground's messages: `min` inclusive, `below` exclusive, `integer`. */
function Field(p: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  testId: string;
  kind: 'positive' | 'nonNegative' | 'fraction' | 'openFraction' | 'count' | 'whole';
}) {
  const t = useT(STRINGS);
  const check = (v: number): string | null => {
    switch (p.kind) {
      case 'positive':
        return v > 0 ? null : t('lrBad');
      case 'nonNegative':
        return v >= 0 ? null : t('mustBeNonNegative');
      case 'fraction':
        return v >= 0 && v < 1 ? null : t('mustBeFraction');
      case 'openFraction':
        return v > 0 && v < 1 ? null : t('mustBeOpenFraction');
      case 'count':
        return v >= 1 ? null : t('mustBeCount');
      case 'whole':
        return v >= 0 ? null : t('mustBeWhole');
    }
  };
  return (
    <NumberField
      label={p.label}
      value={p.value}
      integer={p.kind === 'count' || p.kind === 'whole'}
      check={check}
      onChange={p.onChange}
      testId={p.testId}
      notANumber={
        p.kind === 'count' ? t('mustBeCount') : p.kind === 'whole' ? t('mustBeWhole') : t('notANumber')
      }
    />
  );
}

function Form({ s, update }: { s: PlaygroundSettings; update: Update }) {
  const t = useT(STRINGS);
  const common = useT(COMMON);
  return (
    <div class="controls" data-testid="pg-settings">
      <fieldset>
        <legend>{t('dataSection')}</legend>
        <Select
          label={t('data')}
          value={s.data}
          options={options(LAB_DATA)}
          onChange={(data) => update({ data })}
          testId="pg-data"
        />
        {s.data !== 'mnist' && (
          <>
            <Select
              label={t('noise')}
              value={s.noise}
              options={NOISE_LEVELS.map((v) => ({
                value: v,
                label: v === 'default' ? t('noiseDefault') : v,
              }))}
              onChange={(noise) => update({ noise })}
              testId="pg-noise"
            />
            <Field
              label={t('testFraction')}
              value={s.testFraction}
              kind="openFraction"
              testId="pg-test-fraction"
              onChange={(testFraction) => update({ testFraction })}
            />
          </>
        )}
        <Field
          label={t('validation')}
          value={s.validation}
          kind="fraction"
          testId="pg-validation"
          onChange={(validation) => update({ validation })}
        />
        <Field
          label={common('seed')}
          value={s.seed}
          kind="whole"
          testId="pg-seed"
          onChange={(seed) => update({ seed })}
        />
      </fieldset>
      <fieldset>
        <legend>{t('architecture')}</legend>
        <HiddenField value={s.hidden} onChange={(hidden) => update({ hidden })} />
        <Select
          label={t('activation')}
          value={s.activation}
          options={options(ACTIVATIONS)}
          onChange={(activation) => update({ activation })}
          testId="pg-activation"
        />
        <Select
          label={t('init')}
          value={s.init}
          options={options(INITS)}
          onChange={(init) => update({ init })}
          testId="pg-init"
        />
        <Checkbox
          label={t('batchNorm')}
          checked={s.batchNorm}
          onChange={(batchNorm) => update({ batchNorm })}
          testId="pg-batch-norm"
        />
      </fieldset>
      <fieldset>
        <legend>{t('optimization')}</legend>
        <Select
          label={t('optimizer')}
          value={s.optimizer}
          options={options(OPTIMIZER_NAMES)}
          onChange={(optimizer) => update({ optimizer })}
          testId="pg-optimizer"
        />
        <Field
          label={t('lr')}
          value={s.lr}
          kind="positive"
          testId="pg-lr"
          onChange={(lr) => update({ lr })}
        />
        {takesMomentum(s.optimizer) && (
          <Field
            label={t('momentum')}
            value={s.momentum}
            kind="nonNegative"
            testId="pg-momentum"
            onChange={(momentum) => update({ momentum })}
          />
        )}
        {takesNesterov(s.optimizer) && (
          <Checkbox
            label={t('nesterov')}
            checked={s.nesterov}
            onChange={(nesterov) => update({ nesterov })}
            testId="pg-nesterov"
          />
        )}
        <Select
          label={t('schedule')}
          value={s.schedule}
          options={options(SCHEDULES)}
          onChange={(schedule) => update({ schedule })}
          testId="pg-schedule"
        />
        <Field
          label={t('warmup')}
          value={s.warmup}
          kind="whole"
          testId="pg-warmup"
          onChange={(warmup) => update({ warmup })}
        />
      </fieldset>
      <fieldset>
        <legend>{t('regularization')}</legend>
        <Field
          label={t('l1')}
          value={s.l1}
          kind="nonNegative"
          testId="pg-l1"
          onChange={(l1) => update({ l1 })}
        />
        <Field
          label={t('l2')}
          value={s.l2}
          kind="nonNegative"
          testId="pg-l2"
          onChange={(l2) => update({ l2 })}
        />
        <Field
          label={t('weightDecay')}
          value={s.weightDecay}
          kind="nonNegative"
          testId="pg-weight-decay"
          onChange={(weightDecay) => update({ weightDecay })}
        />
        <Field
          label={t('dropout')}
          value={s.dropout}
          kind="fraction"
          testId="pg-dropout"
          onChange={(dropout) => update({ dropout })}
        />
        <Field
          label={t('inputDropout')}
          value={s.inputDropout}
          kind="fraction"
          testId="pg-input-dropout"
          onChange={(inputDropout) => update({ inputDropout })}
        />
        <Field
          label={t('earlyStopping')}
          value={s.earlyStopping}
          kind="whole"
          testId="pg-early-stopping"
          onChange={(earlyStopping) => update({ earlyStopping })}
        />
      </fieldset>
      <fieldset>
        <legend>{t('training')}</legend>
        <Field
          label={t('epochs')}
          value={s.epochs}
          kind="count"
          testId="pg-epochs"
          onChange={(epochs) => update({ epochs })}
        />
        <Field
          label={t('batchSize')}
          value={s.batchSize}
          kind="count"
          testId="pg-batch-size"
          onChange={(batchSize) => update({ batchSize })}
        />
      </fieldset>
    </div>
  );
}

/** Re-rendered only when the settings change, not on every training update. */
export const SettingsForm = memo(Form);
