/**
 * `descent train --resume`: a resumed run continues its saved configuration. Each incompatible case
 * exits 2 with one line naming what differs (it used to exit 1 with `Cannot read properties of null
 * (reading 'expAvg')`, `SGD: momentum must be … got undefined`, or silently continue on other data);
 * the flags that do not change the training are accepted. Refusals happen before the first step and
 * leave the run directory as it was.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { parseTrainingState, serializeTrainingState } from '../../src/train/training_state.js';
import { runCli } from './run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-resume-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const small = ['--data', 'spirals', '--hidden', '8', '--activation', 'relu', '--batch-size', '64'];
const base = path.join(tmp, 'base');

beforeAll(async () => {
  const r = await runCli(['train', ...small, '--epochs', '2', '--json', '--out', base]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

let copies = 0;
/** A fresh copy of the two-epoch run, to resume or to damage. */
function copyOfRun(): string {
  const dir = path.join(tmp, `copy${copies++}`);
  fs.cpSync(base, dir, { recursive: true });
  return dir;
}

function stateBytes(dir: string): Uint8Array {
  return fs.readFileSync(path.join(dir, 'state.safetensors'));
}

/** Resumes `dir` with extra flags; checks it was refused with exit 2 on one line and nothing changed. */
async function refused(dir: string, flags: string[]): Promise<string> {
  const before = stateBytes(dir);
  const r = await runCli(['train', '--resume', dir, ...flags, '--json']);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(Buffer.from(stateBytes(dir)).equals(Buffer.from(before))).toBe(true);
  return r.stderr;
}

describe('--resume refuses a flag that changes the training, naming the flag, the saved and the given value', () => {
  it.each([
    [
      '--optimizer adamw on an adam run',
      ['--optimizer', 'adamw'],
      '--optimizer "adamw" differs from the run\'s "adam"',
    ],
    [
      '--optimizer sgd on an adam run',
      ['--optimizer', 'sgd'],
      '--optimizer "sgd" differs from the run\'s "adam"',
    ],
    [
      '--schedule cosine added',
      ['--schedule', 'cosine'],
      '--schedule "cosine" differs from the run\'s "none"',
    ],
    ['--early-stopping added', ['--early-stopping', '2'], "--early-stopping 2 differs from the run's 0"],
    [
      '--data moons on a spirals run',
      ['--data', 'moons'],
      '--data "moons" differs from the run\'s "spirals"',
    ],
    ['another --lr', ['--lr', '0.5'], "--lr 0.5 differs from the run's 0.001 (unset: the default)"],
    ['other --hidden widths', ['--hidden', '8,8'], "--hidden [8,8] differs from the run's [8]"],
    ['another --seed', ['--seed', '3'], "--seed 3 differs from the run's 0"],
  ])('%s', async (_what, flags, message) => {
    const err = await refused(base, flags);
    expect(err).toContain(`--resume ${base}: ${message}; a resumed run continues its saved configuration`);
    expect(err).toContain('only --epochs, --lang, --backend, --threads and --json may change');
  });

  it('refuses a --config file key that differs, naming it as a flag', async () => {
    const file = path.join(tmp, 'other.json');
    fs.writeFileSync(file, JSON.stringify({ batchSize: 16 }));
    expect(await refused(base, ['--config', file])).toContain("--batch-size 16 differs from the run's 64");
  });

  it('refuses --out pointing elsewhere', async () => {
    expect(await refused(base, ['--out', path.join(tmp, 'elsewhere')])).toContain(
      'cannot be combined with --resume',
    );
  });

  it('refuses --epochs below the epochs already trained', async () => {
    expect(await refused(base, ['--epochs', '1'])).toContain(
      `--resume ${base}: --epochs 1 is fewer than the 2 epochs the run has trained`,
    );
  });
});

describe('--resume accepts the flags that do not change the training', () => {
  it('--epochs, --lang, --threads and repeating a saved value continue the run', async () => {
    const dir = copyOfRun();
    const r = await runCli([
      'train',
      '--resume',
      dir,
      '--epochs',
      '3',
      '--lang',
      'zh',
      '--threads',
      '1',
      '--optimizer',
      'adam',
      '--data',
      'spirals',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(parseTrainingState(stateBytes(dir)).epoch).toBe(3);
  }, 60_000);
});

describe('--resume checks what the state depends on', () => {
  it('refuses a state file with a flipped data bit (checksum)', async () => {
    const dir = copyOfRun();
    const file = path.join(dir, 'state.safetensors');
    const bytes = new Uint8Array(fs.readFileSync(file));
    bytes[bytes.length - 5]! ^= 0x04;
    fs.writeFileSync(file, bytes);
    const err = await refused(dir, []);
    expect(err).toContain('the checksum does not match');
    expect(err).toContain('the file is corrupted or was edited');
  });

  it('refuses a config.json edited since the state was written', async () => {
    const dir = copyOfRun();
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('"optimizer": "adam"', '"optimizer": "sgd"'),
    );
    expect(await refused(dir, [])).toContain(
      'config.json says optimizer "sgd" but the training state was trained with "adam"; config.json was edited since',
    );
  });

  it('refuses training data that changed since the run started (a CSV file edited)', async () => {
    const csv = path.join(tmp, 'data.csv');
    const rows = Array.from({ length: 60 }, (_, i) => `${(i % 7) / 7},${(i % 5) / 5},${i % 2}`);
    fs.writeFileSync(csv, `a,b,label\n${rows.join('\n')}\n`);
    const dir = path.join(tmp, 'csv-run');
    const first = await runCli([
      'train',
      '--data',
      csv,
      '--hidden',
      '4',
      '--epochs',
      '1',
      '--json',
      '--out',
      dir,
    ]);
    expect(first.code, first.stderr).toBe(0);
    fs.writeFileSync(csv, `a,b,label\n${rows.join('\n').replace('0,0,0', '0.5,0,0')}\n`);
    expect(await refused(dir, ['--epochs', '2'])).toMatch(
      /the (train|validation|test) data differ from the run's \(.* then, .* now\); did .*data\.csv change since the run started\?/,
    );
  }, 60_000);

  it('refuses a broken random state or history in a state file with a valid checksum', async () => {
    for (const [edit, message] of [
      [
        (s: Record<string, unknown>) => (s.rng = [1, 2, 3]),
        'rng must be null or the 5 numbers of a generator state',
      ],
      [
        (s: Record<string, unknown>) => ((s.history as Record<string, unknown>).stepLosses = 'x'),
        'history.stepLosses must be a list of numbers',
      ],
    ] as const) {
      const dir = copyOfRun();
      const state = parseTrainingState(stateBytes(dir)) as unknown as Record<string, unknown>;
      edit(state);
      fs.writeFileSync(path.join(dir, 'state.safetensors'), serializeTrainingState(state as never));
      const err = await refused(dir, []);
      expect(err).toContain(
        `--resume ${dir}: parseTrainingState: ${path.join(dir, 'state.safetensors')}: ${message}`,
      );
    }
  });

  it('refuses an Adam step count of -3 in the state, naming it, before any training', async () => {
    const dir = copyOfRun();
    const state = parseTrainingState(stateBytes(dir));
    const slots = (state.optimizer as { state: Record<string, unknown[]> }).state['0']!;
    (slots.find((s) => s !== null) as { step: number }).step = -3;
    fs.writeFileSync(path.join(dir, 'state.safetensors'), serializeTrainingState(state));
    const metrics = fs.readFileSync(path.join(dir, 'metrics.jsonl'));
    const err = await refused(dir, ['--epochs', '3']);
    expect(err).toContain('the checkpoint does not fit this configuration');
    expect(err).toContain(
      'Adam.loadStateDict: state of parameter 0 (scaleByAdam).step: expected a step count (a non-negative integer), got -3',
    );
    expect(fs.readFileSync(path.join(dir, 'metrics.jsonl'))).toEqual(metrics);
  });

  it('resumes a version-1 state (descent 0.1.0) with a note that data and configuration are unchecked', async () => {
    const dir = copyOfRun();
    const { model, context: _context, ...rest } = parseTrainingState(stateBytes(dir));
    const json = JSON.stringify({ ...rest, version: 1 }, (_k, v) =>
      ArrayBuffer.isView(v)
        ? Array.from(v as Float32Array)
        : typeof v === 'number' && !Number.isFinite(v)
          ? String(v)
          : v,
    );
    const tensors = new Map(Object.entries(model));
    fs.writeFileSync(
      path.join(dir, 'state.safetensors'),
      encodeSafetensors(tensors, { 'descent.trainingState': json }),
    );
    const r = await runCli(['train', '--resume', dir, '--epochs', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `note: --resume ${dir}: the state was written by descent 0.1.0 (training state version 1), which recorded neither the data nor the configuration; they are not checked`,
    );
    expect(parseTrainingState(stateBytes(dir)).epoch).toBe(3);
  }, 60_000);
});
