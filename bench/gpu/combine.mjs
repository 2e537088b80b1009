// Combines bench/gpu/run.sh's pieces into one JSON with issue 16's targets:
//   node bench/gpu/combine.mjs <out-dir>
// reads <out-dir>/environment.json, webgpu.json (bench/webgpu.mjs) and torch_cuda.json
// (torch_cuda_bench.py), any of which may be missing (a step that failed), and writes
// <out-dir>/gpu_bench.json; prints the targets' table.
//
// Issue 16's targets, each a ratio of two numbers from the same machine and run:
// - GEMM fp32 at n = 4096: WebGPU ≥ 70% of cuBLAS (aim 80%); every transpose combination within 10%
//   of the plain one (≥ 0.9× of AB);
// - training samples/s against PyTorch CUDA: the course's network ≥ 2×, 784-512-512-10 ≥ 1.0×,
//   784-4096×3-10 at batch 1024 ≥ 0.8×, LeNet-5 at batch 256 reported.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const score = (r) => r?.gflops ?? r?.samplesPerSecond;

/** The targets' rows: { text, value (a ratio, null: not measured), threshold (null: reported), met }. */
export function issue16Targets(webgpu, torch) {
  const gpu = (label) => webgpu?.results?.find((r) => r.label === label && score(r) !== undefined);
  const cuda = (label) => torch?.results?.find((r) => r.label === label);
  const rows = [];
  const add = (text, a, b, threshold, detail = '') => {
    const value = score(a) && score(b) ? score(a) / score(b) : null;
    rows.push({
      text,
      value,
      threshold,
      met: value === null || threshold === null ? null : value >= threshold,
      detail,
    });
  };
  add('GEMM n=4096 AB: WebGPU ÷ cuBLAS (aim 0.8)', gpu('gemm n=4096'), cuda('gemm n=4096'), 0.7);
  for (const layout of ['AᵀB', 'ABᵀ', 'AᵀBᵀ'])
    add(`GEMM n=4096 ${layout} ÷ AB, WebGPU`, gpu(`gemm n=4096 ${layout}`), gpu('gemm n=4096'), 0.9);
  for (const layout of ['AᵀB', 'ABᵀ', 'AᵀBᵀ'])
    add(
      `GEMM n=4096 ${layout}: WebGPU ÷ cuBLAS`,
      gpu(`gemm n=4096 ${layout}`),
      cuda(`gemm n=4096 ${layout}`),
      null,
    );
  const trainings = [
    ['train bn-mlp b=64', "the course's network b=64", 2.0],
    ['train mlp512 b=128', '784-512-512-10 b=128', 1.0],
    ['train mlp4096 b=1024', '784-4096×3-10 b=1024', 0.8],
    ['train lenet5 b=256', 'LeNet-5 b=256', null],
  ];
  for (const [label, name, threshold] of trainings)
    add(`${name}: WebGPU ÷ PyTorch CUDA, samples/s`, gpu(label), cuda(label), threshold);
  return rows;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return { missing: `${path.basename(file)}: ${error.message.split('\n')[0]}` };
  }
}

function main() {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node bench/gpu/combine.mjs <out-dir>');
    process.exit(2);
  }
  const environment = readJson(path.join(dir, 'environment.json'));
  const webgpu = readJson(path.join(dir, 'webgpu.json'));
  const torch = readJson(path.join(dir, 'torch_cuda.json'));
  const targets = issue16Targets(webgpu, torch);
  // A dry run (no GPU): a CPU emulation's rows against PyTorch on CPU tensors check the plumbing only.
  const dryRun = Boolean(webgpu.cpuEmulation) || torch.device === 'cpu';
  const out = { date: new Date().toISOString(), dryRun, environment, webgpu, torch, targets };
  fs.writeFileSync(path.join(dir, 'gpu_bench.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(
    `WebGPU adapter: ${webgpu.adapter ?? webgpu.missing ?? webgpu.unavailable}${webgpu.cpuEmulation ? ' (CPU emulation)' : ''}; PyTorch: ${torch.device ?? torch.missing}`,
  );
  if (dryRun)
    console.log(
      '  (dry run: a CPU emulation or PyTorch on the CPU; the ratios check the plumbing, nothing else)',
    );
  for (const t of targets) {
    const value = t.value === null ? '—' : `${t.value.toFixed(2)}×`;
    const verdict =
      t.threshold === null
        ? 'reported'
        : t.met === null
          ? 'not measured'
          : t.met
            ? `met (≥ ${t.threshold})`
            : `NOT MET (≥ ${t.threshold})`;
    console.log(`  ${t.text.padEnd(62)} ${value.padStart(7)}  ${verdict}`);
  }
  console.log(`wrote ${path.join(dir, 'gpu_bench.json')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
