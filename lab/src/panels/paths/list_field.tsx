/**
 * A field for a list of numbers (`betas` 0.9, 0.999; AggMo's three betas), written as the CLI's
 * `--betas 0.9,0.999`. Like NumberField it shows its own error and passes on only what it accepts.
 */
import { useEffect, useId, useState } from 'preact/hooks';

interface Props {
  label: string;
  value: number[];
  onChange: (value: number[]) => void;
  /** Shown for text that is not a list of `length` numbers. */
  notAList: string;
  testId?: string;
}

const show = (v: number[]) => v.join(', ');

export function ListField(p: Props) {
  const id = useId();
  const [text, setText] = useState(show(p.value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(show(p.value)), [p.value.join(',')]);
  const commit = (raw: string) => {
    setText(raw);
    const parts = raw.split(',').map((s) => s.trim());
    const values = parts.map(Number);
    const ok =
      parts.length === p.value.length && parts.every((s) => s !== '') && values.every(Number.isFinite);
    setError(ok ? null : p.notAList);
    if (ok) p.onChange(values);
  };
  return (
    <div class="control number">
      <label for={id}>{p.label}</label>
      <input
        id={id}
        type="text"
        value={text}
        aria-invalid={error !== null}
        aria-describedby={error ? `${id}-error` : undefined}
        data-testid={p.testId}
        onChange={(e) => commit((e.target as HTMLInputElement).value)}
      />
      {error && (
        <span id={`${id}-error`} class="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
