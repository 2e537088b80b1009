// Sweep throughput (a script, not a test): the same small sweep (spirals, 2 epochs, an 8-wide MLP,
// --trials trials from a grid of learning rates × seeds) run by the embedded pool with 1, 2 and 4
// local workers, then on a Redis queue with 1, 2 and 4 `descent worker` processes (concurrency 1
// each) and a redis-server of its own on a free port. Prints trials per minute for each and the
// queue's overhead per trial against the pool with as many workers, and writes
// bench/sweep_results.json. See bench/README.md, "Sweep throughput".
//
//   node bench/sweep_throughput.mjs [--trials 8] [--workers 1,2,4]
//
// The CLI is bundled from src/ first (esbuild), so it measures the working tree. Needs redis-server
// (Debian's package) for the queue rows; without it they are skipped with a note.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : process.argv[i + 1];
};
const trials = Number(arg('--trials', '8'));
const counts = arg('--workers', '1,2,4').split(',').map(Number);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-sweep-bench-'));

async function bundleCli() {
  const dir = path.join(root, 'node_modules', '.descent-bench');
  fs.mkdirSync(dir, { recursive: true });
  const outfile = path.join(dir, `cli-${process.pid}.mjs`);
  await build({
    stdin: {
      contents: "import { main } from './src/cli/main.ts'; await main(process.argv);",
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

function writeSpec() {
  const seeds = Math.ceil(trials / 2);
  const spec = {
    base: { data: 'spirals', hidden: [8], epochs: 2 },
    grid: { lr: [0.01, 0.1], seed: Array.from({ length: seeds }, (_, i) => i) },
    metric: 'valAccuracy',
    mode: 'max',
  };
  const file = path.join(tmp, 'spec.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  return { file, n: 2 * seeds };
}

/** Runs `descent sweep` and returns its wall time in seconds (it must exit 0). */
function timeSweep(cli, args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'sweep', ...args, '--json'], { cwd: tmp, encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`descent sweep ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return seconds;
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function waitFor(child, text, stream = 'stdout') {
  return new Promise((resolve, reject) => {
    let seen = '';
    child[stream].on('data', (chunk) => {
      seen += chunk;
      if (seen.includes(text)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before "${text}":\n${seen}`)));
  });
}

async function startRedis() {
  const bin = ['/usr/bin/redis-server'].find((b) => fs.existsSync(b));
  if (!bin) return undefined;
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(tmp, 'redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
  ];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitFor(child, 'Ready to accept connections');
  return { url: `redis://127.0.0.1:${port}`, child };
}

async function startWorkers(cli, url, n) {
  const workers = Array.from({ length: n }, (_, i) =>
    spawn(process.execPath, [cli, 'worker', '--queue', url, '--work-dir', path.join(tmp, `w${i}`)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  await Promise.all(workers.map((w) => waitFor(w, 'taking trials', 'stderr')));
  return workers;
}

async function stopWorkers(workers) {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve) => {
          w.once('exit', resolve);
          w.kill('SIGTERM');
        }),
    ),
  );
}

async function main() {
  const cli = await bundleCli();
  const { file, n } = writeSpec();
  const rows = [];
  try {
    for (const w of counts) {
      const seconds = timeSweep(cli, [file, '--workers', String(w), '--out', path.join(tmp, `local-${w}`)]);
      rows.push({ executor: 'local pool', workers: w, trials: n, seconds, trialsPerMin: (60 * n) / seconds });
      console.log(`local pool, ${w} workers: ${n} trials in ${seconds.toFixed(1)} s`);
    }
    const redis = await startRedis();
    if (redis === undefined) console.log('no redis-server: the queue rows are skipped');
    for (const w of redis ? counts : []) {
      const workers = await startWorkers(cli, redis.url, w);
      const out = path.join(tmp, `queue-${w}`);
      const seconds = timeSweep(cli, [file, '--queue', redis.url, '--out', out]);
      await stopWorkers(workers);
      const local = rows.find((r) => r.executor === 'local pool' && r.workers === w);
      // Extra wall time per trial in each of the w slots: what the queue costs a trial.
      const overhead = local ? ((seconds - local.seconds) * w) / n : null;
      rows.push({
        executor: 'redis queue',
        workers: w,
        trials: n,
        seconds,
        trialsPerMin: (60 * n) / seconds,
        overheadPerTrial: overhead,
      });
      console.log(
        `redis queue, ${w} workers: ${n} trials in ${seconds.toFixed(1)} s (overhead ${overhead?.toFixed(2)} s a trial)`,
      );
    }
    redis?.child.kill('SIGTERM');
  } finally {
    fs.rmSync(cli, { force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      node: process.version,
      loadavg: os.loadavg(),
    },
    command: `node bench/sweep_throughput.mjs --trials ${trials} --workers ${counts.join(',')}`,
    rows,
  };
  fs.writeFileSync(path.join(here, 'sweep_results.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log('\n| executor | workers | trials | seconds | trials/min | queue overhead a trial (s) |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const o = r.overheadPerTrial == null ? '' : r.overheadPerTrial.toFixed(2);
    console.log(
      `| ${r.executor} | ${r.workers} | ${r.trials} | ${r.seconds.toFixed(1)} | ${r.trialsPerMin.toFixed(1)} | ${o} |`,
    );
  }
}

await main();
