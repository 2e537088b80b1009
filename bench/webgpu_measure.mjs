// The WebGPU measurements themselves, with nothing of Node or of the browser in them: the library
// (`d`, the namespace of src/index.ts, bundled) and the backend come in as arguments, the digits as
// arrays. bench/webgpu_bench.mjs runs them in a Node process; bench/webgpu_chromium.mjs's page in
// headless Chromium. Task kinds:
//   gemm    C = op(A)·op(B) at n (layout nn, tn = AᵀB, nt = ABᵀ, tt = AᵀBᵀ), GFLOP/s. `reps` products
//           are queued, one flush, then a read of a one-element tensor waits for the device (a read
//           returns when every kernel queued before it has finished);
//   train   samples/s of whole training steps of `model` (bn-mlp, mlp512, mlp4096: 784-4096×3-10 ReLU,
//           lenet5) with Adam (lr 1e-3) at `batch`, on the benchmark's MNIST digits, cycled. Each step
//           is the captured step (zeroGrad, forward, loss, backward replayed by capture()) and the
//           optimizer's update, then one flush: one submit per step. A round ends with a read, so the
//           time counts the device's work, not only the queueing.

/** A CPU emulation of WebGPU (SwiftShader, llvmpipe/lavapipe): its numbers are for information. */
export function isCpuAdapter(name) {
  return /swiftshader|llvmpipe|lavapipe|software|cpu/i.test(name);
}

/** Timing helpers over one backend: every round ends when the device has finished its work. */
function timer(d, backend) {
  const probe = d.zeros([1]);
  const settle = async () => {
    backend.flush?.();
    await probe.dataAsync();
  };
  return {
    settle,
    /** Calls per round for rounds of about `roundMs`, from the time of two settled calls. */
    async repsFor(fn, roundMs, minReps = 1) {
      const t0 = performance.now();
      for (let i = 0; i < 2; i++) fn();
      await settle();
      return Math.max(minReps, Math.round(roundMs / ((performance.now() - t0) / 2)));
    },
    /** Best time per call (ms) over `rounds` rounds of `reps` calls. */
    async best(fn, reps, rounds) {
      let t = Number.POSITIVE_INFINITY;
      for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        for (let i = 0; i < reps; i++) fn();
        await settle();
        t = Math.min(t, (performance.now() - t0) / reps);
      }
      return t;
    },
  };
}

export function buildModel(d, name) {
  if (name === 'bn-mlp')
    return [d.mlp({ sizes: [784, 100, 100, 100, 10], activation: 'sigmoid', batchNorm: true }), [784]];
  if (name === 'mlp512') return [d.mlp({ sizes: [784, 512, 512, 10], activation: 'relu' }), [784]];
  if (name === 'mlp4096') return [d.mlp({ sizes: [784, 4096, 4096, 4096, 10], activation: 'relu' }), [784]];
  if (name === 'lenet5') return [d.lenet5(), [1, 28, 28]];
  throw new Error(`unknown model ${name}`);
}

/** GFLOP/s of `task.n`-square products in `task.layout`. */
export async function measureGemm(d, backend, task) {
  const t = timer(d, backend);
  const n = task.n;
  const g = new d.Generator(1);
  const a = d.randn([n, n], { generator: g });
  const b = d.randn([n, n], { generator: g });
  const [x, y] = { nn: [a, b], tn: [a.t(), b], nt: [a, b.t()], tt: [a.t(), b.t()] }[task.layout];
  const call = () => d.scope(() => void d.matmul(x, y));
  call();
  await t.settle();
  const reps = await t.repsFor(call, task.roundMs ?? 300);
  const ms = await t.best(call, reps, task.rounds ?? 5);
  return { reps, gflops: (2 * n ** 3) / ms / 1e6 };
}

/** The captured step and the update, one flush per step. */
function trainingStep(d, backend, model, opt, batches) {
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
  return { step, stats: () => ({ ...captured.stats }) };
}

/**
 * Samples/s of training `task.model` at `task.batch` on `digits` ({ features: Float32Array of n·784,
 * labels: Int32Array of n }), Adam lr 1e-3.
 */
export async function measureTraining(d, backend, task, digits) {
  const t = timer(d, backend);
  d.manualSeed(0);
  const [model, shape] = buildModel(d, task.model);
  const opt = new d.Adam(model.parameters(), { lr: 1e-3 });
  const batches = [];
  for (let i = 0; i + task.batch <= digits.labels.length; i += task.batch) {
    batches.push([
      d.tensor(digits.features.slice(i * 784, (i + task.batch) * 784), { shape: [task.batch, ...shape] }),
      d.tensor(digits.labels.slice(i, i + task.batch), { shape: [task.batch] }),
    ]);
  }
  const { step, stats } = trainingStep(d, backend, model, opt, batches);
  for (let i = 0; i < (task.warmup ?? 5); i++) step();
  await t.settle();
  const reps = await t.repsFor(step, task.roundMs ?? 400, task.minReps ?? 2);
  const ms = await t.best(step, reps, task.rounds ?? 3);
  const captureStats = stats();
  const result = {
    batches: batches.length,
    reps,
    msPerStep: ms,
    samplesPerSecond: (task.batch / ms) * 1000,
    captureStats,
  };
  if (captureStats.fallback !== null) result.note = `ran eagerly: ${captureStats.fallback}`;
  return result;
}

/** Runs one task (gemm, train or probe) on `backend`; the record carries the adapter's name. */
export async function measure(d, backend, task, digits) {
  const head = { ...task, adapter: backend.adapterName, cpuEmulation: isCpuAdapter(backend.adapterName) };
  if (task.kind === 'gemm') return { ...head, ...(await measureGemm(d, backend, task)) };
  if (task.kind === 'train') return { ...head, ...(await measureTraining(d, backend, task, digits)) };
  if (task.kind === 'probe') return head;
  throw new Error(`unknown task kind ${task.kind}`);
}
