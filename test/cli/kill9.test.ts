/**
 * Fault injection: real `descent train` processes are killed with SIGKILL in the middle of each kind of
 * file write of a run (through the test-only DESCENT_FAULT hook, at a random point of a random write)
 * and after a random delay; each time the run directory must be loadable as it is, resumable
 * (`--resume` exits 0; a run killed before its first checkpoint is simply started again), free of
 * temporary files and locks afterwards, and end with the same weights, bit for bit, as a run that
 * was never interrupted. The trials are drawn from a seed printed in the test's name
 * (replay: DESCENT_KILL9_SEED=<seed>); DESCENT_KILL9_ALL=1 runs every point of every write instead.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSafetensors } from '../../src/io/checkpoint.js';
import { loadTrainingState } from '../../src/train/training_state_file.js';
import { rng } from '../backend/wasm_helpers.js';
import { bundleCli, type ChildRun, runChild } from './cli_process.js';

const seed = Number(process.env.DESCENT_KILL9_SEED ?? Date.now() % 2 ** 31);
const EPOCHS = 3;
const TRAIN = ['train', '--data', 'spirals', '--hidden', '8', '--epochs', String(EPOCHS)];
const COMMON = ['--threads', '1', '--json'];
/** Atomic writes per file in an uninterrupted run of EPOCHS epochs (metrics: an empty file first). */
const WRITES: Record<string, number> = {
  'config.json': 1,
  'metrics.jsonl': EPOCHS + 1,
  'state.safetensors': EPOCHS,
  'model.safetensors': EPOCHS,
  'report.html': 1,
  'summary.json': 1,
};
const POINTS = ['during-write', 'before-rename', 'after-write'] as const;

interface Trial {
  name: string;
  /** DESCENT_FAULT, or null for a kill after a delay. */
  fault: string | null;
  /** For delay trials: milliseconds after the first epoch's line. */
  delayMs: number;
}

/** Every point of every write (DESCENT_KILL9_ALL=1: about a minute of CPU; not drawn in npm test). */
function allTrials(): Trial[] {
  return Object.entries(WRITES).flatMap(([file, n]) =>
    POINTS.flatMap((point) =>
      Array.from({ length: n }, (_, i) => {
        const fault = `${point}:${file}:${i + 1}`;
        return { name: fault, fault, delayMs: 0 };
      }),
    ),
  );
}

function drawTrials(random: () => number): Trial[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const faultIn = (file: string): Trial => {
    const fault = `${pick(POINTS)}:${file}:${1 + Math.floor(random() * WRITES[file]!)}`;
    return { name: fault, fault, delayMs: 0 };
  };
  // Every checkpoint file every time; then one of: the config at start, the report, the summary, a
  // random moment.
  const trials = ['state.safetensors', 'model.safetensors', 'metrics.jsonl'].map(faultIn);
  const extra = pick(['config.json', 'report.html', 'summary.json', 'delay']);
  if (extra !== 'delay') trials.push(faultIn(extra));
  else {
    const delayMs = Math.floor(random() * 40);
    trials.push({ name: `kill ${delayMs} ms after epoch 1`, fault: null, delayMs });
  }
  return trials;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-kill9-'));
let cli = '';
let reference: Buffer;

beforeAll(async () => {
  cli = await bundleCli();
  const out = path.join(tmp, 'reference');
  const r = await runChild({ script: cli, args: [...TRAIN, ...COMMON, '--out', out], cwd: tmp });
  expect(r.code, r.stderr).toBe(0);
  reference = fs.readFileSync(path.join(out, 'model.safetensors'));
}, 120_000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  if (cli) fs.rmSync(cli, { force: true });
});

async function killedRun(trial: Trial, out: string): Promise<ChildRun> {
  const env: Record<string, string> = trial.fault === null ? {} : { DESCENT_FAULT: trial.fault };
  return runChild({
    script: cli,
    args: [...TRAIN, ...COMMON, '--out', out],
    cwd: tmp,
    env,
    onLine: (line, child) => {
      if (trial.fault === null && line.startsWith('{"epoch":1,')) {
        setTimeout(() => child.kill('SIGKILL'), trial.delayMs);
      }
    },
  });
}

/** What a killed run left must load as it is: every complete file parses. */
function expectLoadable(out: string): void {
  const has = (f: string) => fs.existsSync(path.join(out, f));
  if (has('config.json')) JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
  if (has('metrics.jsonl')) {
    for (const line of fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean)) {
      JSON.parse(line);
    }
  }
  if (has('state.safetensors'))
    expect(loadTrainingState(path.join(out, 'state.safetensors')).epoch).toBeGreaterThan(0);
  if (has('model.safetensors'))
    expect(loadSafetensors(path.join(out, 'model.safetensors')).tensors.size).toBeGreaterThan(0);
}

async function runTrial(trial: Trial, index: number): Promise<void> {
  const out = path.join(tmp, `trial-${index}`);
  const killed = await killedRun(trial, out);
  const where = `${trial.name} (seed ${seed})`;
  if (trial.fault !== null) expect(killed.signal, `${where}: ${killed.stderr}`).toBe('SIGKILL');
  const [point, file] = (trial.fault ?? '').split(':');
  if (point === 'during-write' || point === 'before-rename') {
    // The kill left the half-written or unrenamed temporary file behind: the next start must remove it.
    expect(
      fs.readdirSync(out).filter((f) => f.startsWith(`.${file}.`) && f.endsWith('.tmp')),
      where,
    ).toHaveLength(1);
  }
  expectLoadable(out);
  const resumable = fs.existsSync(path.join(out, 'state.safetensors'));
  const again = resumable
    ? await runChild({ script: cli, args: ['train', '--resume', out, ...COMMON], cwd: tmp })
    : await runChild({ script: cli, args: [...TRAIN, ...COMMON, '--out', out], cwd: tmp });
  expect(again.code, `${where}: ${resumable ? '--resume' : 'restart'}: ${again.stderr}`).toBe(0);
  expect(fs.readdirSync(out).sort(), where).toEqual(Object.keys(WRITES).sort());
  expect(fs.readFileSync(path.join(out, 'model.safetensors')).equals(reference), where).toBe(true);
  const epochs = fs
    .readFileSync(path.join(out, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { epoch: number }).epoch);
  expect(epochs, where).toEqual([1, 2, 3]);
}

describe(`kill -9 during a training run (seed ${seed}; replay with DESCENT_KILL9_SEED=${seed})`, () => {
  it(
    'leaves a loadable, resumable run directory whose resumed weights equal an uninterrupted run',
    async () => {
      const trials = process.env.DESCENT_KILL9_ALL === '1' ? allTrials() : drawTrials(rng(seed));
      // Two at a time: the machine's cores, and a bound on the wall time.
      for (let i = 0; i < trials.length; i += 2) {
        await Promise.all(trials.slice(i, i + 2).map((t, j) => runTrial(t, i + j)));
      }
    },
    process.env.DESCENT_KILL9_ALL === '1' ? 1_800_000 : 240_000,
  );
});
