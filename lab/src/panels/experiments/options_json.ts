/**
 * An experiment's options as the user edits them: JSON text checked against the experiment's
 * defaults (unknown keys refused, as the library refuses them), with the message in the page's language.
 */
import type { Lang } from '../../i18n/lang';
import { STRINGS } from './strings';

/** Options that are not JSON (the MNIST loader) are supplied by the worker, not edited. */
const SUPPLIED = new Set(['data']);

/** The defaults the user may edit, as pretty JSON. */
export function editableDefaults(defaults: object): string {
  const shown = Object.fromEntries(
    Object.entries(defaults).filter(([k, v]) => !SUPPLIED.has(k) && typeof v !== 'function'),
  );
  return JSON.stringify(shown, null, 2);
}

export type ParsedOptions = { ok: true; options: Record<string, unknown> } | { ok: false; message: string };

export function parseOptions(text: string, defaults: object, lang: Lang): ParsedOptions {
  const t = STRINGS[lang];
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    return { ok: false, message: t.badJson + (error as Error).message };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, message: t.notObject };
  const accepted = Object.keys(defaults).filter((k) => !SUPPLIED.has(k));
  const unknown = Object.keys(value).find((k) => !accepted.includes(k));
  if (unknown !== undefined)
    return {
      ok: false,
      message: `${t.unknownKey}${JSON.stringify(unknown)}; ${t.accepted}${accepted.join(', ')}`,
    };
  return { ok: true, options: value as Record<string, unknown> };
}
