// Copies the data files the library reads at run time next to the compiled modules that read them
// (tsc copies no data): src/run/assets/*.bin.gz -> dist/run/assets/. Node's loadMnist finds the MNIST
// file relative to its own module (src/data/mnist.ts: ../run/assets/), so the same code works from
// src/ under tests and from dist/ in the package.
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const from = 'src/run/assets';
const to = 'dist/run/assets';
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from).filter((n) => n.endsWith('.bin.gz'))) {
  copyFileSync(join(from, name), join(to, name));
  console.log(`asset: ${join(to, name)} (${(statSync(join(to, name)).size / 1e6).toFixed(1)} MB)`);
}
