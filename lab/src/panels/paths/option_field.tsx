/**
 * One optimizer option as a control, chosen by its default's type: a number field, a switch, a list
 * (betas) or a choice of forms (SGD's nesterovForm). The names are the library's (and `descent
 * surface`'s flags, camelCased); values are checked here only for the obvious (a number, ≥ 0, lr > 0);
 * the library's own refusals come back from the worker and show under the optimizer.
 */
import { Checkbox, NumberField, Select } from '../../components/controls';
import { useT } from '../../i18n/lang';
import { ListField } from './list_field';
import { STRINGS } from './strings';
import type { OptionValue } from './types';

/** Options whose value is one of a few names (the library's unions). */
const CHOICES: Record<string, readonly string[]> = { nesterovForm: ['pytorch', 'lookahead'] };
/** Options that are counts. */
const INTEGER = new Set(['totalSteps']);

interface Props {
  name: string;
  value: OptionValue;
  onChange: (value: OptionValue) => void;
  testId: string;
}

export function OptionField(p: Props) {
  const t = useT(STRINGS);
  const v = p.value;
  if (typeof v === 'boolean')
    return <Checkbox label={p.name} checked={v} onChange={p.onChange} testId={p.testId} />;
  if (typeof v === 'string') {
    const choices = CHOICES[p.name] ?? [v];
    return (
      <Select
        label={p.name}
        value={v}
        options={choices.map((c) => ({ value: c, label: c }))}
        onChange={p.onChange}
        testId={p.testId}
      />
    );
  }
  if (Array.isArray(v))
    return (
      <ListField label={p.name} value={v} onChange={p.onChange} notAList={t('notAList')} testId={p.testId} />
    );
  const check = (x: number) =>
    p.name === 'lr' ? (x > 0 ? null : t('lrPositive')) : x >= 0 ? null : t('negative');
  return (
    <NumberField
      label={p.name}
      value={v}
      check={check}
      integer={INTEGER.has(p.name)}
      onChange={p.onChange}
      notANumber={t('notANumber')}
      testId={p.testId}
    />
  );
}
