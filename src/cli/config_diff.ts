/**
 * The settings of several runs side by side: the keys whose values differ (a key one run lacks counts
 * as differing, shown as absent), and the keys every run sets alike. `out` (each run's own directory)
 * is left out: it always differs and says nothing about the run.
 */

export interface ConfigDiff {
  /** key → one value per run (undefined where a run lacks the key), for the keys that differ. */
  differing: Record<string, unknown[]>;
  /** key → the value all runs share. */
  identical: Record<string, unknown>;
}

const IGNORED = new Set(['out']);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The differing and identical settings of `configs`, keys in first-seen order. */
export function diffConfigs(configs: readonly Record<string, unknown>[]): ConfigDiff {
  const keys = [...new Set(configs.flatMap((c) => Object.keys(c)))].filter((k) => !IGNORED.has(k));
  const diff: ConfigDiff = { differing: {}, identical: {} };
  for (const key of keys) {
    const values = configs.map((c) => (Object.hasOwn(c, key) ? c[key] : undefined));
    const allSet = configs.every((c) => Object.hasOwn(c, key));
    if (allSet && values.every((v) => same(v, values[0]))) diff.identical[key] = values[0];
    else diff.differing[key] = values;
  }
  return diff;
}

/** A setting's value as a table cell: lists joined by commas, an absent key as '—'. */
export function settingText(v: unknown): string {
  if (v === undefined) return '—';
  if (Array.isArray(v)) return v.join(',');
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}
