// Writes the bundled MNIST / Fashion-MNIST splits exactly as descent uses them, as raw little-endian
// arrays, so that the PyTorch baseline trains and tests on the same samples.
// Usage: node bench/accuracy/export_data.mjs <mnist|fashion-mnist> <out-dir> [flat|image]
import fs from 'node:fs';
import path from 'node:path';
import { loadFashionMnist, loadMnist } from '../../dist/node.js';

const [name, dir, shape = 'flat'] = process.argv.slice(2);
if (!['mnist', 'fashion-mnist'].includes(name) || !dir) {
  console.error('usage: node bench/accuracy/export_data.mjs <mnist|fashion-mnist> <out-dir> [flat|image]');
  process.exit(2);
}
fs.mkdirSync(dir, { recursive: true });
const { train, test } = (name === 'mnist' ? loadMnist : loadFashionMnist)({ shape });
for (const [split, ds] of [
  ['train', train],
  ['test', test],
]) {
  fs.writeFileSync(
    path.join(dir, `${split}_x.f32`),
    Buffer.from(ds.features.buffer, ds.features.byteOffset, ds.features.byteLength),
  );
  fs.writeFileSync(
    path.join(dir, `${split}_y.i32`),
    Buffer.from(ds.labels.buffer, ds.labels.byteOffset, ds.labels.byteLength),
  );
}
fs.writeFileSync(
  path.join(dir, 'meta.json'),
  JSON.stringify({ name, shape, sampleShape: train.sampleShape, train: train.length, test: test.length }),
);
console.log(`${name}: ${train.length} train, ${test.length} test → ${dir}`);
