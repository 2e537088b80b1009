// One descent measurement, run in its own process by bench/run.mjs (which bundles the library from
// src/node.ts first and passes the bundle's path): node descent_bench.mjs <bundle> <json task>. Prints one
// JSON line. Task kinds:
//   probe   which backend and build (`variant`) descent picks by default in this process;
//   gemm    C = A·B at n (layout nn, tn = AᵀB, nt = ABᵀ), GFLOP/s;
//   train   samples/s of whole training steps of `model` (bn-mlp: the course's BatchNorm network,
//           mlp512: 784-512-512-10 ReLU, lenet5: descent's lenet5()) with Adam (lr 1e-3) at `batch`,
//           on the MNIST batches written by bench/mnist_batches.mjs (`data`, `samples`), cycled;
//           `capture: true` runs the step through descent's capture() (traced once, then replayed)
//           and reports `unavailable` instead of a number where this descent has no capture();
//   infer   latency of a batch-1 forward pass of `model` in evaluation mode.
// Backend: `backend` 'reference' or 'wasm'; `variant` forces a build ('simd', 'relaxed-simd'), absent:
// descent's own choice; `threads` > 1: useWasmThreads. The result reports the build actually used.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [bundle, taskJson] = process.argv.slice(2);
const d = await import(pathToFileURL(bundle).href);
const task = JSON.parse(taskJson);

if (task.backend === 'reference') d.setBackend(new d.ReferenceBackend());
else if (task.threads > 1) {
  const backend = d.useWasmThreads({ threads: task.threads, ...(task.variant && { variant: task.variant }) });
  // Workers start asynchronously: give them a moment so that they take part from the first round.
  await new Promise((resolve) => setTimeout(resolve, 300));
  void backend;
} else if (task.backend === 'wasm' && task.variant)
  d.setBackend(new d.WasmBackend({ variant: task.variant }));
// else: the default backend, as a program that imports descent gets it.
const backend = d.getBackend();

/** Best time per call (ms) over `rounds` rounds of `reps` calls each. */
function best(fn, reps, rounds) {
  let t = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    t = Math.min(t, (performance.now() - t0) / reps);
  }
  return t;
}

const result = {
  ...task,
  backendName: backend.name,
  variant: backend.variant ?? null,
  threads: backend.threads ?? 1,
};

/** A model of the benchmark and the shape of one sample. */
function build(name) {
  if (name === 'bn-mlp')
    return [d.mlp({ sizes: [784, 100, 100, 100, 10], activation: 'sigmoid', batchNorm: true }), [784]];
  if (name === 'mlp512') return [d.mlp({ sizes: [784, 512, 512, 10], activation: 'relu' }), [784]];
  if (name === 'lenet5') return [d.lenet5(), [1, 28, 28]];
  throw new Error(`unknown model ${name}`);
}

/** `samples` MNIST digits and labels from bench/mnist_batches.mjs (random ones without `data`). */
function mnist(samples, g) {
  if (task.data === undefined) {
    return [
      d.rand([samples * 784], { generator: g }).data(),
      d.randint(0, 10, [samples], { generator: g }).data(),
    ];
  }
  const x = fs.readFileSync(path.join(task.data, 'mnist_x.f32'));
  const y = fs.readFileSync(path.join(task.data, 'mnist_y.i32'));
  return [
    new Float32Array(x.buffer, x.byteOffset, samples * 784).slice(),
    new Int32Array(y.buffer, y.byteOffset, samples).slice(),
  ];
}

/** The benchmark's step as a program writes it without capture: zero, forward, loss, backward, update. */
function eagerStep(model, opt, batches) {
  let k = 0;
  return () =>
    d.scope(() => {
      const [x, y] = batches[k++ % batches.length];
      opt.zeroGrad();
      d.crossEntropy(model.call(x), y).backward();
      opt.step();
    });
}

/** The same step through capture(): zero, forward, loss and backward replayed; the update after it. */
function capturedStep(model, opt, batches) {
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
  const step = () =>
    d.scope(() => {
      const [x, y] = batches[k++ % batches.length];
      captured.run(x, y);
      opt.step();
    });
  Object.defineProperty(step, 'stats', { get: () => captured.stats });
  return step;
}

if (task.kind === 'train' && task.capture && typeof d.capture !== 'function') {
  // This descent has no capture(): nothing to measure (run.mjs shows the row as absent).
  console.log(JSON.stringify({ ...result, unavailable: 'this descent exports no capture()' }));
  process.exit(0);
}

if (task.kind === 'probe') {
  // Nothing to measure: the fields above say what descent picked.
} else if (task.kind === 'gemm') {
  const n = task.n;
  const g = new d.Generator(1);
  const a = d.randn([n, n], { generator: g });
  const b = d.randn([n, n], { generator: g });
  const operands = {
    nn: () => [a, b],
    tn: () => [a.t(), b],
    nt: () => [a, b.t()],
  }[task.layout]();
  const call = () => d.scope(() => void d.matmul(operands[0], operands[1]));
  call();
  const flops = 2 * n ** 3;
  const reps = Math.max(1, Math.round((task.budgetFlops ?? 3e8) / flops));
  const ms = best(call, reps, task.rounds ?? 7);
  result.gflops = flops / ms / 1e6;
} else if (task.kind === 'train' || task.kind === 'infer') {
  const g = new d.Generator(0);
  d.manualSeed(0);
  const [model, shape] = build(task.model ?? 'bn-mlp');
  if (task.kind === 'train') {
    const batch = task.batch ?? 64;
    const samples = task.samples ?? batch * 8;
    const opt = new d.Adam(model.parameters(), { lr: 1e-3 });
    const [xs, ys] = mnist(samples, g);
    const per = 784;
    const batches = [];
    for (let i = 0; i + batch <= samples; i += batch) {
      batches.push([
        d.tensor(xs.subarray(i * per, (i + batch) * per), { shape: [batch, ...shape] }),
        d.tensor(ys.subarray(i, i + batch), { shape: [batch] }),
      ]);
    }
    result.batches = batches.length;
    const step = task.capture ? capturedStep(model, opt, batches) : eagerStep(model, opt, batches);
    for (let i = 0; i < (task.warmup ?? 10); i++) step();
    // Steps per round sized to about roundMs (0.4 s) from a first estimate.
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) step();
    const estimate = (performance.now() - t0) / 5;
    const reps = Math.max(task.minReps ?? 3, Math.round((task.roundMs ?? 400) / estimate));
    const ms = best(step, reps, task.rounds ?? 5);
    result.msPerStep = ms;
    result.samplesPerSecond = (batch / ms) * 1000;
    if (step.stats) {
      // A step that could not be captured runs eagerly: say so rather than report it as captured.
      result.captureStats = { ...step.stats };
      if (step.stats.fallback !== null) result.unavailable = `capture fell back: ${step.stats.fallback}`;
    }
  } else {
    model.eval();
    const x = d.tensor(mnist(1, g)[0], { shape: [1, ...shape] });
    const call = () => d.scope(() => d.noGrad(() => model.call(x).data()));
    for (let i = 0; i < 200; i++) call();
    const ms = best(call, 200, task.rounds ?? 9);
    result.latencyMs = ms;
  }
}
console.log(JSON.stringify(result));
