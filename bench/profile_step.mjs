// Where a training step's time goes, kernel by kernel, on one thread and on N threads of the same
// backend in the same process (bench/README.md, "Profiles"). Not part of `npm run bench`.
//
//   node bench/profile_step.mjs [--model bn-mlp|mlp512|lenet5] [--batch 64] [--threads 2] [--steps 400]
//                               [--spin <µs>]   (how long idle helpers spin; default the pool's, 50)
//
// Every method of the WebAssembly backend is wrapped with a timer (performance.now around the call,
// about 0.1 µs, counted in "the TypeScript layer" as much as in the kernel), and the step runs with
// the thread pool on and off in alternating rounds, so both columns see the same machine. A matrix
// product is listed by its shape (m×n×k, with T for a transposed operand) and whether the thread
// policy shares it. "TypeScript layer" is the step's wall time minus the time inside backend calls:
// autograd, scopes, the op layer and the optimizer facade.
import { parseArgs } from 'node:util';
import { bundleLibrary, loadBatches } from './bundle.mjs';

const { values: opts } = parseArgs({
  options: {
    model: { type: 'string', default: 'bn-mlp' },
    batch: { type: 'string' },
    threads: { type: 'string', default: '2' },
    steps: { type: 'string', default: '400' },
    spin: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const model = opts.model;
const batch = Number(opts.batch ?? (model === 'mlp512' ? 128 : 64));
const threads = Number(opts.threads);
const steps = Number(opts.steps);

const { lib: d, cleanup } = await bundleLibrary();
const backend = d.useWasmThreads({ threads });
await new Promise((resolve) => setTimeout(resolve, 300));
const pool = backend.parallel;
if (opts.spin !== undefined) pool.spin = Number(opts.spin);
// Whether a call handed work to the pool (the policy shared it).
let handedOff = 0;
const run = pool.run.bind(pool);
pool.run = (...args) => {
  handedOff++;
  run(...args);
};

/** Times every backend method into `sink[name]`; products by shape. */
const sink = new Map();
let inside = 0;
const proto = Object.getPrototypeOf(backend);
for (const name of Object.getOwnPropertyNames(proto)) {
  const f = proto[name];
  if (name === 'constructor' || typeof f !== 'function' || name.startsWith('scratch')) continue;
  backend[name] = function timed(...args) {
    if (inside > 0) return f.apply(this, args);
    inside++;
    const before = handedOff;
    const t0 = performance.now();
    try {
      return f.apply(this, args);
    } finally {
      const ms = performance.now() - t0;
      inside--;
      const key = keyOf(name, args);
      const e = sink.get(key) ?? { ms: 0, calls: 0, shared: 0 };
      e.ms += ms;
      e.calls++;
      if (handedOff > before) e.shared++;
      sink.set(key, e);
    }
  };
}

/** A product is keyed by its shape; a fused optimizer update by its kind; the rest by name. */
function keyOf(name, args) {
  if (name === 'matmul') {
    const s = args[2];
    return `matmul ${s.m}×${s.n}×${s.k}${s.transA ? ' Aᵀ' : ''}${s.transB ? ' Bᵀ' : ''}`;
  }
  if (name === 'linear') return `linear ${args[3]}×${args[4]}×${args[5]}`;
  if (name === 'unary') return `unary ${args[0]?.op ?? ''}`;
  if (name === 'binary') return `binary ${args[0]}`;
  if (name === 'optimizerUpdate') return `optimizerUpdate ${args[0]?.kind ?? ''}`;
  return name;
}

const { batches, shape } = loadBatches(d, { model, batch });
d.manualSeed(0);
const net = buildModel(d, model);
const opt = new d.Adam(net.parameters(), { lr: 1e-3 });
let k = 0;
const step = () =>
  d.scope(() => {
    const [x, y] = batches[k++ % batches.length];
    opt.zeroGrad();
    d.crossEntropy(net.call(x), y).backward();
    opt.step();
  });
void shape;

const profiles = [new Map(), new Map()];
const wall = [0, 0];
const counted = [0, 0];
for (let i = 0; i < 20; i++) step();
const rounds = 8;
for (let r = 0; r < rounds; r++) {
  for (const t of r % 2 ? [1, 0] : [0, 1]) {
    backend.setParallelKernels(t ? pool : null);
    sink.clear();
    const t0 = performance.now();
    for (let i = 0; i < steps / rounds; i++) step();
    wall[t] += performance.now() - t0;
    counted[t] += steps / rounds;
    for (const [key, e] of sink) {
      const acc = profiles[t].get(key) ?? { ms: 0, calls: 0, shared: 0 };
      acc.ms += e.ms;
      acc.calls += e.calls;
      acc.shared += e.shared;
      profiles[t].set(key, acc);
    }
  }
}
backend.setParallelKernels(pool);

const perStep = (t) => wall[t] / counted[t];
const rows = [...new Set([...profiles[0].keys(), ...profiles[1].keys()])]
  .map((key) => {
    const [a, b] = profiles.map((p, t) => (p.get(key)?.ms ?? 0) / counted[t]);
    const many = profiles[1].get(key);
    const shared = many ? many.shared / many.calls : 0;
    return { key, one: a, many: b, calls: (profiles[0].get(key)?.calls ?? 0) / counted[0], shared };
  })
  .sort((x, y) => y.one - x.one);
const inKernels = (t) => rows.reduce((s, r) => s + (t ? r.many : r.one), 0);
const layer = { key: 'TypeScript layer (outside backend calls)', calls: 0, shared: 0 };
layer.one = perStep(0) - inKernels(0);
layer.many = perStep(1) - inKernels(1);
rows.push(layer);

// Amdahl's bound: only the kernels the policy shares can go faster on more threads, so with a share
// p of the one-thread step in them, N threads give at most 1 / ((1 − p) + p / N).
const sharedShare = rows.filter((r) => r.shared > 0).reduce((sum, r) => sum + r.one, 0) / perStep(0);
const amdahl = 1 / (1 - sharedShare + sharedShare / threads);
if (opts.json) {
  console.log(
    JSON.stringify({ model, batch, threads, msPerStep: [perStep(0), perStep(1)], sharedShare, amdahl, rows }),
  );
} else {
  console.log(
    `${model}, batch ${batch}, ${backend.variant}: ${perStep(0).toFixed(3)} ms a step on 1 thread, ${perStep(1).toFixed(3)} ms on ${threads} (${(perStep(0) / perStep(1)).toFixed(2)}×); ${steps} steps each, alternating rounds`,
  );
  console.log(
    `  ${'kernel'.padEnd(44)}${'calls'.padStart(6)}${'1t ms'.padStart(9)}${'1t %'.padStart(7)}${`${threads}t ms`.padStart(9)}${'speed-up'.padStart(10)}${'shared'.padStart(8)}`,
  );
  for (const r of rows) {
    if (r.one < 0.002 && r.many < 0.002) continue;
    console.log(
      `  ${r.key.padEnd(44)}${(r.calls ? String(r.calls) : '').padStart(6)}${r.one.toFixed(3).padStart(9)}${((100 * r.one) / perStep(0)).toFixed(1).padStart(7)}${r.many.toFixed(3).padStart(9)}${`${(r.one / r.many).toFixed(2)}×`.padStart(10)}${(r.shared ? `${Math.round(100 * r.shared)}%` : '').padStart(8)}`,
    );
  }
  console.log(
    `  shared kernels: ${(100 * sharedShare).toFixed(1)}% of the one-thread step, so ${threads} threads give at most ${amdahl.toFixed(2)}× (Amdahl)`,
  );
}
cleanup();
process.exit(0);

function buildModel(lib, name) {
  if (name === 'bn-mlp')
    return lib.mlp({ sizes: [784, 100, 100, 100, 10], activation: 'sigmoid', batchNorm: true });
  if (name === 'mlp512') return lib.mlp({ sizes: [784, 512, 512, 10], activation: 'relu' });
  if (name === 'lenet5') return lib.lenet5();
  throw new Error(`--model: unknown model '${name}' (bn-mlp, mlp512 or lenet5)`);
}
