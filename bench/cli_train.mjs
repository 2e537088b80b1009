// `descent train` as a user runs it, timed by its own per-epoch records (bench/README.md): run by
// bench/run.mjs with the bundled CLI (bench/bundle.mjs) and a JSON task; prints one JSON line.
//
//   node bench/cli_train.mjs <bundle of src/cli/main.ts> '{"epochs":5,"batch":64,"threads":1}'
//
// The command is `descent train --epochs 5 --batch-size 64 --lr 0.001 --threads <n> --json --out <tmp>`
// on the defaults, which are the course's network (784-100-100-100-10, sigmoid, batch norm, Adam) on
// descent's bundled MNIST (7,200 training samples after the 10% validation split). `--json` prints one
// record per epoch (its training samples/s, validation excluded) and a final one with the steady-state
// rate (the epochs after the first) and the first epoch's warm-up cost (src/run/throughput.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [cli, taskJson] = process.argv.slice(2);
const task = JSON.parse(taskJson ?? '{}');
const epochs = task.epochs ?? 5;
const batch = task.batch ?? 64;
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-bench-cli-'));
const argv = ['train', '--epochs', `${epochs}`, '--batch-size', `${batch}`, '--lr', '0.001', '--json'];
argv.push('--out', path.join(out, 'run'), ...(task.threads ? ['--threads', `${task.threads}`] : []));
const script = `const { main } = await import(${JSON.stringify(pathToFileURL(cli).href)}); await main(['node', 'descent', ...${JSON.stringify(argv)}]);`;
// A runner file, not `--input-type=module -e`: Node hands its flags to worker threads, and the wasm
// thread pool's eval'd CommonJS worker would then be parsed as a module ("require is not defined").
const runner = path.join(out, 'runner.mjs');
fs.writeFileSync(runner, script);
const t0 = performance.now();
const r = spawnSync(process.execPath, [...(task.nodeFlags ?? []), runner], {
  encoding: 'utf8',
  maxBuffer: 64 * 2 ** 20,
});
const wallSeconds = (performance.now() - t0) / 1000;
fs.rmSync(out, { recursive: true, force: true });
if (r.status !== 0) {
  throw new Error(`descent train exited with ${r.status}:\n${r.stderr}\n${r.stdout.slice(-2000)}`);
}
const records = r.stdout
  .split('\n')
  .filter((line) => line.startsWith('{'))
  .map((line) => JSON.parse(line));
const final = records.find((x) => x.final === true);
const perEpoch = records.filter((x) => x.epoch !== undefined && x.final === undefined);
if (final === undefined || perEpoch.length !== epochs) {
  throw new Error(
    `descent train --json printed ${perEpoch.length} epoch records and no final one:\n${r.stdout}`,
  );
}
if (typeof final.steadySamplesPerSec !== 'number') {
  // A CLI without the steady-state rate (or a run of one epoch): shown as absent, not as zero.
  console.log(
    JSON.stringify({ kind: 'cli-train', unavailable: 'descent train --json printed no steadySamplesPerSec' }),
  );
  process.exit(0);
}
console.log(
  JSON.stringify({
    kind: 'cli-train',
    model: 'bn-mlp',
    batch,
    epochs,
    threads: task.threads ?? null,
    command: `descent ${argv.join(' ').replace(path.join(out, 'run'), '<tmp>')}`,
    // The steady state is what the target compares with the bare loop.
    samplesPerSecond: final.steadySamplesPerSec,
    warmupSeconds: final.warmupSeconds,
    overallSamplesPerSecond: final.samplesPerSec,
    epochSamplesPerSecond: perEpoch.map((x) => Math.round(x.samplesPerSec)),
    testAccuracy: final.testAccuracy,
    processSeconds: Math.round(wallSeconds * 10) / 10,
  }),
);
