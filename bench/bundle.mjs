// The library as the benchmark scripts load it: src/node.ts bundled with esbuild (so they measure the
// working tree, built or not), written under node_modules/.cache so that its package imports resolve
// from node_modules.
//
// BENCH_SRC=<dir> bundles another copy of the sources instead (<dir>/node.ts; a snapshot to measure
// while the working tree is being edited).
//
// The bundles keep the source tree's layout, so that what they find relative to their own module is
// where they look: <dir>/src/lib/descent.mjs (src/node.ts) and <dir>/src/cli/main.mjs (the CLI, whose
// `main(argv)` reads ../../package.json), beside a copy of src/run/assets (loadMnist reads
// ../run/assets/ from src/data/) and of package.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..');

/**
 * Bundles src/node.ts and the CLI into a fresh directory and returns their paths and a function that
 * removes the directory. A working tree being edited may not build for a moment: `attempts` tries,
 * `waitMs` apart.
 */
export async function bundle({ attempts = 3, waitMs = 30_000 } = {}) {
  const dir = path.join(root, 'node_modules/.cache/descent-bench', `run-${process.pid}`);
  const src = process.env.BENCH_SRC ? path.resolve(process.env.BENCH_SRC) : path.join(root, 'src');
  fs.mkdirSync(path.join(dir, 'src/run'), { recursive: true });
  fs.cpSync(path.join(src, 'run/assets'), path.join(dir, 'src/run/assets'), { recursive: true });
  fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  for (let attempt = 1; ; attempt++) {
    try {
      await build({
        entryPoints: { 'lib/descent': path.join(src, 'node.ts'), 'cli/main': path.join(src, 'cli/main.ts') },
        bundle: true,
        packages: 'external',
        platform: 'node',
        format: 'esm',
        outdir: path.join(dir, 'src'),
        outExtension: { '.js': '.mjs' },
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
  return {
    file: path.join(dir, 'src/lib/descent.mjs'),
    cli: path.join(dir, 'src/cli/main.mjs'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
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
