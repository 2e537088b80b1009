/**
 * One optimizer of the list: its name, a learning-rate slider (the knob one drags), every option it
 * takes (read from the library's defaults, set ones shown as set), its update rule, and what went
 * wrong (options the library refused, a loss that became NaN).
 */
import { Button, Notice, Select, Slider } from '../../components/controls';
import { useT } from '../../i18n/lang';
import { OptionField } from './option_field';
import { fill, STRINGS } from './strings';
import type { OptionValue, RunOutcome, RunSpec } from './types';

interface Props {
  index: number;
  run: RunSpec;
  color: string;
  names: readonly string[];
  defaults: Record<string, OptionValue>;
  outcome: RunOutcome | undefined;
  onChange: (run: RunSpec) => void;
  onRemove: () => void;
}

const LR_RANGE = { min: 1e-5, max: 10 };

/** The first step whose loss is not finite, or -1. */
function divergedAt(outcome: RunOutcome | undefined): number {
  return outcome && 'record' in outcome ? outcome.record.loss.findIndex((v) => !Number.isFinite(v)) : -1;
}

function Problems({ outcome, index }: { outcome: RunOutcome | undefined; index: number }) {
  const t = useT(STRINGS);
  if (outcome && 'error' in outcome)
    return (
      <Notice kind="error" testId={`paths-run-error-${index}`}>
        {t('refused')} {outcome.error}
      </Notice>
    );
  const step = divergedAt(outcome);
  if (step < 0) return null;
  return (
    <Notice kind="warning" testId={`paths-diverged-${index}`}>
      {fill(t('diverged'), { step })}
    </Notice>
  );
}

export function OptimizerCard(p: Props) {
  const t = useT(STRINGS);
  const i = p.index;
  const value = (key: string) => p.run.options[key] ?? p.defaults[key]!;
  const set = (key: string, v: OptionValue) =>
    p.onChange({ ...p.run, options: { ...p.run.options, [key]: v } });
  const lr = value('lr') as number;
  return (
    <fieldset class="paths-card" data-testid={`paths-card-${i}`} style={{ borderLeftColor: p.color }}>
      <legend>
        <span class="paths-swatch" style={{ background: p.color }} aria-hidden="true" /> {p.run.optimizer}
      </legend>
      <div class="paths-card-head">
        <Select
          label={t('optimizer')}
          value={p.run.optimizer}
          options={p.names.map((n) => ({ value: n, label: n }))}
          onChange={(optimizer) => p.onChange({ optimizer, options: {} })}
          testId={`paths-optimizer-${i}`}
        />
        <Button onClick={p.onRemove} testId={`paths-remove-${i}`}>
          {t('remove')}
        </Button>
      </div>
      <Slider
        label={t('lr')}
        value={lr > 0 ? lr : LR_RANGE.min}
        min={LR_RANGE.min}
        max={LR_RANGE.max}
        log
        onInput={(v) => set('lr', v)}
        testId={`paths-lr-${i}`}
      />
      <div class="paths-options">
        {Object.keys(p.defaults).map((key) => (
          <OptionField
            key={key}
            name={key}
            value={value(key)}
            onChange={(v) => set(key, v)}
            testId={`paths-opt-${i}-${key}`}
          />
        ))}
      </div>
      {p.outcome?.formula && (
        <div
          class="formula"
          data-testid={`paths-formula-${i}`}
          title={symbolsText(p.outcome.formula.symbols)}
        >
          <span class="paths-form">
            {t('updateRule')} ({p.outcome.formula.form}):
          </span>{' '}
          {p.outcome.formula.update}
        </div>
      )}
      <Problems outcome={p.outcome} index={i} />
    </fieldset>
  );
}

/** "η = lr, ρ = momentum": which option each symbol of the rule is. */
function symbolsText(symbols: Record<string, string>): string {
  return Object.entries(symbols)
    .map(([symbol, option]) => `${symbol} = ${option}`)
    .join(', ');
}
