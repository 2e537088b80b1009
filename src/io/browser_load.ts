/**
 * Loading weights into a model in the browser from a `File` (an `<input type="file">`, a drop), a
 * `Blob`, or a URL (`URL` or string, fetched). Browser-safe; also works in Node ≥ 20 where `fetch`
 * and `Blob` exist.
 *
 * @example
 * import { loadSafetensorsFrom } from 'descent';
 * input.onchange = () => loadSafetensorsFrom(net, input.files[0]);
 * await loadSafetensorsFrom(net, '/models/mnist-mlp.safetensors');
 */
import type { LoadStateDictResult, Module } from '../nn/module.js';
import { type BrowserLoadOptions, checkLoadOptions, loadSafetensorsBytes } from './browser_model_bytes.js';
import { FormatError } from './format_error.js';

/** The largest file read, as `loadSafetensors` in Node (4 GiB). */
const MAX_BYTES = 4 * 1024 ** 3;

/**
 * Reads safetensors bytes from `source` and loads them into `model` in place (see `loadModel` for
 * `strict` and `filter`). A URL that cannot be fetched, answers with an HTTP error, or bytes that are
 * not safetensors are `FormatError`s naming the URL or the file's name; names or shapes that do not
 * fit the model are Errors naming the source too.
 */
export async function loadSafetensorsFrom(
  model: Module,
  source: Blob | URL | string,
  options: BrowserLoadOptions = {},
): Promise<LoadStateDictResult> {
  checkLoadOptions('loadSafetensorsFrom', options);
  const { bytes, name } = await readSource(source);
  return loadSafetensorsBytes(model, bytes, { ...options, what: 'loadSafetensorsFrom', source: name });
}

async function readSource(source: Blob | URL | string): Promise<{ bytes: Uint8Array; name: string }> {
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const name = typeof File !== 'undefined' && source instanceof File ? source.name : '<Blob>';
    return { bytes: await readBlob(source, name), name };
  }
  if (source instanceof URL || typeof source === 'string') return fetchBytes(String(source));
  throw new TypeError(
    `loadSafetensorsFrom: source must be a File, a Blob, a URL or a URL string, got ${describe(source)}`,
  );
}

async function fetchBytes(url: string): Promise<{ bytes: Uint8Array; name: string }> {
  const fail = (what: string, cause?: unknown) =>
    new FormatError(url, `loadSafetensorsFrom: cannot fetch ${url}: ${what}`, { cause });
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw fail(`${(error as Error).message} (a network error, or a URL the page may not fetch)`, error);
  }
  if (!response.ok)
    throw fail(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  const length = Number(response.headers.get('content-length'));
  if (length > MAX_BYTES) throw fail(`${length} bytes, larger than the limit of 4 GiB`);
  return { bytes: await readBlob(await response.blob(), url), name: url };
}

async function readBlob(blob: Blob, name: string): Promise<Uint8Array> {
  if (blob.size > MAX_BYTES) {
    throw new FormatError(
      name,
      `loadSafetensorsFrom: ${name}: ${blob.size} bytes, larger than the limit of 4 GiB`,
    );
  }
  return new Uint8Array(await blob.arrayBuffer());
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`;
  return `${typeof value} ${String(value)}`;
}
