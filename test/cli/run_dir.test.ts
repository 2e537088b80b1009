/**
 * `descent train`'s run directory as a unit: a finished run is never overwritten without --overwrite
 * (and --overwrite keeps it until the new run's first checkpoint), a locked directory is refused,
 * stale locks and orphaned temporary files of killed runs are cleaned up, a resume repairs the files
 * derived from the state and writes nothing when it fails, and a diverged run exits 3 keeping its last
 * good checkpoint.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTrainingState } from '../../src/train/training_state_file.js';
import { runCli } from './run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-run-dir-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const small = ['--data', 'spirals', '--hidden', '8', '--batch-size', '64', '--threads', '1'];
const FILES = [
  'config.json',
  'metrics.jsonl',
  'model.safetensors',
  'state.safetensors',
  'report.html',
  'summary.json',
];

let runs = 0;
function freshDir(): string {
  runs += 1;
  return path.join(tmp, `run-${runs}`);
}

/** Every file of a directory with its bytes, to compare before and after. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    files[name] = fs.readFileSync(path.join(dir, name)).toString('base64');
  }
  return files;
}

async function train(out: string, ...extra: string[]) {
  return runCli(['train', ...small, '--epochs', '2', '--json', '--out', out, ...extra]);
}

const lines = (s: string) =>
  s
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('a finished run is never overwritten without being asked', () => {
  it('train --out <existing run> exits 2 pointing to --resume and --overwrite, and changes nothing', async () => {
    const out = freshDir();
    expect((await train(out)).code).toBe(0);
    const before = snapshot(out);
    const r = await train(out, '--lr', '0.01');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: --out ${out}: already holds a run \\(state\\.safetensors from [0-9-]+ [0-9:]+\\); use --resume ${out} to continue it, or --overwrite to replace it \\(the old run is kept until the new one's first checkpoint\\)\\n$`,
      ),
    );
    expect(snapshot(out)).toEqual(before);
  });

  it('--overwrite replaces the run: new config, metrics of the new run only, a new report', async () => {
    const out = freshDir();
    expect((await runCli(['train', ...small, '--epochs', '3', '--json', '--out', out])).code).toBe(0);
    const r = await train(out, '--lr', '0.01', '--overwrite');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'))).toMatchObject({
      lr: 0.01,
      epochs: 2,
    });
    const metrics = lines(fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8'));
    expect(metrics.map((m) => [m.epoch, m.lr])).toEqual([
      [1, 0.01],
      [2, 0.01],
    ]);
    expect(loadTrainingState(path.join(out, 'state.safetensors')).epoch).toBe(2);
    expect(fs.readdirSync(out).sort()).toEqual([...FILES].sort());
  });

  it('--overwrite keeps the old run whole when the new one never reaches a checkpoint (diverges in epoch 1)', async () => {
    const out = freshDir();
    expect((await train(out)).code).toBe(0);
    const before = snapshot(out);
    const r = await train(out, '--lr', '1000', '--overwrite');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `no checkpoint was written (it diverged in its first epoch); ${out} still holds the run it was to replace`,
    );
    expect(snapshot(out)).toEqual(before);
  });

  it('a directory whose run never reached a checkpoint is simply reused', async () => {
    const out = freshDir();
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'config.json'), '{"epochs": 9}');
    fs.writeFileSync(path.join(out, 'metrics.jsonl'), '');
    const r = await train(out);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')).epochs).toBe(2);
  });

  it('--overwrite with --resume is refused: one continues the run, the other replaces it', async () => {
    const out = freshDir();
    expect((await train(out)).code).toBe(0);
    const r = await runCli(['train', '--resume', out, '--overwrite']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'error: --overwrite and --resume contradict each other: --resume continues the run in the directory, --overwrite replaces it; give one\n',
    );
  });
});

describe('one training per run directory', () => {
  it('a second training in a locked directory exits 2 naming the running process', async () => {
    const out = freshDir();
    fs.mkdirSync(out);
    const started = new Date().toISOString();
    const owner = { pid: process.ppid, host: os.hostname(), started, token: 't' };
    fs.writeFileSync(path.join(out, 'run.lock'), JSON.stringify(owner));
    const r = await train(out);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: --out ${out}: another training is writing this run directory (pid ${process.ppid} on ${os.hostname()}, started ${started}); wait for it to finish, stop it, or use another directory\n`,
    );
    expect(fs.readdirSync(out)).toEqual(['run.lock']);
  });

  it('a stale lock and the temporary files of a killed run are cleaned up; the lock is gone after the run', async () => {
    const out = freshDir();
    expect((await train(out)).code).toBe(0);
    // What kill -9 leaves: a lock naming a dead process, half-written temporary files.
    const dead = 2 ** 22 + 12345; // above Linux's default pid_max (4194304): no such process
    fs.writeFileSync(
      path.join(out, 'run.lock'),
      JSON.stringify({ pid: dead, host: os.hostname(), started: '2026-12-04T18:00:00.000Z', token: 'k' }),
    );
    for (const name of ['state.safetensors', 'model.safetensors', 'metrics.jsonl']) {
      fs.writeFileSync(path.join(out, `.${name}.${dead}.k3x9ab.tmp`), 'half a file');
    }
    const r = await runCli(['train', '--resume', out, '--epochs', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual([...FILES].sort());
  });

  it('a run killed before its first metrics line (config.json, a stale lock) restarts with the same command', async () => {
    const out = freshDir();
    fs.mkdirSync(out, { recursive: true });
    // What kill -9 between the config and the first metrics write leaves behind.
    const dead = 2 ** 22 + 54321; // above Linux's default pid_max: no such process
    fs.writeFileSync(path.join(out, 'config.json'), '{}\n');
    fs.writeFileSync(
      path.join(out, 'run.lock'),
      JSON.stringify({ pid: dead, host: os.hostname(), started: '2026-12-04T18:00:00.000Z', token: 'k' }),
    );
    fs.writeFileSync(path.join(out, `.metrics.jsonl.${dead}.k3x9ab.tmp`), '');
    const r = await train(out);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual([...FILES].sort());
    // Without those traces, a lone config.json may be the user's own: refused, not replaced.
    const mine = freshDir();
    fs.mkdirSync(mine, { recursive: true });
    fs.writeFileSync(path.join(mine, 'config.json'), '{"mine": true}\n');
    const refused = await train(mine);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not empty and holds no descent run (config.json would be replaced');
  });

  it('the lock is released after a run that failed', async () => {
    const out = freshDir();
    const r = await train(out, '--lr', '1000');
    expect(r.code).toBe(3);
    expect(fs.existsSync(path.join(out, 'run.lock'))).toBe(false);
  });
});

describe('resume and the files derived from the state', () => {
  it('repairs a damaged metrics.jsonl and a missing epoch line from the state, then continues', async () => {
    const straight = freshDir();
    expect((await runCli(['train', ...small, '--epochs', '3', '--json', '--out', straight])).code).toBe(0);
    const out = freshDir();
    expect((await train(out)).code).toBe(0);
    const good = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').split('\n');
    // The second epoch's line lost (a kill between the state and the metrics), the first one damaged.
    fs.writeFileSync(path.join(out, 'metrics.jsonl'), `${good[0]!.slice(0, 20)}\u0000garbage\n`);
    const r = await runCli(['train', '--resume', out, '--epochs', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const metrics = lines(fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8'));
    const expected = lines(fs.readFileSync(path.join(straight, 'metrics.jsonl'), 'utf8'));
    const stable = (m: Record<string, unknown>) => [m.epoch, m.trainLoss, m.valLoss, m.lr];
    expect(metrics.map(stable)).toEqual(expected.map(stable));
    expect(fs.readFileSync(path.join(out, 'model.safetensors'))).toEqual(
      fs.readFileSync(path.join(straight, 'model.safetensors')),
    );
  });

  it('a resume rewrites the derived files from the state before training (here: nothing left to train)', async () => {
    const out = freshDir();
    expect((await train(out)).code).toBe(0);
    const model = fs.readFileSync(path.join(out, 'model.safetensors'));
    const metrics = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8');
    // A kill between the state and the derived files leaves these behind or damaged.
    fs.writeFileSync(path.join(out, 'model.safetensors'), model.subarray(0, 100));
    fs.writeFileSync(path.join(out, 'metrics.jsonl'), metrics.split('\n')[0]!.slice(0, 30));
    const r = await runCli(['train', '--resume', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(out, 'model.safetensors'))).toEqual(model);
    expect(fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8')).toBe(metrics);
  });

  it('a resume that fails its checks leaves every file as it was', async () => {
    const out = freshDir();
    expect((await train(out)).code).toBe(0);
    // The saved configuration no longer matches the saved weights.
    const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
    fs.writeFileSync(path.join(out, 'config.json'), JSON.stringify({ ...config, hidden: [5] }));
    const before = snapshot(out);
    const r = await runCli(['train', '--resume', out, '--epochs', '3', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: --resume ${out}: `));
    expect(snapshot(out)).toEqual(before);
  });
});

describe('divergence', () => {
  it('exits 3, writes no checkpoint of a run that diverges in epoch 1, and says so', async () => {
    const out = freshDir();
    const r = await train(out, '--lr', '1000');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /descent: training diverged: loss exploded to .* at epoch 1, step \d+ with lr 1000: the learning rate is very likely too high; try 100 or lower; no checkpoint was written \(it diverged in its first epoch\)\n$/,
    );
    const final = lines(r.stdout).at(-1)!;
    expect(final).toMatchObject({ final: true, status: 'diverged', checkpointEpoch: null, testLoss: null });
    expect(fs.existsSync(path.join(out, 'model.safetensors'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'state.safetensors'))).toBe(false);
  });

  it('keeps the last good checkpoint (bit for bit) and names its epoch', async () => {
    // lr 0.01 in epoch 1, then ×1e5 per epoch: epoch 2 diverges.
    const schedule = ['--lr', '0.01', '--schedule', 'exponential:gamma=100000', '--epochs', '3'];
    const out = freshDir();
    const r = await runCli(['train', ...small, ...schedule, '--json', '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`; ${out} keeps the checkpoint of epoch 1, the last before the divergence\n`);
    expect(lines(r.stdout).at(-1)).toMatchObject({ status: 'diverged', checkpointEpoch: 1 });
    expect(loadTrainingState(path.join(out, 'state.safetensors')).epoch).toBe(1);
    expect(lines(fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8')).map((m) => m.epoch)).toEqual([1]);
    // The kept weights are exactly those of a run stopped after epoch 1.
    const one = freshDir();
    const r1 = await runCli([
      'train',
      ...small,
      ...schedule.slice(0, 4),
      '--epochs',
      '1',
      '--json',
      '--out',
      one,
    ]);
    expect(r1.code, r1.stderr).toBe(0);
    expect(fs.readFileSync(path.join(out, 'model.safetensors'))).toEqual(
      fs.readFileSync(path.join(one, 'model.safetensors')),
    );
  });
});
