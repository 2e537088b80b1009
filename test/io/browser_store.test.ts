/**
 * Saving and loading models in headless Chromium (playwright-core, Debian's chromium): the public API
 * bundled for the browser, served with a weights file Node wrote with `saveModel`. Round trips through
 * IndexedDB (across a reload), a File and a Blob, a URL (object and string); the download's bytes equal
 * `saveModel`'s; and the errors: a missing key, a 404, bytes that are not safetensors, a wrong model.
 *
 * No Chromium: skipped locally with the reason in the title; under CI=true the suite fails instead.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualSeed, mlp } from '../../src/index.js';
import { saveModel } from '../../src/io/checkpoint.js';
import { findChromium } from '../helpers/find_chromium.mjs';

const CHROMIUM = findChromium();
if (CHROMIUM === null && process.env.CI === 'true')
  throw new Error('CI=true but no Chromium was found: .ci/run installs it with apt-get install -y chromium');

/** The model both sides build: BatchNorm adds buffers, one of them int32 (num_batches_tracked). */
const SPEC = { sizes: [3, 5, 2], batchNorm: true } as const;

/** The public API, as the page holds it on `globalThis.descent`. */
type Api = typeof import('../../src/index.js');

/** A model's state dict as plain arrays, comparable across Node and the page. */
type State = Record<string, number[]>;

describe.skipIf(CHROMIUM === null)('browser save/load in Chromium (skipped: no Chromium found)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'descent-browser-store-'));
  let server: Server;
  let origin = '';
  let browser: Browser;
  let page: Page;
  let saved: Buffer;
  let nodeState: State;

  beforeAll(async () => {
    manualSeed(7);
    const net = mlp(SPEC);
    saveModel(join(dir, 'weights.safetensors'), net, { epoch: '3' });
    saved = readFileSync(join(dir, 'weights.safetensors'));
    nodeState = Object.fromEntries([...net.stateDict()].map(([k, t]) => [k, [...t.data()]]));
    const script = await bundlePage();
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const send = (type: string, body: string | Buffer) =>
        res.writeHead(200, { 'content-type': type }).end(body);
      if (path === '/')
        send(
          'text/html',
          '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>',
        );
      else if (path === '/page.js') send('text/javascript', script);
      else if (path === '/weights.safetensors') send('application/octet-stream', saved);
      else if (path === '/broken.safetensors')
        send('application/octet-stream', Buffer.from('not safetensors at all'));
      else res.writeHead(404, 'Not Found').end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    // One page for all the tests (loading the bundle is the slow part); each test leaves IndexedDB empty.
    page = await browser.newPage({ acceptDownloads: true });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'descent' in globalThis);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads from a URL, as a URL object and as a string, the weights Node saved', async () => {
    const states = await page.evaluate(async (spec) => {
      const d = (globalThis as unknown as { descent: Api }).descent;
      const out = [];
      for (const source of [new URL('/weights.safetensors', location.href), '/weights.safetensors']) {
        d.manualSeed(99);
        const net = d.mlp(spec);
        const result = await d.loadSafetensorsFrom(net, source);
        out.push({
          result,
          state: Object.fromEntries([...net.stateDict()].map(([k, t]) => [k, [...t.data()]])),
        });
      }
      return out;
    }, SPEC);
    for (const { result, state } of states) {
      expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
      expect(state).toEqual(nodeState);
    }
  });

  it('loads from a File and a Blob', async () => {
    const states = await page.evaluate(async (spec) => {
      const d = (globalThis as unknown as { descent: Api }).descent;
      const bytes = await (await fetch('/weights.safetensors')).arrayBuffer();
      const out = [];
      for (const source of [new File([bytes], 'weights.safetensors'), new Blob([bytes])]) {
        d.manualSeed(99);
        const net = d.mlp(spec);
        await d.loadSafetensorsFrom(net, source);
        out.push(Object.fromEntries([...net.stateDict()].map(([k, t]) => [k, [...t.data()]])));
      }
      return out;
    }, SPEC);
    expect(states).toEqual([nodeState, nodeState]);
  });

  it('round-trips through IndexedDB, across a reload, then lists and deletes', async () => {
    const saving = await page.evaluate(async (spec) => {
      const d = (globalThis as unknown as { descent: Api }).descent;
      const net = d.mlp(spec);
      await d.loadSafetensorsFrom(net, '/weights.safetensors');
      const size = await d.saveToIndexedDb(net, 'mlp', { epoch: '3' });
      return { size, list: await d.listIndexedDb() };
    }, SPEC);
    expect(saving.size).toBe(saved.length);
    expect(saving.list).toEqual([
      { key: 'mlp', bytes: saved.length, savedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    ]);
    await page.reload();
    await page.waitForFunction(() => 'descent' in globalThis);
    const loaded = await page.evaluate(async (spec) => {
      const d = (globalThis as unknown as { descent: Api }).descent;
      d.manualSeed(99);
      const net = d.mlp(spec);
      await d.loadFromIndexedDb(net, 'mlp');
      const state = Object.fromEntries([...net.stateDict()].map(([k, t]) => [k, [...t.data()]]));
      const deleted = [await d.deleteFromIndexedDb('mlp'), await d.deleteFromIndexedDb('mlp')];
      return { state, deleted, list: await d.listIndexedDb() };
    }, SPEC);
    expect(loaded.state).toEqual(nodeState);
    expect(loaded.deleted).toEqual([true, false]);
    expect(loaded.list).toEqual([]);
  });

  it('downloads the bytes Node writes with saveModel', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(async (spec) => {
        const d = (globalThis as unknown as { descent: Api }).descent;
        const net = d.mlp(spec);
        await d.loadSafetensorsFrom(net, '/weights.safetensors');
        d.downloadSafetensors(net, 'mlp.safetensors', { epoch: '3' });
      }, SPEC),
    ]);
    expect(download.suggestedFilename()).toBe('mlp.safetensors');
    expect(readFileSync(await download.path()).equals(saved)).toBe(true);
  });

  it('refuses a missing key, a 404, bytes that are not safetensors and a model that does not fit, naming the source', async () => {
    const errors = await page.evaluate(async (spec) => {
      const d = (globalThis as unknown as { descent: Api }).descent;
      const attempt = async (f: () => Promise<unknown>) => {
        try {
          await f();
          return 'no error';
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      };
      const net = () => d.mlp(spec);
      // Whatever another test left behind (a failed one), so that the list below is this test's own.
      for (const { key } of await d.listIndexedDb()) await d.deleteFromIndexedDb(key);
      await d.saveToIndexedDb(net(), 'kept');
      return {
        key: await attempt(() => d.loadFromIndexedDb(net(), 'nope')),
        http: await attempt(() => d.loadSafetensorsFrom(net(), '/missing.safetensors')),
        url: await attempt(() => d.loadSafetensorsFrom(net(), '/broken.safetensors')),
        file: await attempt(() => d.loadSafetensorsFrom(net(), new File(['junk'], 'notes.txt'))),
        shape: await attempt(() => d.loadSafetensorsFrom(d.mlp({ sizes: [4, 2] }), '/weights.safetensors')),
        cleared: await d.deleteFromIndexedDb('kept'),
      };
    }, SPEC);
    expect(errors.key).toBe(
      'FormatError: loadFromIndexedDb: nothing is saved under the key "nope"; saved: "kept"',
    );
    expect(errors.http).toBe(
      'FormatError: loadSafetensorsFrom: cannot fetch /missing.safetensors: HTTP 404 Not Found',
    );
    expect(errors.url).toMatch(/^FormatError: safetensors: \/broken\.safetensors: /);
    expect(errors.file).toMatch(/^FormatError: safetensors: notes\.txt: /);
    expect(errors.shape).toMatch(/^Error: loadSafetensorsFrom: \/weights\.safetensors: /);
  });
});

/** The page's script: the public API bundled for the browser, as a user's bundler would. */
async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: ['test/io/browser_store_page.ts'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
