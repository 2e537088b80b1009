/**
 * The browser save/load functions outside a page (Node): the paths that need no browser work (Blob,
 * the bytes), and the ones that do refuse with a message saying what to use instead. The browser
 * itself is tested in browser_store.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deleteFromIndexedDb,
  downloadSafetensors,
  FormatError,
  loadFromIndexedDb,
  loadSafetensorsFrom,
  manualSeed,
  mlp,
  modelToSafetensors,
  saveToIndexedDb,
} from '../../src/index.js';
import { saveModel } from '../../src/io/checkpoint.js';
import { messageOf } from '../helpers/thrown.js';

const dir = mkdtempSync(join(tmpdir(), 'descent-browser-node-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stateOf = (net: ReturnType<typeof mlp>) =>
  Object.fromEntries([...net.stateDict()].map(([k, t]) => [k, [...t.data()]]));

async function rejection(promise: Promise<unknown>, type: abstract new (...args: never[]) => Error) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return (error as Error).message;
}

describe('browser save/load bytes', () => {
  it('modelToSafetensors gives the bytes saveModel writes', () => {
    manualSeed(3);
    const net = mlp({ sizes: [4, 3, 2], batchNorm: true });
    saveModel(join(dir, 'net.safetensors'), net, { note: 'x' });
    const written = readFileSync(join(dir, 'net.safetensors'));
    expect(Buffer.from(modelToSafetensors(net, { note: 'x' })).equals(written)).toBe(true);
  });

  it('loadSafetensorsFrom reads a Blob into a model', async () => {
    manualSeed(3);
    const from = mlp({ sizes: [4, 3, 2] });
    manualSeed(4);
    const to = mlp({ sizes: [4, 3, 2] });
    expect(stateOf(to)).not.toEqual(stateOf(from));
    const blob = new Blob([modelToSafetensors(from) as Uint8Array<ArrayBuffer>]);
    expect(await loadSafetensorsFrom(to, blob)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(stateOf(to)).toEqual(stateOf(from));
  });

  it('loadSafetensorsFrom with strict: false and a filter keeps the filtered-out layer', async () => {
    manualSeed(3);
    const from = mlp({ sizes: [4, 3, 2] });
    manualSeed(4);
    const to = mlp({ sizes: [4, 3, 2] });
    const before = stateOf(to);
    const blob = new Blob([modelToSafetensors(from) as Uint8Array<ArrayBuffer>]);
    const result = await loadSafetensorsFrom(to, blob, { strict: false, filter: (k) => !k.startsWith('2.') });
    expect(result.missingKeys).toEqual(['2.weight', '2.bias']);
    expect(stateOf(to)['0.weight']).toEqual(stateOf(from)['0.weight']);
    expect(stateOf(to)['2.weight']).toEqual(before['2.weight']);
  });
});

describe('browser save/load errors', () => {
  const net = () => mlp({ sizes: [2, 2] });

  it('downloadSafetensors outside a page says what to use instead', () => {
    expect(messageOf(() => downloadSafetensors(net(), 'w.safetensors'), Error)).toBe(
      'downloadSafetensors: there is no document to download from (not a web page); in Node use saveModel from descent/node, in a worker post modelToSafetensors(model) to the page',
    );
  });

  it.each(['', 'runs/w.safetensors'])('downloadSafetensors refuses the file name %j', (name) => {
    expect(messageOf(() => downloadSafetensors(net(), name), TypeError)).toBe(
      `downloadSafetensors: filename must be a non-empty file name without / or \\, got ${JSON.stringify(name)}`,
    );
  });

  it('the IndexedDB functions outside a browser say what to use instead', async () => {
    const why =
      'IndexedDB is not available here (Node, or a browser context without storage); in Node use saveModel/loadModel from descent/node';
    expect(await rejection(saveToIndexedDb(net(), 'k'), Error)).toBe(`saveToIndexedDb: ${why}`);
    expect(await rejection(loadFromIndexedDb(net(), 'k'), Error)).toBe(`loadFromIndexedDb: ${why}`);
  });

  it('refuses an empty key', async () => {
    expect(await rejection(deleteFromIndexedDb(''), TypeError)).toBe(
      'deleteFromIndexedDb: key must be a non-empty string, got ""',
    );
  });

  it('loadSafetensorsFrom refuses a source that is not a File, Blob or URL', async () => {
    expect(await rejection(loadSafetensorsFrom(net(), 42 as never), TypeError)).toBe(
      'loadSafetensorsFrom: source must be a File, a Blob, a URL or a URL string, got number 42',
    );
  });

  it('loadSafetensorsFrom names a URL that cannot be fetched', async () => {
    // A port that was free a moment ago: the connection is refused.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const url = `http://127.0.0.1:${port}/w.safetensors`;
    expect(await rejection(loadSafetensorsFrom(net(), url), FormatError)).toMatch(
      new RegExp(
        `^loadSafetensorsFrom: cannot fetch ${url.replace(/\./g, '\\.')}: .*\\(a network error, or a URL the page may not fetch\\)$`,
      ),
    );
  });

  it('loadSafetensorsFrom names a Blob whose bytes are not safetensors', async () => {
    expect(await rejection(loadSafetensorsFrom(net(), new Blob(['junk'])), FormatError)).toMatch(
      /^safetensors: <Blob>: /,
    );
  });
});
