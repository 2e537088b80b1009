// One WebGPU measurement, run in its own process by bench/webgpu.mjs:
//   node webgpu_bench.mjs <bundle of src/node.ts> '<json task>'
// Prints one JSON line. The process must start with the Vulkan environment it should use (a GPU's
// driver, or SwiftShader's VK_ICD_FILENAMES and LD_LIBRARY_PATH), which webgpu.mjs sets. Task kinds:
//   probe   the adapter initWebGpuBackend() gets: its name, and whether it is a CPU emulation;
//   gemm    C = op(A)·op(B) at n (layout nn, tn = AᵀB, nt = ABᵀ, tt = AᵀBᵀ), GFLOP/s. `reps` products
//           are queued, one flush, then a read of a one-element tensor waits for the device (a read
//           returns when every kernel queued before it has finished);
//   train   samples/s of whole training steps of `model` (bn-mlp, mlp512, mlp4096: 784-4096×3-10 ReLU,
//           lenet5) with Adam (lr 1e-3) at `batch`, on the MNIST batches of bench/mnist_batches.mjs
//           (`data`, `samples`), cycled. Each step is the captured step (zeroGrad, forward, loss,
//           backward replayed by capture()) and the optimizer's update, then one flush: one submit
//           per step. A round ends with a read, so the time counts the device's work, not the queueing.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [bundle, taskJson] = process.argv.slice(2);
const d = await import(pathToFileURL(bundle).href);
const task = JSON.parse(taskJson);

let backend;
try {
  backend = await d.initWebGpuBackend();
} catch (error) {
  // No adapter in this environment: webgpu.mjs reports the reason instead of a number.
  console.log(JSON.stringify({ ...task, unavailable: error.message }));
  process.exit(0);
}
d.setBackend(backend);
const probe = d.zeros([1]);
/** Waits until the device has run everything queued so far. */
async function settle() {
  backend.flush?.();
  await probe.dataAsync();
}

/** Best time per repetition (ms) over `rounds` rounds of `reps` calls of `fn`, each round settled. */
async function best(fn, reps, rounds) {
  let t = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    await settle();
    t = Math.min(t, (performance.now() - t0) / reps);
  }
  return t;
}

/** Calls per round for rounds of about `roundMs`, from the time of a few settled calls. */
async function repsFor(fn, roundMs, minReps = 1) {
  const t0 = performance.now();
  for (let i = 0; i < 2; i++) fn();
  await settle();
  const estimate = (performance.now() - t0) / 2;
  return Math.max(minReps, Math.round(roundMs / estimate));
}

/** A CPU emulation of WebGPU (SwiftShader, llvmpipe/lavapipe, a fallback adapter): its numbers are for information. */
function isCpuAdapter(name) {
  return /swiftshader|llvmpipe|lavapipe|software|cpu/i.test(name);
}

const result = { ...task, adapter: backend.adapterName, cpuEmulation: isCpuAdapter(backend.adapterName) };

function build(name) {
  if (name === 'bn-mlp')
    return [d.mlp({ sizes: [784, 100, 100, 100, 10], activation: 'sigmoid', batchNorm: true }), [784]];
  if (name === 'mlp512') return [d.mlp({ sizes: [784, 512, 512, 10], activation: 'relu' }), [784]];
  if (name === 'mlp4096') return [d.mlp({ sizes: [784, 4096, 4096, 4096, 10], activation: 'relu' }), [784]];
  if (name === 'lenet5') return [d.lenet5(), [1, 28, 28]];
  throw new Error(`unknown model ${name}`);
}

/** The batches of bench/mnist_batches.mjs as tensors on the GPU: [x, y] per batch. */
function batchesOf(shape) {
  const x = fs.readFileSync(path.join(task.data, 'mnist_x.f32'));
  const y = fs.readFileSync(path.join(task.data, 'mnist_y.i32'));
  const xs = new Float32Array(x.buffer, x.byteOffset, task.samples * 784);
  const ys = new Int32Array(y.buffer, y.byteOffset, task.samples);
  const batches = [];
  for (let i = 0; i + task.batch <= task.samples; i += task.batch) {
    batches.push([
      d.tensor(xs.slice(i * 784, (i + task.batch) * 784), { shape: [task.batch, ...shape] }),
      d.tensor(ys.slice(i, i + task.batch), { shape: [task.batch] }),
    ]);
  }
  return batches;
}

/** The captured step and the update, one flush per step. */
function trainingStep(model, opt, batches) {
  const captured = d.capture({
    step: (x, y) => {
      opt.zeroGrad();
      const loss = d.crossEntropy(model.call(x), y);
      loss.backward();
      return loss;
    },
    params: model.parameters(),
  });
  let k = 0;
  const step = () => {
    d.scope(() => {
      const [x, y] = batches[k++ % batches.length];
      captured.run(x, y);
      opt.step();
    });
    backend.flush?.();
  };
  return { step, stats: () => captured.stats };
}

async function gemm() {
  const n = task.n;
  const g = new d.Generator(1);
  const a = d.randn([n, n], { generator: g });
  const b = d.randn([n, n], { generator: g });
  const [x, y] = { nn: [a, b], tn: [a.t(), b], nt: [a, b.t()], tt: [a.t(), b.t()] }[task.layout];
  const call = () => d.scope(() => void d.matmul(x, y));
  call();
  await settle();
  const reps = await repsFor(call, task.roundMs ?? 300);
  const ms = await best(call, reps, task.rounds ?? 5);
  result.reps = reps;
  result.gflops = (2 * n ** 3) / ms / 1e6;
}

async function train() {
  d.manualSeed(0);
  const [model, shape] = build(task.model);
  const opt = new d.Adam(model.parameters(), { lr: 1e-3 });
  const batches = batchesOf(shape);
  const { step, stats } = trainingStep(model, opt, batches);
  for (let i = 0; i < (task.warmup ?? 5); i++) step();
  await settle();
  const reps = await repsFor(step, task.roundMs ?? 400, task.minReps ?? 2);
  const ms = await best(step, reps, task.rounds ?? 3);
  await d.settleHostChecks?.();
  result.batches = batches.length;
  result.reps = reps;
  result.msPerStep = ms;
  result.samplesPerSecond = (task.batch / ms) * 1000;
  result.captureStats = { ...stats() };
}

if (task.kind === 'gemm') await gemm();
else if (task.kind === 'train') await train();
else if (task.kind !== 'probe') throw new Error(`unknown task kind ${task.kind}`);
console.log(JSON.stringify(result));
backend.destroy?.();
process.exit(0);
