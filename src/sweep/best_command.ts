/**
 * A trial's configuration as the `descent train` command line that reruns it: only the settings that
 * differ from the defaults, as flags (`--batch-norm` off as `--no-batch-norm`, lists comma-separated),
 * with `--threads 1` as the trial ran (one thread per trial), so that the command gives the trial's
 * numbers bit for bit. Used for the best trial by `descent sweep` and its report.
 */
import { CONFIG_KEYS, DEFAULTS, type RunConfig, usesWasmThreads } from '../run/config_schema.js';

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** A word as a POSIX shell reads it back: bare when safe, otherwise in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_.,:=/+@%-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Keys the command line sets its own way (threads), or not at all (out: given by the caller). */
const OWN = new Set(['out', 'threads']);

/** The flags of one setting, or none when it is the default. */
function flagsOf(key: string, value: unknown): string[] {
  const fallback = (DEFAULTS as Record<string, unknown>)[key];
  if (value === undefined || JSON.stringify(value) === JSON.stringify(fallback)) return [];
  const flag = `--${kebab(key)}`;
  if (typeof value === 'boolean') {
    if (value) return [flag];
    return fallback === true ? [`--no-${kebab(key)}`] : [];
  }
  const text = Array.isArray(value) ? value.join(',') : String(value);
  return [flag, shellWord(text)];
}

/**
 * `descent train --data spirals --lr 0.1 --threads 1 [--out DIR]` for a configuration.
 *
 * @example
 * trainCommandLine(parseRunConfig({ data: 'spirals', lr: 0.1 })); // 'descent train --data spirals --lr 0.1 --threads 1'
 */
export function trainCommandLine(config: RunConfig, options: { out?: string } = {}): string {
  const words = ['descent', 'train'];
  for (const key of CONFIG_KEYS) {
    if (OWN.has(key)) continue;
    words.push(...flagsOf(key, (config as Record<string, unknown>)[key]));
  }
  if (usesWasmThreads(config.backend)) words.push('--threads', '1');
  if (options.out !== undefined) words.push('--out', shellWord(options.out));
  return words.join(' ');
}
