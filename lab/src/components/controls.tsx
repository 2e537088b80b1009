/**
 * Labelled, keyboard-reachable controls. Every control has a visible <label> (also its accessible
 * name); a number field shows its own error next to it and does not pass on a value it refused.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useState } from 'preact/hooks';

interface SliderProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  /** Log scale: the slider moves the exponent (min and max must be > 0). */
  log?: boolean;
  format?: (v: number) => string;
  onInput: (value: number) => void;
  testId?: string;
}

const defaultFormat = (v: number) =>
  Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-2)
    ? v.toExponential(2)
    : String(Number(v.toPrecision(4)));

export function Slider(p: SliderProps) {
  const id = useId();
  const toSlider = (v: number) => (p.log ? Math.log10(v) : v);
  const fromSlider = (s: number) => (p.log ? Number((10 ** s).toPrecision(3)) : s);
  const step = p.step ?? (p.log ? 0.01 : (p.max - p.min) / 100);
  return (
    <div class="control slider">
      <label for={id}>
        {p.label} <output>{(p.format ?? defaultFormat)(p.value)}</output>
      </label>
      <input
        id={id}
        type="range"
        min={toSlider(p.min)}
        max={toSlider(p.max)}
        step={step}
        value={toSlider(p.value)}
        data-testid={p.testId}
        onInput={(e) => p.onInput(fromSlider(Number((e.target as HTMLInputElement).value)))}
      />
    </div>
  );
}

interface NumberFieldProps {
  label: string;
  value: number;
  /** Returns an error message for a value it refuses, or null. */
  check?: (v: number) => string | null;
  integer?: boolean;
  onChange: (value: number) => void;
  testId?: string;
  /** The message for text that is not a number, in the page's language. */
  notANumber: string;
}

export function NumberField(p: NumberFieldProps) {
  return (
    <ParsedField
      label={p.label}
      value={p.value}
      show={(v: number) => String(v)}
      parse={(raw) => {
        const v = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(v) || (p.integer && !Number.isInteger(v)))
          return { error: p.notANumber };
        const problem = p.check?.(v) ?? null;
        return problem === null ? { value: v } : { error: problem };
      }}
      onChange={p.onChange}
      inputMode="decimal"
      testId={p.testId}
    />
  );
}

interface ParsedFieldProps<T> {
  label: string;
  value: T;
  /** The text the field shows for a value. */
  show: (value: T) => string;
  /** The value the text means, or the message that refuses it. */
  parse: (raw: string) => { value: T } | { error: string };
  onChange: (value: T) => void;
  inputMode?: 'decimal' | 'text';
  testId?: string;
}

/**
 * A text field that holds a value of any type: it shows its own error next to it and passes on only
 * what `parse` accepts (NumberField, the paths panel's list of numbers).
 */
export function ParsedField<T>(p: ParsedFieldProps<T>) {
  const id = useId();
  const shown = p.show(p.value);
  const [text, setText] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(shown), [shown]);
  const commit = (raw: string) => {
    setText(raw);
    const parsed = p.parse(raw);
    setError('error' in parsed ? parsed.error : null);
    if ('value' in parsed) p.onChange(parsed.value);
  };
  return (
    <div class="control number">
      <label for={id}>{p.label}</label>
      <input
        id={id}
        type="text"
        inputMode={p.inputMode}
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

interface SelectProps<V extends string> {
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
  testId?: string;
}

export function Select<V extends string>(p: SelectProps<V>) {
  const id = useId();
  return (
    <div class="control select">
      <label for={id}>{p.label}</label>
      <select
        id={id}
        value={p.value}
        data-testid={p.testId}
        onChange={(e) => p.onChange((e.target as HTMLSelectElement).value as V)}
      >
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Checkbox(p: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  testId?: string;
}) {
  const id = useId();
  return (
    <div class="control checkbox">
      <input
        id={id}
        type="checkbox"
        checked={p.checked}
        data-testid={p.testId}
        onChange={(e) => p.onChange((e.target as HTMLInputElement).checked)}
      />
      <label for={id}>{p.label}</label>
    </div>
  );
}

export function Button(p: {
  onClick: () => void;
  children: ComponentChildren;
  disabled?: boolean;
  testId?: string;
  primary?: boolean;
}) {
  return (
    <button
      type="button"
      class={p.primary ? 'primary' : undefined}
      disabled={p.disabled}
      data-testid={p.testId}
      onClick={p.onClick}
    >
      {p.children}
    </button>
  );
}

/** A visible explanation (bad input, a diverged run, a worker error); announced to screen readers. */
export function Notice(p: {
  kind: 'error' | 'warning' | 'info';
  children: ComponentChildren;
  testId?: string;
}) {
  return (
    <div class={`notice ${p.kind}`} role={p.kind === 'error' ? 'alert' : 'status'} data-testid={p.testId}>
      {p.children}
    </div>
  );
}
