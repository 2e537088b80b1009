/**
 * A field for a list of numbers (`betas` 0.9, 0.999; AggMo's three betas), written as the CLI's
 * `--betas 0.9,0.999`. Like NumberField it shows its own error and passes on only what it accepts.
 */
import { ParsedField } from '../../components/controls';

interface Props {
  label: string;
  value: number[];
  onChange: (value: number[]) => void;
  /** Shown for text that is not a list of `length` numbers. */
  notAList: string;
  testId?: string;
}

export function ListField(p: Props) {
  return (
    <ParsedField
      label={p.label}
      value={p.value}
      show={(v) => v.join(', ')}
      parse={(raw) => {
        const parts = raw.split(',').map((s) => s.trim());
        const values = parts.map(Number);
        const ok =
          parts.length === p.value.length && parts.every((s) => s !== '') && values.every(Number.isFinite);
        return ok ? { value: values } : { error: p.notAList };
      }}
      onChange={p.onChange}
      testId={p.testId}
    />
  );
}
