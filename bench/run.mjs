// npm run bench: descent against TensorFlow.js (wasm and cpu backends) and PyTorch on this machine,
// in one run. Each measurement runs in its own process (so that one cannot warm or pollute another),
// one after the other; see bench/README.md for what is measured and how to read the numbers.
//
//   node bench/run.mjs            the whole suite (a few minutes)
//   node bench/run.mjs --quick    fewer sizes and rounds, for a smoke test
//
// Prints a table and writes bench/results.json (machine, commands, every number, the ratios).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const quick = process.argv.includes('--quick');
const python = '/usr/bin/python3';
const relaxedFlag = '--experimental-wasm-relaxed-simd';

// The library (descent/node, which includes the core), bundled from src/ for Node: the benchmark
// measures the working tree, built or not.
// It is written under node_modules/.cache so that its package imports resolve from node_modules.
const bundle = path.join(root, 'node_modules/.cache/descent-bench', `descent-${process.pid}.mjs`);
await build({
  entryPoints: [path.join(root, 'src/node.ts')],
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  outfile: bundle,
  logLevel: 'warning',
});

function run(command, args, env = {}) {
  const r = spawnSync(command, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').at(-1);
  return JSON.parse(line);
}

/** Does this Node run relaxed-SIMD modules when given the flag? (Node 22+ has it on without one.) */
function hasRelaxedSimd() {
  const probe =
    'process.exit(WebAssembly.validate(new Uint8Array([0,97,115,109,1,0,0,0,1,5,1,96,0,1,123,3,2,1,0,10,61,1,59,0,253,12,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,253,12,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,253,12,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,253,133,2,11]))?0:1)';
  return spawnSync(process.execPath, [relaxedFlag, '-e', probe]).status === 0;
}

function torchAvailable() {
  return spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
}

const results = [];
const commands = new Set();
// The whole list runs `passes` times and each measurement keeps its best pass: on a shared machine a
// burst of other work then spoils one pass of one engine rather than a ratio.
const passes = quick ? 1 : 2;
let pass = 0;
function measure(label, engine, command, args, env = {}) {
  const shown = `${Object.entries(env)
    .map(([k, v]) => `${k}=${v} `)
    .join('')}${path.basename(command)} ${args.map((a) => (a.startsWith('{') ? `'${a}'` : a)).join(' ')}`;
  commands.add(shown.replace(bundle, '<bundle of src/node.ts>').replaceAll(`${root}${path.sep}`, ''));
  const r = run(command, args, env);
  const record = { label, engine, ...r };
  const earlier = results.findIndex((x) => x.label === label && x.engine === engine);
  const better = (x) => x.gflops ?? x.samplesPerSecond ?? 1 / x.latencyMs;
  if (earlier < 0) results.push(record);
  else if (better(record) > better(results[earlier])) results[earlier] = record;
  const value =
    r.gflops !== undefined
      ? `${r.gflops.toFixed(1)} GFLOP/s`
      : r.samplesPerSecond !== undefined
        ? `${Math.round(r.samplesPerSecond)} samples/s`
        : `${(r.latencyMs * 1000).toFixed(0)} µs`;
  console.log(
    `  ${engine.padEnd(28)} ${label.padEnd(22)} ${value}${passes > 1 ? `  (pass ${pass + 1})` : ''}`,
  );
  return record;
}

const relaxed = hasRelaxedSimd();
const torch = torchAvailable();
const cores = os.availableParallelism?.() ?? os.cpus().length;
const best = relaxed ? { args: [relaxedFlag], variant: 'relaxed-simd' } : { args: [], variant: 'simd' };
const descentEngines = [
  { engine: 'descent-wasm (simd)', args: [], task: { backend: 'wasm', variant: 'simd' } },
  ...(relaxed
    ? [
        {
          engine: 'descent-wasm (relaxed-simd)',
          args: [relaxedFlag],
          task: { backend: 'wasm', variant: 'relaxed-simd' },
        },
      ]
    : []),
  ...(cores > 1
    ? [
        {
          engine: `descent-wasm (${best.variant}, ${cores} threads)`,
          args: best.args,
          task: { backend: 'wasm', variant: best.variant, threads: cores },
        },
      ]
    : []),
];
const descent = (engine, args, task, label, maxN) => {
  if (maxN !== undefined && task.n > maxN) return;
  measure(label, engine, process.execPath, [
    ...args,
    path.join(here, 'descent_bench.mjs'),
    bundle,
    JSON.stringify(task),
  ]);
};
const tfjs = (backend, task, label) =>
  measure(label, `tfjs-${backend}`, process.execPath, [
    path.join(here, 'tfjs_bench.mjs'),
    JSON.stringify({ backend, ...task }),
  ]);
const pytorch = (threads, task, label) =>
  measure(
    label,
    `pytorch (${threads} thread${threads > 1 ? 's' : ''})`,
    python,
    [path.join(here, 'torch_bench.py'), JSON.stringify({ threads, ...task })],
    {
      OPENBLAS_CORETYPE: 'Cooperlake',
    },
  );

for (pass = 0; pass < passes; pass++) {
  const sizes = quick ? [128, 512] : [128, 256, 512, 1024];
  const rounds = quick ? 3 : 7;

  console.log('GEMM, C = A·B with square float32 matrices (and AᵀB, ABᵀ at n = 512)');
  for (const n of sizes) {
    const task = { kind: 'gemm', n, layout: 'nn', rounds };
    const label = `gemm n=${n}`;
    for (const d of descentEngines) descent(d.engine, d.args, { ...task, ...d.task }, label);
    descent(
      'descent-reference',
      [],
      { ...task, backend: 'reference', rounds: 2, budgetFlops: 3e7 },
      label,
      256,
    );
    tfjs('wasm', task, label);
    tfjs('cpu', { ...task, rounds: 2, budgetFlops: 3e7 }, label);
    if (torch) for (const threads of [1, 2]) pytorch(threads, task, label);
  }
  for (const layout of ['tn', 'nt']) {
    const task = { kind: 'gemm', n: 512, layout, rounds };
    const label = `gemm n=512 ${layout === 'tn' ? 'AᵀB' : 'ABᵀ'}`;
    for (const d of descentEngines) descent(d.engine, d.args, { ...task, ...d.task }, label);
    tfjs('wasm', task, label);
    if (torch) pytorch(1, task, label);
  }

  console.log('Training the course network (784-100-100-100-10, sigmoid, BatchNorm, Adam), batch 64');
  const train = { kind: 'train', batch: 64, rounds: quick ? 2 : 5 };
  for (const d of descentEngines) descent(d.engine, d.args, { ...train, ...d.task }, 'train bn-mlp b=64');
  descent('descent-reference', [], { ...train, backend: 'reference', rounds: 2 }, 'train bn-mlp b=64');
  tfjs('wasm', train, 'train bn-mlp b=64');
  tfjs('cpu', { ...train, rounds: 2 }, 'train bn-mlp b=64');
  if (torch) for (const threads of [1, 2]) pytorch(threads, train, 'train bn-mlp b=64');

  console.log('Inference latency of the same network (evaluation mode), batch 1');
  const infer = { kind: 'infer', rounds: quick ? 3 : 9 };
  for (const d of descentEngines) descent(d.engine, d.args, { ...infer, ...d.task }, 'infer bn-mlp b=1');
  descent('descent-reference', [], { ...infer, backend: 'reference' }, 'infer bn-mlp b=1');
  tfjs('wasm', infer, 'infer bn-mlp b=1');
  if (torch) for (const threads of [1, 2]) pytorch(threads, infer, 'infer bn-mlp b=1');
}

fs.rmSync(bundle, { force: true });

// ---------------------------------------------------------------- ratios

const pick = (engine, label) => results.find((r) => r.engine === engine && r.label === label);
const score = (r) => (r === undefined ? undefined : (r.gflops ?? r.samplesPerSecond ?? 1 / r.latencyMs));
const bestOf = (rs) => rs.filter(Boolean).sort((a, b) => score(b) - score(a))[0];
const labels = [...new Set(results.map((r) => r.label))];
const ratios = {};
for (const label of labels) {
  const oneThread = bestOf(descentEngines.filter((d) => !d.task.threads).map((d) => pick(d.engine, label)));
  const simd = pick('descent-wasm (simd)', label);
  const threaded = bestOf(descentEngines.filter((d) => d.task.threads).map((d) => pick(d.engine, label)));
  const anyDescent = bestOf([oneThread, threaded]);
  const torch1 = pick('pytorch (1 thread)', label);
  const torchBest = bestOf([torch1, pick('pytorch (2 threads)', label)]);
  const ratio = (x, y) => (x && y ? score(x) / score(y) : undefined);
  ratios[label] = {
    descentOneThread: oneThread?.engine,
    vsTfjsWasm: ratio(oneThread, pick('tfjs-wasm', label)),
    vsTfjsWasmSimdOnly: ratio(simd, pick('tfjs-wasm', label)),
    vsTfjsCpu: ratio(oneThread, pick('tfjs-cpu', label)),
    vsPytorch1Thread: ratio(oneThread, torch1),
    bestVsPytorchBest: ratio(anyDescent, torchBest),
    threadSpeedup: ratio(threaded, oneThread),
  };
}

console.log('\nRatios (above 1: descent is faster; descent on one thread unless said otherwise)');
const columns = [
  ['vsTfjsWasm', 'vs tfjs-wasm'],
  ['vsTfjsWasmSimdOnly', '(simd only)'],
  ['vsTfjsCpu', 'vs tfjs-cpu'],
  ['vsPytorch1Thread', 'vs torch 1t'],
  ['bestVsPytorchBest', 'best vs best torch'],
  ['threadSpeedup', 'threads ÷ 1'],
];
console.log(`  ${'measurement'.padEnd(22)}${columns.map(([, h]) => h.padStart(19)).join('')}`);
const fmt = (v) => (v === undefined ? '—' : `${v.toFixed(2)}×`);
for (const [label, r] of Object.entries(ratios)) {
  console.log(`  ${label.padEnd(22)}${columns.map(([k]) => fmt(r[k]).padStart(19)).join('')}`);
}

let blas = null;
if (torch) {
  try {
    blas = execFileSync(python, ['-c', 'import torch; print(torch.__version__)'], {
      encoding: 'utf8',
    }).trim();
  } catch {}
}
const out = {
  date: new Date().toISOString(),
  machine: {
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    relaxedSimdWithFlag: relaxed,
    torch: blas,
    pytorchBlas: torch ? 'Debian python3-torch with libopenblas0-openmp, OPENBLAS_CORETYPE=Cooperlake' : null,
  },
  notes: [
    'Every number is the best of several timed rounds, each engine in its own process, run one after the other.',
    'descent-wasm (relaxed-simd) runs with --experimental-wasm-relaxed-simd (Node 20); the default build on Node 20 is simd.',
    'Ratios: descent on one thread (its better build) unless said otherwise; vsTfjsWasmSimdOnly uses the plain-SIMD build (what Node 20 runs without the flag); bestVsPytorchBest compares the best descent configuration (threads included) with the better of PyTorch on one and two threads; threadSpeedup is descent on all cores over descent on one.',
  ],
  commands: [`npm run bench${quick ? ' -- --quick' : ''} (node bench/run.mjs), which runs:`, ...commands],
  results,
  ratios,
};
fs.writeFileSync(path.join(here, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log('\nwrote bench/results.json');
