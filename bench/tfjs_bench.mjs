// One TensorFlow.js measurement (backend 'wasm' or 'cpu'), run in its own process by bench/run.mjs:
// node tfjs_bench.mjs <json task>. Prints one JSON line. The wasm backend's binaries are loaded from
// node_modules with setWasmPaths; TensorFlow.js picks its SIMD build when the runtime has SIMD.
//
// Models (tf.layers, the same architectures and initializers' shapes as descent's and PyTorch's):
//   bn-mlp  784-100-100-100-10, dense → batchNormalization → sigmoid per hidden layer;
//   mlp512  784-512-512-10, ReLU;
//   lenet5  conv 5×5 'same' (= padding 2) → 6, ReLU, max-pool 2, conv 5×5 'valid' → 16, ReLU,
//           max-pool 2, flatten (400), dense 120, ReLU, 84, ReLU, 10. TensorFlow.js convolves
//           channels-last ([N, 28, 28, 1]: the same bytes as [N, 1, 28, 28] for one channel); its
//           flatten order differs from NCHW's, a permutation of the first dense layer's rows.
// Training: model.trainOnBatch with Adam (lr 1e-3) and softmax cross-entropy on one-hot labels
// (made once per batch, outside the timing), on the MNIST batches of bench/mnist_batches.mjs, cycled.
import fs from 'node:fs';
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
if (task.backend === 'wasm' && tf.getKernel('Conv2DBackpropFilter', 'wasm') === undefined)
  registerFilterGradient();

/**
 * TensorFlow.js's wasm backend (4.22) has no Conv2DBackpropFilter kernel, so LeNet-5 cannot train on
 * it as shipped. This registers one made of the backend's own kernels (XNNPACK convolution and
 * transposes), the usual identity for stride 1: with the batch and channel axes of x swapped and dy
 * as the filter, dW[a, b, ci, co] = Σ_{n,h,w} x[n, h+a−top, w+b−left, ci] · dy[n, h, w, co]
 * is a convolution of xᵀ [Ci, H, W, N] with dyᵀ [Ho, Wo, N, Co], padded as the forward pass was.
 */
function registerFilterGradient() {
  const call = (name, inputs, backend, attrs) =>
    tf.getKernel(name, 'wasm').kernelFunc({ inputs, backend, attrs });
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs: { x, dy }, backend, attrs }) => {
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
      const info = tf.backend_util.computeConv2DInfo(
        x.shape,
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        tf.backend_util.convertConv2DDataFormat(dataFormat),
      );
      if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dataFormat !== 'channelsLast') {
        throw new Error(
          "the benchmark's Conv2DBackpropFilter for tfjs-wasm handles stride 1, channels-last only",
        );
      }
      const { top, bottom, left, right } = info.padInfo;
      const xT = call('Transpose', { x }, backend, { perm: [3, 1, 2, 0] });
      const dyT = call('Transpose', { x: dy }, backend, { perm: [1, 2, 0, 3] });
      const out = call('Conv2D', { x: xT, filter: dyT }, backend, {
        strides: [1, 1],
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dilations: [1, 1],
        dataFormat: 'NHWC',
      });
      const dw = call('Transpose', { x: out }, backend, { perm: [1, 2, 0, 3] });
      for (const t of [xT, dyT, out]) backend.disposeData(t.dataId);
      return dw;
    },
  });
}

async function best(fn, reps, rounds) {
  let t = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await fn();
    t = Math.min(t, (performance.now() - t0) / reps);
  }
  return t;
}

/** The model and the shape of one sample (channels-last for LeNet-5). */
function build(name) {
  const model = tf.sequential();
  if (name === 'bn-mlp') {
    const sizes = [784, 100, 100, 100, 10];
    for (let i = 0; i < sizes.length - 2; i++) {
      model.add(tf.layers.dense({ units: sizes[i + 1], inputShape: i === 0 ? [784] : undefined }));
      model.add(tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
      model.add(tf.layers.activation({ activation: 'sigmoid' }));
    }
    model.add(tf.layers.dense({ units: 10 }));
    return [model, [784]];
  }
  if (name === 'mlp512') {
    model.add(tf.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }));
    model.add(tf.layers.dense({ units: 512, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 10 }));
    return [model, [784]];
  }
  if (name === 'lenet5') {
    model.add(
      tf.layers.conv2d({
        filters: 6,
        kernelSize: 5,
        padding: 'same',
        activation: 'relu',
        inputShape: [28, 28, 1],
      }),
    );
    model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    model.add(tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 120, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 84, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 10 }));
    return [model, [28, 28, 1]];
  }
  throw new Error(`unknown model ${name}`);
}

/** `samples` MNIST digits and labels from bench/mnist_batches.mjs (random ones without `data`). */
function mnist(samples) {
  if (task.data === undefined) {
    return [
      tf.randomUniform([samples * 784]).dataSync(),
      tf.randomUniform([samples], 0, 10, 'int32').dataSync(),
    ];
  }
  const x = fs.readFileSync(path.join(task.data, 'mnist_x.f32'));
  const y = fs.readFileSync(path.join(task.data, 'mnist_y.i32'));
  return [
    new Float32Array(x.buffer, x.byteOffset, samples * 784).slice(),
    new Int32Array(y.buffer, y.byteOffset, samples).slice(),
  ];
}

const result = { ...task, tfBackend: tf.getBackend(), tfjs: tf.version.tfjs };

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
  const [model, shape] = build(task.model ?? 'bn-mlp');
  if (task.kind === 'train') {
    const batch = task.batch ?? 64;
    const samples = task.samples ?? batch * 8;
    model.compile({
      optimizer: tf.train.adam(1e-3),
      loss: (y, logits) => tf.losses.softmaxCrossEntropy(y, logits),
    });
    const [xs, ys] = mnist(samples);
    const batches = [];
    for (let i = 0; i + batch <= samples; i += batch) {
      batches.push([
        tf.tensor(xs.subarray(i * 784, (i + batch) * 784), [batch, ...shape]),
        tf.oneHot(tf.tensor1d(ys.subarray(i, i + batch), 'int32'), 10),
      ]);
    }
    result.batches = batches.length;
    let k = 0;
    const step = () => {
      const [x, y] = batches[k++ % batches.length];
      return model.trainOnBatch(x, y);
    };
    for (let i = 0; i < (task.warmup ?? 5); i++) await step();
    const probes = task.estimateSteps ?? 3;
    const t0 = performance.now();
    for (let i = 0; i < probes; i++) await step();
    const per = (performance.now() - t0) / probes;
    const reps = Math.max(task.minReps ?? 2, Math.round((task.roundMs ?? 400) / per));
    const ms = await best(step, reps, task.rounds ?? 4);
    result.msPerStep = ms;
    result.samplesPerSecond = (batch / ms) * 1000;
  } else {
    const x = tf.tensor(mnist(1)[0], [1, ...shape]);
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
