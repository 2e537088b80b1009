/**
 * Review issue 12, the valid runs that were refused: a run trained with early stopping or a plateau
 * schedule is evaluated (`eval --run`) and swept (`lr-find --config`) although both commands turn the
 * validation split off; a resumed Adam run accepts `--lr 0.001`, the default it trained with, and still
 * refuses another learning rate.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-evalruns-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const at = (name: string) => path.join(tmp, name);

const small = ['--data', 'spirals', '--hidden', '4', '--epochs', '2', '--json'];

beforeAll(async () => {
  for (const [dir, flags] of [
    ['early', ['--early-stopping', '1']],
    ['plateau', ['--schedule', 'plateau']],
    ['adam', ['--optimizer', 'adam']],
  ] as const) {
    const r = await runCli(['train', ...small, ...flags, '--out', at(dir)]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);

describe('a run with training-only settings is evaluated and swept', () => {
  it.each(['early', 'plateau'])('eval --run of the %s run reports its test accuracy', async (dir) => {
    const r = await runCli(['eval', '--run', at(dir), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { accuracy: number; samples: number };
    expect(out.samples).toBe(200); // spirals: 1000 samples, 20% for test
    expect(out.accuracy).toBeGreaterThanOrEqual(0);
  });

  it.each(['early', 'plateau'])('lr-find --config with the %s run config.json sweeps', async (dir) => {
    const r = await runCli([
      'lr-find',
      '--config',
      path.join(at(dir), 'config.json'),
      '--steps',
      '5',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { lrs: number[] }).lrs).toHaveLength(5);
  });
});

describe('--resume compares a flag with the value the run trained with, defaults included', () => {
  it('accepts --lr 0.001 on an Adam run that left lr at its default', async () => {
    const r = await runCli(['train', '--resume', at('adam'), '--lr', '0.001', '--epochs', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('accepts --betas 0.9,0.999 (Adam’s default) and refuses --lr 0.01, naming the default it differs from', async () => {
    const same = await runCli(['train', '--resume', at('adam'), '--betas', '0.9,0.999', '--json']);
    expect(same.code, same.stderr).toBe(0);
    const other = await runCli(['train', '--resume', at('adam'), '--lr', '0.01', '--json']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--lr 0\.01 differs from the run's 0\.001 \(unset: the default\)/);
  });
});
