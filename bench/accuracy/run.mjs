// The training issue's accuracy measurements, descent beside PyTorch on the same bundled splits:
//   1. the course's BN network (784-100-100-100-10, sigmoid, BN, Adam 1e-3, batch 64) on MNIST, 5 epochs;
//   2. LeNet-5 with ReLU on Fashion-MNIST (60k/10k), Adam 1e-3, batch 64, 5 epochs.
// Usage: npm run build && node bench/accuracy/run.mjs [course|lenet5|all] [--seeds 3]
// Writes bench/accuracy/results.json. Needs Debian's python3-torch for the baseline (skipped otherwise).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const which = process.argv[2] ?? 'all';
const seedsArg = process.argv.indexOf('--seeds');
const seeds = seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 3;
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-acc-'));
const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

const jobs = [
  {
    id: 'course',
    data: 'mnist',
    shape: 'flat',
    args: ['--arch', 'mlp', '--hidden', '100,100,100', '--activation', 'sigmoid', '--batch-norm'],
  },
  { id: 'lenet5', data: 'fashion-mnist', shape: 'image', args: ['--arch', 'lenet5', '--activation', 'relu'] },
].filter((j) => which === 'all' || which === j.id);

const results = [];
for (const job of jobs) {
  const dataDir = path.join(tmp, job.id);
  execFileSync('node', [path.join(here, 'export_data.mjs'), job.data, dataDir, job.shape], {
    stdio: 'inherit',
  });
  for (let seed = 0; seed < seeds; seed++) {
    const out = path.join(tmp, `${job.id}-run-${seed}`);
    const lines = execFileSync(
      'node',
      [
        path.join(root, 'bin/descent.js'),
        'train',
        '--data',
        job.data,
        ...job.args,
        '--optimizer',
        'adam',
        '--lr',
        '0.001',
        '--batch-size',
        '64',
        '--epochs',
        '5',
        '--validation',
        '0',
        '--seed',
        String(seed),
        '--json',
        '--out',
        out,
      ],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    )
      .trim()
      .split('\n');
    const final = JSON.parse(lines[lines.length - 1]);
    const row = {
      model: job.id,
      seed,
      descent: {
        testAccuracy: final.testAccuracy,
        trainSeconds: final.wallSeconds,
        samplesPerSec: final.samplesPerSec,
      },
    };
    if (hasTorch) {
      const py = execFileSync(
        '/usr/bin/python3',
        [path.join(here, 'torch_baseline.py'), dataDir, job.id, '5', String(seed)],
        {
          encoding: 'utf8',
          env: { ...process.env, OPENBLAS_CORETYPE: 'Cooperlake' },
        },
      );
      row.pytorch = JSON.parse(py.trim().split('\n').pop());
    }
    results.push(row);
    console.log(JSON.stringify(row));
  }
}
const summary = {};
for (const job of jobs) {
  const rows = results.filter((r) => r.model === job.id);
  const mean = (f) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
  summary[job.id] = {
    seeds: rows.length,
    descentMeanAccuracy: mean((r) => r.descent.testAccuracy),
    pytorchMeanAccuracy: hasTorch ? mean((r) => r.pytorch.testAccuracy) : null,
  };
}
const file = path.join(here, 'results.json');
fs.writeFileSync(
  file,
  `${JSON.stringify({ date: new Date().toISOString(), machine: `${os.cpus()[0]?.model} × ${os.cpus().length}`, node: process.version, command: `node bench/accuracy/run.mjs ${which} --seeds ${seeds}`, summary, results }, null, 2)}\n`,
);
console.log(JSON.stringify(summary, null, 2));
fs.rmSync(tmp, { recursive: true, force: true });
