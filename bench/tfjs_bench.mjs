// One TensorFlow.js measurement (backend 'wasm' or 'cpu'), run in its own process by bench/run.mjs:
// node tfjs_bench.mjs <json task>. Prints one JSON line. The wasm backend's binaries are loaded from
// node_modules with setWasmPaths; TensorFlow.js picks its SIMD build when the runtime has SIMD.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const task = JSON.parse(process.argv[2]);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (task.backend === 'wasm') {
  setWasmPaths(`${path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`);
}
await tf.setBackend(task.backend);
await tf.ready();

async function best(fn, reps, rounds) {
  let t = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await fn();
    t = Math.min(t, (performance.now() - t0) / reps);
  }
  return t;
}

const result = { ...task, tfBackend: tf.getBackend() };

if (task.kind === 'gemm') {
  const n = task.n;
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const [ta, tb] = { nn: [false, false], tn: [true, false], nt: [false, true] }[task.layout];
  const call = () => {
    const c = tf.matMul(a, b, ta, tb);
    c.dataSync();
    c.dispose();
  };
  call();
  const flops = 2 * n ** 3;
  // One call to estimate, then rounds of about budgetFlops each.
  const t0 = performance.now();
  call();
  const once = performance.now() - t0;
  const reps = Math.max(1, Math.min(Math.round((task.budgetFlops ?? 3e8) / flops), Math.round(300 / once)));
  const ms = await best(call, reps, task.rounds ?? 5);
  result.gflops = flops / ms / 1e6;
} else {
  const sizes = [784, 100, 100, 100, 10];
  const model = tf.sequential();
  for (let i = 0; i < sizes.length - 2; i++) {
    model.add(tf.layers.dense({ units: sizes[i + 1], inputShape: i === 0 ? [784] : undefined }));
    model.add(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
    model.add(tf.layers.activation({ activation: 'sigmoid' }));
  }
  model.add(tf.layers.dense({ units: 10 }));
  if (task.kind === 'train') {
    const batch = task.batch ?? 64;
    model.compile({
      optimizer: tf.train.adam(1e-3),
      loss: (y, logits) => tf.losses.softmaxCrossEntropy(y, logits),
    });
    const x = tf.randomUniform([batch, 784]);
    const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10);
    const step = () => model.trainOnBatch(x, y);
    for (let i = 0; i < 5; i++) await step();
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) await step();
    const per = (performance.now() - t0) / 3;
    const reps = Math.max(2, Math.round(400 / per));
    const ms = await best(step, reps, task.rounds ?? 4);
    result.msPerStep = ms;
    result.samplesPerSecond = (batch / ms) * 1000;
  } else {
    const x = tf.randomUniform([1, 784]);
    const call = () => {
      const out = model.predict(x);
      out.dataSync();
      out.dispose();
    };
    for (let i = 0; i < 100; i++) call();
    result.latencyMs = await best(call, 100, task.rounds ?? 7);
  }
}
console.log(JSON.stringify(result));
