/**
 * A model's weights as safetensors bytes and back, for the browser's save and load paths (download,
 * IndexedDB, File/Blob/URL). The bytes are those `saveModel` writes in Node (the state dict with
 * metadata `{ format: 'pt', …metadata }`), so a file saved in either place loads in the other and in
 * PyTorch. Browser-safe.
 */
import type { LoadStateDictResult, Module } from '../nn/module.js';
import { scope } from '../tensor/storage.js';
import { checkOptions } from '../util/options.js';
import { parseSafetensors, serializeSafetensors } from './safetensors.js';

/** Options of the browser loaders, as `loadModel`'s in Node. */
export interface BrowserLoadOptions {
  /** Missing or unexpected keys are errors (default true); shape mismatches always are. */
  strict?: boolean;
  /** Loads only the tensors whose name passes (use with `strict: false`). */
  filter?: (name: string) => boolean;
}

/** `model.stateDict()` as safetensors bytes, byte for byte what Node's `saveModel` writes. */
export function modelToSafetensors(
  model: Module,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  return serializeSafetensors(model.stateDict(), { format: 'pt', ...metadata });
}

interface LoadBytesSpec extends BrowserLoadOptions {
  /** The calling function, for messages (`loadFromIndexedDb`). */
  what: string;
  /** Where the bytes came from (a URL, a file name, an IndexedDB key), for messages. */
  source: string;
}

/**
 * Loads safetensors `bytes` into `model` in place (nothing is copied unless every key checks out), as
 * `loadModel` does a file: malformed bytes are `FormatError`s naming the source; a name or shape that
 * does not fit the model is an Error naming the function and the source.
 */
export function loadSafetensorsBytes(
  model: Module,
  bytes: Uint8Array,
  spec: LoadBytesSpec,
): LoadStateDictResult {
  return scope(() => {
    const { tensors } = parseSafetensors(bytes, spec.source);
    const filter = spec.filter;
    if (filter !== undefined) for (const name of [...tensors.keys()]) if (!filter(name)) tensors.delete(name);
    try {
      return model.loadStateDict(tensors, { strict: spec.strict ?? true });
    } catch (error) {
      throw new Error(`${spec.what}: ${spec.source}: ${(error as Error).message}`, { cause: error });
    }
  });
}

/** Checks a loader's options object (unknown keys are refused, as everywhere in the library). */
export function checkLoadOptions(what: string, options: BrowserLoadOptions): void {
  checkOptions(what, options, { strict: true, filter: true });
}
