/**
 * The whole view lives in the URL hash, `#/<panel>?lang=zh&key=value…`, so that a link reproduces
 * it exactly (seed included) on any static host. Values are typed by the panel's defaults: numbers
 * and strings as they are, booleans as 1/0, anything else (arrays, objects) as JSON. A value that
 * does not parse falls back to its default, and the panel is told which keys it ignored.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';

export type UrlValue = string | number | boolean | UrlValue[] | { [key: string]: UrlValue };
export type UrlState = Record<string, UrlValue>;

export interface Route {
  panel: string;
  params: URLSearchParams;
}

export function readRoute(): Route {
  const hash = location.hash.replace(/^#\/?/, '');
  const q = hash.indexOf('?');
  const panel = q < 0 ? hash : hash.slice(0, q);
  return { panel, params: new URLSearchParams(q < 0 ? '' : hash.slice(q + 1)) };
}

export function writeRoute(route: Route): void {
  const query = route.params.toString();
  const hash = `#/${route.panel}${query ? `?${query}` : ''}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

function decode(raw: string, fallback: UrlValue): UrlValue | undefined {
  if (typeof fallback === 'number') {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : undefined;
  }
  if (typeof fallback === 'boolean') return raw === '1' ? true : raw === '0' ? false : undefined;
  if (typeof fallback === 'string') return raw;
  try {
    const value = JSON.parse(raw) as UrlValue;
    return Array.isArray(value) === Array.isArray(fallback) && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

function encode(value: UrlValue): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  return JSON.stringify(value);
}

/** Reads the panel's state from the URL, typed by `defaults`; keys that did not parse are listed. */
export function decodeState<T extends UrlState>(
  params: URLSearchParams,
  defaults: T,
): { state: T; ignored: string[] } {
  const state = { ...defaults };
  const ignored: string[] = [];
  for (const key of Object.keys(defaults)) {
    const raw = params.get(key);
    if (raw === null) continue;
    const value = decode(raw, defaults[key]!);
    if (value === undefined) ignored.push(key);
    else (state as UrlState)[key] = value;
  }
  return { state, ignored };
}

/**
 * `const [state, update, ignored] = useUrlState('paths', defaults)`: the panel's state, a setter that
 * merges a patch and rewrites the URL, and the keys of a hand-edited URL that were not understood.
 */
export function useUrlState<T extends UrlState>(
  panel: string,
  defaults: T,
): [T, (patch: Partial<T>) => void, string[]] {
  const [{ state, ignored }] = useState(() => decodeState(readRoute().params, defaults));
  const [current, setCurrent] = useState<T>(state);
  useEffect(() => {
    const route = readRoute();
    if (route.panel !== panel) return;
    for (const [key, value] of Object.entries(current)) route.params.set(key, encode(value));
    writeRoute(route);
  }, [current, panel]);
  const update = useCallback((patch: Partial<T>) => setCurrent((s) => ({ ...s, ...patch })), []);
  return [current, update, ignored];
}
