/**
 * Saving models in the browser's IndexedDB (persistent, per origin, no download prompt) and loading
 * them back. Each entry is the model's safetensors bytes (those Node's `saveModel` writes) under a
 * key of your choice, in the object store `models` of the database `descent`. Browser-safe (pages
 * and workers); every function is asynchronous, as IndexedDB is.
 *
 * @example
 * import { listIndexedDb, loadFromIndexedDb, saveToIndexedDb } from 'descent';
 * await saveToIndexedDb(net, 'mnist-mlp');
 * // later, on another visit:
 * await loadFromIndexedDb(net, 'mnist-mlp');
 * await listIndexedDb(); // [{ key: 'mnist-mlp', bytes: 813_400, savedAt: '2026-12-05T00:12:09.000Z' }]
 */
import type { LoadStateDictResult, Module } from '../nn/module.js';
import {
  type BrowserLoadOptions,
  checkLoadOptions,
  loadSafetensorsBytes,
  modelToSafetensors,
} from './browser_model_bytes.js';
import { FormatError } from './format_error.js';

const DB_NAME = 'descent';
const STORE = 'models';

/** One saved model, as `listIndexedDb` describes it. */
export interface IndexedDbEntry {
  key: string;
  /** Size of the safetensors bytes. */
  bytes: number;
  /** When it was saved (ISO 8601). */
  savedAt: string;
}

interface StoredModel {
  bytes: Uint8Array;
  savedAt: string;
}

/** Saves `model.stateDict()` under `key`, replacing what was there; resolves to the bytes' size. */
export async function saveToIndexedDb(
  model: Module,
  key: string,
  metadata: Readonly<Record<string, string>> = {},
): Promise<number> {
  checkKey('saveToIndexedDb', key);
  const bytes = modelToSafetensors(model, metadata);
  const value: StoredModel = { bytes, savedAt: new Date().toISOString() };
  await transact('saveToIndexedDb', 'readwrite', (store) => {
    store.put(value, key);
    return () => undefined;
  });
  return bytes.length;
}

/**
 * Loads the model saved under `key` into `model` in place (see `loadModel` for `strict` and
 * `filter`). A key with nothing saved, or bytes that are not safetensors, is a `FormatError` whose
 * source is `indexeddb:descent/models/<key>`.
 */
export async function loadFromIndexedDb(
  model: Module,
  key: string,
  options: BrowserLoadOptions = {},
): Promise<LoadStateDictResult> {
  checkKey('loadFromIndexedDb', key);
  checkLoadOptions('loadFromIndexedDb', options);
  const source = `indexeddb:${DB_NAME}/${STORE}/${key}`;
  const stored = (await transact('loadFromIndexedDb', 'readonly', (store) => {
    const get = store.get(key);
    return () => get.result;
  })) as StoredModel | undefined;
  if (stored === undefined) {
    const keys = (await listIndexedDb()).map((e) => JSON.stringify(e.key));
    throw new FormatError(
      source,
      `loadFromIndexedDb: nothing is saved under the key ${JSON.stringify(key)}; saved: ${keys.length ? keys.join(', ') : 'none'}`,
    );
  }
  if (!(stored?.bytes instanceof Uint8Array)) {
    throw new FormatError(
      source,
      `loadFromIndexedDb: ${source}: the entry is not a model saved by saveToIndexedDb`,
    );
  }
  return loadSafetensorsBytes(model, stored.bytes, { ...options, what: 'loadFromIndexedDb', source });
}

/**
 * The saved models, sorted by key: one read-only transaction walking a cursor, so that keys, sizes and
 * dates belong together even while another tab saves, and one model's bytes are in memory at a time.
 */
export async function listIndexedDb(): Promise<IndexedDbEntry[]> {
  const entries = await transact('listIndexedDb', 'readonly', (store) => {
    const found: IndexedDbEntry[] = [];
    const cursor = store.openCursor();
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (at === null) return;
      const value = at.value as Partial<StoredModel> | undefined;
      found.push({ key: String(at.key), bytes: value?.bytes?.length ?? 0, savedAt: value?.savedAt ?? '' });
      at.continue();
    };
    return () => found;
  });
  return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Deletes the model saved under `key`; resolves to whether there was one (counted in the same transaction). */
export async function deleteFromIndexedDb(key: string): Promise<boolean> {
  checkKey('deleteFromIndexedDb', key);
  return transact('deleteFromIndexedDb', 'readwrite', (store) => {
    let existed = false;
    const count = store.count(key);
    count.onsuccess = () => {
      existed = count.result > 0;
      if (existed) store.delete(key);
    };
    return () => existed;
  });
}

function checkKey(who: string, key: unknown): void {
  if (typeof key !== 'string' || key === '') {
    throw new TypeError(
      `${who}: key must be a non-empty string, got ${typeof key === 'string' ? '""' : typeof key}`,
    );
  }
}

/** Opens the database (creating the store on first use); fails clearly where IndexedDB is missing. */
function openDb(who: string): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') {
    return Promise.reject(
      new Error(
        `${who}: IndexedDB is not available here (Node, or a browser context without storage); in Node use saveModel/loadModel from descent/node`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () =>
      reject(new Error(`${who}: cannot open IndexedDB '${DB_NAME}': ${open.error?.message}`));
    open.onblocked = () =>
      reject(new Error(`${who}: IndexedDB '${DB_NAME}' is blocked by another tab holding an older version`));
  });
}

/**
 * Runs `body`'s requests in one transaction and resolves, once it has committed, to what the function
 * `body` returned gives (read then, when every request has finished).
 */
async function transact<T>(
  who: string,
  mode: IDBTransactionMode,
  body: (store: IDBObjectStore) => () => T,
): Promise<T> {
  const db = await openDb(who);
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = body(tx.objectStore(STORE));
      const fail = () =>
        reject(new Error(`${who}: IndexedDB: ${tx.error?.message ?? 'the transaction was aborted'}`));
      tx.oncomplete = () => resolve(result());
      tx.onerror = fail;
      tx.onabort = fail;
    });
  } finally {
    db.close();
  }
}
