// The WebGPU rows of the benchmark (issue 16): GEMM fp32 in every transpose combination and training
// samples/s of the four training rows, each measurement in its own process (bench/webgpu_bench.mjs).
//
//   node bench/webgpu.mjs [--quick] [--no-chromium] [--out <file>] [--bundle <file> --data <dir>]
//                                   on its own (bundles src/ and writes the MNIST batches unless given
//                                   them; default out: bench/webgpu_results.json)
//   node bench/run.mjs --webgpu                       after the CPU suite, into results.json's `webgpu`
//
// Then, where Chromium is installed, the smaller rows again in headless Chromium on SwiftShader
// (bench/webgpu_chromium.mjs), for information.
//
// Which adapter: the one the process finds as it is started (a GPU's Vulkan, Metal or D3D12 driver).
// When that is none, or a CPU emulation, and SwiftShader is installed (Debian's chromium ships it), the
// rows run on SwiftShader instead, marked "CPU emulation, for information": they say that the path
// works and what it costs on a CPU, nothing about a GPU. On a CPU emulation the GEMM sizes stop at
// n = 512 and the 784-4096×3-10 row is not run (a step is ~0.3 TFLOP: minutes on SwiftShader).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

/** Debian's chromium: SwiftShader's Vulkan ICD and the libvulkan.so.1 beside it. */
export const SWIFTSHADER_ENV = {
  VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json',
  LD_LIBRARY_PATH: '/usr/lib/chromium',
};

/** The training rows: label, model, batch, and what issue 16 compares them with. */
export const WEBGPU_TRAININGS = [
  {
    label: 'train bn-mlp b=64',
    model: 'bn-mlp',
    batch: 64,
    title: "the course's network, 784-100-100-100-10, sigmoid, BatchNorm",
  },
  { label: 'train mlp512 b=128', model: 'mlp512', batch: 128, title: '784-512-512-10 ReLU' },
  { label: 'train mlp4096 b=1024', model: 'mlp4096', batch: 1024, title: '784-4096-4096-4096-10 ReLU' },
  { label: 'train lenet5 b=256', model: 'lenet5', batch: 256, title: 'LeNet-5 (descent lenet5())' },
];

export const GEMM_LAYOUTS = { nn: 'AB', tn: 'AᵀB', nt: 'ABᵀ', tt: 'AᵀBᵀ' };

/** Runs one measurement in its own process; a crash or a hang becomes a record with `failed`. */
function measureIn(env, bundle, task, timeoutMs) {
  const r = spawnSync(process.execPath, [path.join(here, 'webgpu_bench.mjs'), bundle, JSON.stringify(task)], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 16 * 2 ** 20,
  });
  const line = r.stdout?.trim().split('\n').at(-1);
  if (r.status === 0 && line?.startsWith('{')) return JSON.parse(line);
  const why =
    r.error?.code === 'ETIMEDOUT' ? `timed out after ${timeoutMs / 1000} s` : `exit ${r.status ?? r.signal}`;
  return { ...task, failed: `${why}: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}` };
}

/**
 * The environment to measure in: the process's own when it finds a GPU, else SwiftShader's when
 * installed. Returns { env, probe } or { unavailable } with what was tried.
 */
export function chooseEnvironment(bundle) {
  const tried = [];
  const own = measureIn({}, bundle, { kind: 'probe' }, 60_000);
  if (own.adapter && !own.cpuEmulation) return { env: {}, probe: own };
  tried.push(`the process's own Vulkan/Metal/D3D12: ${own.adapter ?? own.unavailable ?? own.failed}`);
  if (fs.existsSync(SWIFTSHADER_ENV.VK_ICD_FILENAMES)) {
    const swift = measureIn(SWIFTSHADER_ENV, bundle, { kind: 'probe' }, 60_000);
    if (swift.adapter) return { env: SWIFTSHADER_ENV, probe: swift };
    tried.push(`SwiftShader: ${swift.unavailable ?? swift.failed}`);
  } else tried.push(`SwiftShader: ${SWIFTSHADER_ENV.VK_ICD_FILENAMES} is absent`);
  if (own.adapter) return { env: {}, probe: own };
  return { unavailable: tried.join('; ') };
}

/**
 * The GEMM and training tasks for a GPU, or the smaller list for a CPU emulation, where a training
 * step takes seconds: there each row runs a few steps (warm-up, estimate, timed rounds of one step).
 */
export function webgpuTasks({ cpuEmulation, quick, dataDir, samples }) {
  const gpuSizes = quick ? [1024, 4096] : [256, 512, 1024, 2048, 4096];
  const sizes = cpuEmulation ? (quick ? [256] : [256, 512]) : gpuSizes;
  const tasks = [];
  for (const n of sizes) {
    for (const layout of Object.keys(GEMM_LAYOUTS)) {
      const label = `gemm n=${n}${layout === 'nn' ? '' : ` ${GEMM_LAYOUTS[layout]}`}`;
      tasks.push({ label, task: { kind: 'gemm', n, layout, rounds: quick ? 3 : 5 } });
    }
  }
  const steps = cpuEmulation
    ? { warmup: quick ? 1 : 2, rounds: quick ? 1 : 2, minReps: 1, roundMs: 0 }
    : { rounds: quick ? 2 : 3 };
  for (const t of WEBGPU_TRAININGS) {
    if (cpuEmulation && t.model === 'mlp4096') {
      tasks.push({ label: t.label, skip: 'not run on a CPU emulation: ~0.3 TFLOP a step' });
      continue;
    }
    const task = { kind: 'train', model: t.model, batch: t.batch, data: dataDir, samples, ...steps };
    tasks.push({ label: t.label, task });
  }
  return tasks;
}

/**
 * The Chromium rows, where Chromium and the dev packages (esbuild, playwright-core) are installed: a
 * lent GPU machine may have neither, so the module is imported only here.
 */
async function chromiumRows(options) {
  try {
    const { runChromiumWebGpuBench } = await import('./webgpu_chromium.mjs');
    return await runChromiumWebGpuBench(options);
  } catch (error) {
    options.log(`  chromium: not measured (${error.message.split('\n')[0]})`);
    return { unavailable: error.message.split('\n')[0], results: [] };
  }
}

/** A record's value as the tables show it. */
export function formatRecord(r) {
  if (r.gflops !== undefined) return `${r.gflops.toFixed(r.gflops < 10 ? 2 : 1)} GFLOP/s`;
  if (r.samplesPerSecond !== undefined)
    return `${Math.round(r.samplesPerSecond).toLocaleString('en-US')} samples/s`;
  if (r.skipped) return `skipped (${r.skipped})`;
  return r.failed ? `failed (${r.failed})` : `unavailable (${r.unavailable})`;
}

/**
 * Runs the WebGPU rows. `bundle`: src/node.ts bundled (bench/bundle.mjs); `dataDir`, `samples`: the
 * MNIST batches of bench/mnist_batches.mjs. Returns { adapter, cpuEmulation, environment, results,
 * unavailable? } and prints each row as it comes.
 */
export async function runWebGpuBench({
  bundle,
  dataDir,
  samples,
  quick = false,
  chromium: withChromium = true,
  log = console.log,
}) {
  const chosen = chooseEnvironment(bundle);
  if (chosen.unavailable) {
    log(`WebGPU: no adapter (${chosen.unavailable}); no WebGPU rows`);
    return { adapter: null, unavailable: chosen.unavailable, results: [] };
  }
  const { adapter, cpuEmulation } = chosen.probe;
  const note = cpuEmulation ? ' — CPU emulation, for information' : '';
  const envText = Object.entries(chosen.env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  log(`WebGPU on ${adapter}${note}${envText ? ` (${envText})` : ''}`);
  const results = [];
  for (const { label, task, skip } of webgpuTasks({ cpuEmulation, quick, dataDir, samples })) {
    if (skip) {
      results.push({ label, skipped: skip });
      log(`  ${label.padEnd(24)} ${formatRecord({ skipped: skip })}`);
      continue;
    }
    const t0 = performance.now();
    const record = {
      label,
      engine: `descent-webgpu (${adapter})`,
      ...measureIn(chosen.env, bundle, task, cpuEmulation ? 300_000 : 120_000),
    };
    record.wallSeconds = Math.round((performance.now() - t0) / 100) / 10;
    if (record.data !== undefined) record.data = '<data>';
    results.push(record);
    log(
      `  ${label.padEnd(24)} ${formatRecord(record).padStart(20)}  ${record.wallSeconds.toFixed(1).padStart(5)} s`,
    );
  }
  if (!withChromium) return { adapter, cpuEmulation, environment: chosen.env, results, chromium: null };
  log('WebGPU in headless Chromium on SwiftShader (CPU emulation, for information)');
  const tasks = webgpuTasks({ cpuEmulation: true, quick: true, dataDir, samples });
  const chromium = await chromiumRows({ tasks, dataDir, samples, log });
  return { adapter, cpuEmulation, environment: chosen.env, results, chromium };
}

/** The value after `--name` on the command line, or undefined. */
function option(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/**
 * The library bundle and the digits: given (`--bundle`, `--data`: bench/gpu/run.sh passes
 * bench/gpu/carry's), else made here (bench/bundle.mjs, bench/mnist_batches.mjs) and removed at exit.
 */
async function inputs(samples) {
  if (option('--bundle') && option('--data'))
    return { bundle: path.resolve(option('--bundle')), dataDir: path.resolve(option('--data')) };
  const { bundle } = await import('./bundle.mjs');
  const bundled = await bundle({ attempts: 1 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-webgpu-bench-'));
  process.on('exit', () => {
    bundled.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const args = [path.join(here, 'mnist_batches.mjs'), bundled.file, dataDir, String(samples)];
  const made = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`mnist_batches.mjs failed:\n${made.stderr}`);
  return { bundle: bundled.file, dataDir };
}

/**
 * `node bench/webgpu.mjs [--quick] [--no-chromium] [--out <file>] [--bundle <file> --data <dir>]`:
 * the rows on their own, written to --out (default bench/webgpu_results.json).
 */
async function main() {
  const quick = process.argv.includes('--quick');
  const out = path.resolve(option('--out') ?? path.join(here, 'webgpu_results.json'));
  const samples = 1024;
  const { bundle, dataDir } = await inputs(samples);
  const started = performance.now();
  const chromium = !process.argv.includes('--no-chromium');
  const webgpu = await runWebGpuBench({ bundle, dataDir, samples, quick, chromium });
  const record = {
    date: new Date().toISOString(),
    quick,
    minutes: Math.round((performance.now() - started) / 6000) / 10,
    machine: {
      cpu: os.cpus()[0]?.model,
      cores: os.cpus().length,
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    data: { samples, source: 'bench/mnist_batches.mjs: the first 1,024 digits of loadMnist().train' },
    ...webgpu,
  };
  fs.writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
