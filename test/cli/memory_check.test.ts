/**
 * `descent train` refuses a model that cannot fit before building it: exit 2 within a second or two,
 * with the estimate, the limit and what to do (a 30000-wide MLP once took 174 s and 14 GB to fail).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { optimizerSlots } from '../../src/cli/memory_check.js';
import { DEFAULTS } from '../../src/cli/run_config.js';
import { runCli } from './run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-memory-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('descent train with a model that cannot fit', () => {
  it('refuses --hidden 30000,30000 on the wasm backend at once, exit 2, with the estimate and the limit', async () => {
    const out = path.join(tmp, 'wide');
    const started = Date.now();
    const r = await runCli(['train', '--data', 'spirals', '--hidden', '30000,30000', '--out', out]);
    const seconds = (Date.now() - started) / 1000;
    expect(r.code, r.stderr).toBe(2);
    expect(seconds).toBeLessThan(3);
    // 900,210,003 parameters: the 30000×30000 weight's 3.35 GiB takes a 3.5 GiB block of the wasm
    // allocator, for the weight, its gradient and each of Adam's two moments.
    // (and once more as scratch: a transient copy of the largest parameter).
    expect(r.stderr).toMatch(/the model does not fit in memory: training it needs about 17\.6 GiB/);
    expect(r.stderr).toMatch(
      /3\.50 GiB of parameters, 3\.50 GiB of gradients, 7\.00 GiB of optimizer state \(2 per parameter\), [0-9.]+ MiB of activations, 3\.50 GiB of scratch, at batch size 64\)/,
    );
    expect(r.stderr).toMatch(
      /and 4\.00 GiB is available \(what the wasm backend's 4 GiB address space has left\)/,
    );
    expect(r.stderr).toMatch(/smaller model \(--hidden/);
    expect(r.stderr).toMatch(/--backend reference/);
    expect(fs.existsSync(path.join(out, 'config.json'))).toBe(false);
  });

  it('counts the optimizer it is given: SGD without momentum keeps no state', async () => {
    const r = await runCli([
      'train',
      '--data',
      'spirals',
      '--hidden',
      '30000,30000',
      '--optimizer',
      'sgd',
      '--out',
      path.join(tmp, 'sgd'),
    ]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/0 B of optimizer state \(0 per parameter\)/);
  });

  it("refuses on the reference backend what exceeds the machine's memory", async () => {
    const r = await runCli([
      'train',
      '--backend',
      'reference',
      '--data',
      'spirals',
      '--hidden',
      '200000,200000',
      '--out',
      path.join(tmp, 'reference'),
    ]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/of memory less what this process holds\)/);
    expect(r.stderr).not.toMatch(/--backend reference/);
  });
});

describe('optimizerSlots', () => {
  it.each([
    ['sgd', {}, 0],
    ['sgd', { momentum: 0.9 }, 1],
    ['adam', {}, 2],
    ['adam', { amsgrad: true }, 3],
    ['rmsprop', { centered: true, momentum: 0.9 }, 3],
    ['adagrad', {}, 1],
  ] as const)('finds %s %o keeps %i state tensors per parameter', (optimizer, options, slots) => {
    expect(optimizerSlots({ ...DEFAULTS, optimizer, ...options })).toBe(slots);
  });

  it('assumes two slots when the optimizer refuses its options (buildOptimizer reports them)', () => {
    expect(optimizerSlots({ ...DEFAULTS, optimizer: 'sgd', momentum: -1 })).toBe(2);
  });

  it('lets any other error through instead of swallowing it', () => {
    const broken = Object.defineProperty({ ...DEFAULTS, optimizer: 'adam' }, 'lr', {
      get: () => {
        throw new Error('a bug while reading the options');
      },
    });
    expect(() => optimizerSlots(broken as never)).toThrow('a bug while reading the options');
  });
});
