/**
 * `descent train --optimizer adam-to-sgd` ("Adam early, SGD late") and `--residual`: the switch at
 * epoch k is exactly k epochs of Adam then SGD; SWATS runs when no epoch is given; every setting that
 * would be ignored or could not work is refused by name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRunData } from '../../src/cli/run_data.js';
import { DataLoader } from '../../src/data/loader.js';
import { loadModel } from '../../src/io/checkpoint.js';
import type { OptimizerLike } from '../../src/optim/optimizer.js';
import { Adam } from '../../src/optim/optimizers/adam.js';
import { SGD } from '../../src/optim/optimizers/sgd.js';
import { buildModel } from '../../src/run/build_model.js';
import { parseRunConfig } from '../../src/run/run_config.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { fit } from '../../src/train/trainer.js';
import { runCli } from './run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-a2s-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const small = ['--data', 'spirals', '--hidden', '16,16', '--activation', 'relu', '--batch-size', '32'];
const lines = (s: string) =>
  s
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Adam until epoch `k` has ended, then SGD: an optimizer switched by the trainer's epoch callback. */
class Phased implements OptimizerLike {
  current: OptimizerLike;
  constructor(
    readonly adam: Adam,
    readonly sgd: SGD,
  ) {
    this.current = adam;
  }
  get paramGroups() {
    return this.current.paramGroups;
  }
  get lr() {
    return this.current.lr;
  }
  set lr(v: number) {
    this.current.lr = v;
  }
  step(closure?: () => Tensor | number) {
    return this.current.step(closure);
  }
  zeroGrad(o?: { setToNone?: boolean }) {
    this.current.zeroGrad(o);
  }
  stateDict() {
    return this.current.stateDict();
  }
  loadStateDict() {
    throw new Error('not needed');
  }
}

describe('descent train --optimizer adam-to-sgd', () => {
  it('switching at epoch k gives bit-identical weights to k epochs of Adam, then SGD', async () => {
    const out = path.join(tmp, 'switch');
    const flags = ['--optimizer', 'adam-to-sgd', '--lr', '0.01', '--switch-epoch', '2'];
    const sgdFlags = ['--sgd-lr', '0.05', '--sgd-momentum', '0.9', '--no-batch-norm', '--residual'];
    const r = await runCli([
      'train',
      ...small,
      ...flags,
      ...sgdFlags,
      '--hidden',
      '16,16,16',
      '--epochs',
      '4',
      '--json',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toHaveLength(5);
    const config = parseRunConfig({
      data: 'spirals',
      hidden: [16, 16, 16],
      activation: 'relu',
      batchSize: 32,
      batchNorm: false,
      residual: true,
      epochs: 4,
    });
    const data = loadRunData(config, { test: false });
    const model = buildModel(config, data.train.sampleShape, data.train.numClasses);
    const params = model.parameters();
    const phased = new Phased(new Adam(params, { lr: 0.01 }), new SGD(params, { lr: 0.05, momentum: 0.9 }));
    const loader = new DataLoader(data.train, { batchSize: 32, shuffle: true, seed: 0 });
    const switchAfter2 = {
      onEpochBegin(epoch: number) {
        if (epoch === 3) phased.current = phased.sgd;
      },
    };
    fit(model, loader, {
      optimizer: phased,
      loss: 'crossEntropy',
      epochs: 4,
      validation: data.validation!,
      callbacks: [switchAfter2],
    });
    const trained = buildModel(config, data.train.sampleShape, data.train.numClasses);
    loadModel(path.join(out, 'model.safetensors'), trained);
    const mine = model.parameters().map((p) => p.toArray());
    const cli = trained.parameters().map((p) => p.toArray());
    expect(cli).toEqual(mine);
    // And the switch mattered: Adam all the way ends elsewhere.
    const adamOnly = path.join(tmp, 'adam-only');
    await runCli(
      ['train', ...small, '--hidden', '16,16,16', '--no-batch-norm', '--residual', '--lr', '0.01'].concat([
        '--epochs',
        '4',
        '--json',
        '--out',
        adamOnly,
      ]),
    );
    const adamModel = buildModel(config, data.train.sampleShape, data.train.numClasses);
    loadModel(path.join(adamOnly, 'model.safetensors'), adamModel);
    expect(adamModel.parameters().map((p) => p.toArray())).not.toEqual(cli);
  });

  it('resumes a run after the switch to the same weights as an uninterrupted run (SGD state saved)', async () => {
    const flags = [...small, '--optimizer', 'adam-to-sgd', '--switch-epoch', '1', '--sgd-lr', '0.05'];
    const straight = path.join(tmp, 'straight');
    const resumed = path.join(tmp, 'resumed');
    await runCli(['train', ...flags, '--epochs', '3', '--json', '--out', straight]);
    await runCli(['train', ...flags, '--epochs', '2', '--json', '--out', resumed]);
    const r = await runCli(['train', '--resume', resumed, '--epochs', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(resumed, 'model.safetensors'))).toEqual(
      fs.readFileSync(path.join(straight, 'model.safetensors')),
    );
  });

  it('runs SWATS when no switch epoch is given', async () => {
    const r = await runCli(
      ['train', ...small, '--optimizer', 'adam-to-sgd', '--epochs', '2', '--json'].concat([
        '--out',
        path.join(tmp, 'swats'),
      ]),
    );
    expect(r.code, r.stderr).toBe(0);
    const l = lines(r.stdout);
    expect(l.at(-1)!.status).toBe('completed');
    expect(Number.isFinite(l.at(-1)!.testLoss)).toBe(true);
  });

  it('refuses the switch keys with another optimizer, naming them', async () => {
    const r = await runCli([
      'train',
      ...small,
      '--optimizer',
      'sgd',
      '--switch-epoch',
      '1',
      '--sgd-lr',
      '0.1',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--switch-epoch, --sgd-lr set the Adam→SGD switch: it applies to --optimizer adam-to-sgd only, and sgd would ignore it/,
    );
  });

  it('refuses a switch epoch at or after the last epoch', async () => {
    const r = await runCli(['train', ...small, '--optimizer', 'adam-to-sgd', '--switch-epoch', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--switch-epoch 3 would never switch in 3 epochs/);
  });

  it('refuses a schedule with adam-to-sgd', async () => {
    const r = await runCli(['train', ...small, '--optimizer', 'adam-to-sgd', '--schedule', 'cosine']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /adam-to-sgd sets SGD's learning rate at the switch; it cannot be combined with a schedule/,
    );
  });

  it("refuses an option Adam does not take, by flag, as adam-to-sgd's", async () => {
    const r = await runCli(['train', ...small, '--optimizer', 'adam-to-sgd', '--momentum', '0.9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/option '--momentum' is not accepted by adam-to-sgd; it takes --lr/);
  });

  it('lr-find refuses adam-to-sgd', async () => {
    const r = await runCli(['lr-find', ...small, '--optimizer', 'adam-to-sgd', '--steps', '10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lr-find sweeps one optimizer's learning rate; adam-to-sgd changes optimizer/);
  });
});

describe('descent train --residual', () => {
  it('refuses --residual for an architecture other than mlp (flag and config file)', async () => {
    const flag = await runCli(['train', '--arch', 'lenet5', '--residual']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--residual applies to --arch mlp only; --arch lenet5 would ignore it/);
    const file = path.join(tmp, 'res.json');
    fs.writeFileSync(file, JSON.stringify({ arch: 'resnet', residual: true }));
    const fromFile = await runCli(['train', '--config', file]);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toMatch(
      /residual adds skip connections to the mlp only; arch resnet has its own/,
    );
  });
});
