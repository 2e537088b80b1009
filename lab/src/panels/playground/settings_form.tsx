/**
 * The playground's controls, grouped as the course does (data, architecture, optimizer and schedule,
 * regularization, training). Each edits one RunConfig key; a field the user cannot have meant (a
 * learning rate of 0, a width list with a letter) is refused next to the field and not passed on.
 */
import { ACTIVATIONS, INITS, RUN_OPTIMIZERS, SCHEDULES } from 'descent';
import { memo } from 'preact/compat';
import { useEffect, useState } from 'preact/hooks';
import { Checkbox, NumberField, Select } from '../../components/controls';
import { COMMON } from '../../i18n/common';
import { useT } from '../../i18n/lang';
import {
  ADAM_TO_SGD,
  isImageSet,
  LAB_DATA,
  NOISE_LEVELS,
  type PlaygroundSettings,
  parseWidths,
  takesMomentum,
  takesNesterov,
} from './settings';
import { type PlaygroundKey, STRINGS } from './strings';

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

type FieldKind = 'positive' | 'nonNegative' | 'fraction' | 'openFraction' | 'count' | 'whole';

/** A number field that refuses, in the page's language, what its kind does not accept. */
function Field(p: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  testId: string;
  kind: FieldKind;
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

interface Section {
  s: PlaygroundSettings;
  update: Update;
}

type NumberKey = {
  [K in keyof PlaygroundSettings]: PlaygroundSettings[K] extends number ? K : never;
}[keyof PlaygroundSettings];

const testIdOf = (key: string) => `pg-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The number field of setting `k`, labelled with its string of the same name. */
function NumberSetting({ s, update, k, kind }: Section & { k: NumberKey & PlaygroundKey; kind: FieldKind }) {
  const t = useT(STRINGS);
  return (
    <Field
      label={t(k)}
      value={s[k]}
      kind={kind}
      testId={testIdOf(k)}
      onChange={(v) => update({ [k]: v } as Partial<PlaygroundSettings>)}
    />
  );
}

function DataSection({ s, update }: Section) {
  const t = useT(STRINGS);
  const common = useT(COMMON);
  const noiseLabel = (v: string) => (v === 'default' ? t('noiseDefault') : v);
  return (
    <fieldset>
      <legend>{t('dataSection')}</legend>
      <Select
        label={t('data')}
        value={s.data}
        options={options(LAB_DATA)}
        onChange={(data) => update({ data })}
        testId="pg-data"
      />
      {!isImageSet(s.data) && (
        <>
          <Select
            label={t('noise')}
            value={s.noise}
            options={NOISE_LEVELS.map((v) => ({ value: v, label: noiseLabel(v) }))}
            onChange={(noise) => update({ noise })}
            testId="pg-noise"
          />
          <NumberSetting s={s} update={update} k="testFraction" kind="openFraction" />
        </>
      )}
      <NumberSetting s={s} update={update} k="validation" kind="fraction" />
      <Field
        label={common('seed')}
        value={s.seed}
        kind="whole"
        testId="pg-seed"
        onChange={(seed) => update({ seed })}
      />
    </fieldset>
  );
}

function ArchitectureSection({ s, update }: Section) {
  const t = useT(STRINGS);
  return (
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
      <Checkbox
        label={t('residual')}
        checked={s.residual}
        onChange={(residual) => update({ residual })}
        testId="pg-residual"
      />
    </fieldset>
  );
}

function OptimizerSection({ s, update }: Section) {
  const t = useT(STRINGS);
  return (
    <fieldset>
      <legend>{t('optimization')}</legend>
      <Select
        label={t('optimizer')}
        value={s.optimizer}
        options={options(RUN_OPTIMIZERS)}
        onChange={(optimizer) => update({ optimizer })}
        testId="pg-optimizer"
      />
      <NumberSetting s={s} update={update} k="lr" kind="positive" />
      {takesMomentum(s.optimizer) && <NumberSetting s={s} update={update} k="momentum" kind="nonNegative" />}
      {s.optimizer === ADAM_TO_SGD && (
        <>
          <NumberSetting s={s} update={update} k="switchEpoch" kind="whole" />
          <NumberSetting s={s} update={update} k="sgdLr" kind="nonNegative" />
          <NumberSetting s={s} update={update} k="sgdMomentum" kind="nonNegative" />
        </>
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
      <NumberSetting s={s} update={update} k="warmup" kind="whole" />
    </fieldset>
  );
}

function Form({ s, update }: Section) {
  const t = useT(STRINGS);
  const number = (k: NumberKey & PlaygroundKey, kind: FieldKind) => (
    <NumberSetting s={s} update={update} k={k} kind={kind} />
  );
  return (
    <div class="controls" data-testid="pg-settings">
      <DataSection s={s} update={update} />
      <ArchitectureSection s={s} update={update} />
      <OptimizerSection s={s} update={update} />
      <fieldset>
        <legend>{t('regularization')}</legend>
        {number('l1', 'nonNegative')}
        {number('l2', 'nonNegative')}
        {number('weightDecay', 'nonNegative')}
        {number('dropout', 'fraction')}
        {number('inputDropout', 'fraction')}
        {number('earlyStopping', 'whole')}
      </fieldset>
      <fieldset>
        <legend>{t('training')}</legend>
        {number('epochs', 'count')}
        {number('batchSize', 'count')}
      </fieldset>
    </div>
  );
}

/** Re-rendered only when the settings change, not on every training update. */
export const SettingsForm = memo(Form);
