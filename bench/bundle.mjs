// The library as the benchmark scripts load it: src/node.ts bundled with esbuild (so they measure the
// working tree, built or not), written under node_modules/.cache so that its package imports resolve
// from node_modules.
//
// BENCH_SRC=<dir> bundles another copy of the sources instead (<dir>/node.ts; a snapshot to measure
// while the working tree is being edited).
//
// The bundle sits in <dir>/lib/ next to a copy of src/run/assets in <dir>/run/assets: loadMnist finds
// its file relative to its own module (src/data/mnist.ts: `../run/assets/`), as it does from src/ and
// dist/, so the bundled loader finds it too.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..');

/**
 * Bundles src/node.ts into a fresh directory and returns the bundle's path and a function that
 * removes the directory. A working tree being edited may not build for a moment: `attempts` tries,
 * `waitMs` apart.
 */
export async function bundle({ attempts = 3, waitMs = 30_000 } = {}) {
  const dir = path.join(root, 'node_modules/.cache/descent-bench', `run-${process.pid}`);
  const file = path.join(dir, 'lib', 'descent.mjs');
  fs.mkdirSync(path.join(dir, 'run'), { recursive: true });
  const src = process.env.BENCH_SRC ? path.resolve(process.env.BENCH_SRC) : path.join(root, 'src');
  fs.cpSync(path.join(src, 'run/assets'), path.join(dir, 'run/assets'), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    try {
      await build({
        entryPoints: [path.join(src, 'node.ts')],
        bundle: true,
        packages: 'external',
        platform: 'node',
        format: 'esm',
        outfile: file,
        logLevel: attempt < attempts ? 'silent' : 'warning',
      });
      break;
    } catch (error) {
      if (attempt >= attempts) throw error;
      console.log(
        `bundling src/node.ts failed (${error.message.split('\n')[0]}); retrying in ${waitMs / 1000} s`,
      );
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
  return { file, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Bundles the library and imports it (for scripts that measure in their own process). */
export async function bundleLibrary() {
  const { file, cleanup } = await bundle({ attempts: 1 });
  return { lib: await import(pathToFileURL(file).href), file, cleanup };
}

/**
 * The benchmark's MNIST batches (the first 1,024 training digits of loadMnist(), as
 * mnist_batches.mjs writes them for the other engines), as descent tensors of `batch` samples.
 */
export function loadBatches(d, { model, batch, samples = 1024 }) {
  const { train } = d.loadMnist();
  const shape = model === 'lenet5' ? [1, 28, 28] : [784];
  const batches = [];
  for (let i = 0; i + batch <= samples; i += batch) {
    batches.push([
      d.tensor(train.features.slice(i * 784, (i + batch) * 784), { shape: [batch, ...shape] }),
      d.tensor(train.labels.slice(i, i + batch), { shape: [batch] }),
    ]);
  }
  return { batches, shape };
}
