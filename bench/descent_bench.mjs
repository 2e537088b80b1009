// One descent measurement, run in its own process by bench/run.mjs (which bundles the library from
// src/node.ts first and passes the bundle's path): node descent_bench.mjs <bundle> <json task>. Prints one
// JSON line. Task kinds: gemm, train (the course's BatchNorm network), infer (its batch-1 latency).
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
} else d.setBackend(new d.WasmBackend(task.variant ? { variant: task.variant } : {}));
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

if (task.kind === 'gemm') {
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
  const sizes = [784, 100, 100, 100, 10];
  const model = d.mlp({ sizes, activation: 'sigmoid', batchNorm: true });
  if (task.kind === 'train') {
    const batch = task.batch ?? 64;
    const opt = new d.Adam(model.parameters(), { lr: 1e-3 });
    // Random MNIST-shaped batches: pixels in [0, 1), labels 0–9, a few batches cycled.
    const batches = Array.from({ length: 8 }, () => [
      d.rand([batch, 784], { generator: g }),
      d.randint(0, 10, [batch], { generator: g }),
    ]);
    let k = 0;
    const step = () =>
      d.scope(() => {
        const [x, y] = batches[k++ % batches.length];
        opt.zeroGrad();
        d.crossEntropy(model.call(x), y).backward();
        opt.step();
      });
    for (let i = 0; i < 10; i++) step();
    // Steps per round sized to about 0.4 s from a first estimate.
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) step();
    const per = (performance.now() - t0) / 5;
    const reps = Math.max(3, Math.round(400 / per));
    const ms = best(step, reps, task.rounds ?? 5);
    result.msPerStep = ms;
    result.samplesPerSecond = (batch / ms) * 1000;
  } else {
    model.eval();
    const x = d.rand([1, 784], { generator: g });
    const call = () => d.scope(() => d.noGrad(() => model.call(x).data()));
    for (let i = 0; i < 200; i++) call();
    const ms = best(call, 200, task.rounds ?? 9);
    result.latencyMs = ms;
  }
}
console.log(JSON.stringify(result));
