/** `descent train`, `eval` and `lr-find`: flags, the JSON contract, the run directory, resume, errors. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULTS, resolveConfig } from '../../src/cli/run_config.js';
import { runCli } from './run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const small = ['--data', 'spirals', '--hidden', '16,16', '--activation', 'relu', '--batch-size', '32'];
const lines = (s: string) =>
  s
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('descent train', () => {
  it('prints the JSON contract: one line per epoch, then the final summary; writes the run directory', async () => {
    const out = path.join(tmp, 'a');
    const r = await runCli(['train', ...small, '--epochs', '2', '--lr', '0.01', '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const l = lines(r.stdout);
    expect(l).toHaveLength(3);
    for (const [i, e] of l.slice(0, 2).entries()) {
      expect(Object.keys(e).sort()).toEqual([
        'epoch',
        'lr',
        'samplesPerSec',
        'trainAccuracy',
        'trainLoss',
        'valAccuracy',
        'valLoss',
      ]);
      expect(e.epoch).toBe(i + 1);
    }
    expect(Object.keys(l[2]!).sort()).toEqual([
      'bestEpoch',
      'epochs',
      'final',
      'samplesPerSec',
      'status',
      'steadySamplesPerSec',
      'testAccuracy',
      'testLoss',
      'wallSeconds',
      'warmupSeconds',
    ]);
    expect(l[2]!.final).toBe(true);
    expect(l[2]!.status).toBe('completed');
    // Two epochs: the steady state is the second one's speed; the warm-up, the first one's extra time.
    expect(l[2]!.steadySamplesPerSec as number).toBeCloseTo(l[1]!.samplesPerSec as number, 6);
    expect(l[2]!.warmupSeconds as number).toBeGreaterThanOrEqual(0);
    expect(l[2]!.testAccuracy as number).toBeGreaterThan(0.6);
    for (const f of [
      'config.json',
      'metrics.jsonl',
      'model.safetensors',
      'state.safetensors',
      'report.html',
      'summary.json',
    ]) {
      expect(fs.existsSync(path.join(out, f)), f).toBe(true);
    }
    // summary.json is the final line, throughput included, and the backend the run used.
    expect(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'))).toEqual({
      ...l[2],
      // The default backend: wasm, unless the suite runs with DESCENT_BACKEND=reference.
      backend: process.env.DESCENT_BACKEND === 'reference' ? 'reference' : 'wasm',
    });
    expect(fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    const report = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(report).toContain('<svg');
    expect(report).toContain('Per-layer statistics');
  });

  it('resuming a run gives the same final weights as an uninterrupted run with the same seed', async () => {
    const straight = path.join(tmp, 'straight');
    const resumed = path.join(tmp, 'resumed');
    await runCli(['train', ...small, '--epochs', '3', '--json', '--out', straight]);
    await runCli(['train', ...small, '--epochs', '1', '--json', '--out', resumed]);
    const r = await runCli(['train', '--resume', resumed, '--epochs', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout).map((l) => l.epoch ?? 'final')).toEqual([2, 3, 'final']);
    expect(fs.readFileSync(path.join(resumed, 'model.safetensors'))).toEqual(
      fs.readFileSync(path.join(straight, 'model.safetensors')),
    );
  });

  it('gives byte-identical weights with 1 and 2 threads (--threads, recorded in config.json)', async () => {
    // Hidden layers of 256 at batch 128 make products large enough to be split over the threads.
    const wide = [
      '--data',
      'spirals',
      '--hidden',
      '256,256',
      '--batch-size',
      '128',
      '--epochs',
      '2',
      '--json',
    ];
    const runs: Buffer[] = [];
    for (const threads of ['1', '2']) {
      const out = path.join(tmp, `threads-${threads}`);
      const r = await runCli(['train', ...wide, '--threads', threads, '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')).threads).toBe(
        Number(threads),
      );
      runs.push(fs.readFileSync(path.join(out, 'model.safetensors')));
    }
    expect(runs[1]).toEqual(runs[0]);
  });

  it('takes settings from --config, with flags overriding the file', async () => {
    const file = path.join(tmp, 'config.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ data: 'moons', hidden: [8], epochs: 1, optimizer: 'sgd', lr: 0.5, momentum: 0.9 }),
    );
    const out = path.join(tmp, 'cfg');
    const r = await runCli(['train', '--config', file, '--lr', '0.05', '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
    expect(saved).toMatchObject({
      data: 'moons',
      hidden: [8],
      epochs: 1,
      optimizer: 'sgd',
      lr: 0.05,
      momentum: 0.9,
    });
    expect(lines(r.stdout)[0]!.lr).toBe(0.05);
  });

  it('maps every train flag to its setting', async () => {
    const out = path.join(tmp, 'flags');
    const args = [
      'train',
      '--data',
      'xor',
      '--standardize',
      '--arch',
      'mlp',
      '--hidden',
      '12',
      '--activation',
      'tanh',
      '--init',
      'xavier',
      '--no-batch-norm',
      '--dropout',
      '0.1',
      '--input-dropout',
      '0.05',
      '--optimizer',
      'sgd',
      '--lr',
      '0.05',
      '--momentum',
      '0.9',
      '--dampening',
      '0',
      '--nesterov',
      '--weight-decay',
      '0.001',
      '--schedule',
      'cosine',
      '--warmup',
      '3',
      '--l1',
      '1e-5',
      '--l2',
      '1e-4',
      '--clip-norm',
      '5',
      '--early-stopping',
      '3',
      '--validation',
      '0.2',
      '--epochs',
      '2',
      '--batch-size',
      '50',
      '--seed',
      '7',
      '--lang',
      'zh',
      '--json',
      '--out',
      out,
    ];
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(0);
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
    expect(saved).toMatchObject({
      data: 'xor',
      standardize: true,
      arch: 'mlp',
      hidden: [12],
      activation: 'tanh',
      init: 'xavier',
      batchNorm: false,
      dropout: 0.1,
      inputDropout: 0.05,
      optimizer: 'sgd',
      lr: 0.05,
      momentum: 0.9,
      dampening: 0,
      nesterov: true,
      weightDecay: 0.001,
      schedule: 'cosine',
      warmup: 3,
      l1: 1e-5,
      l2: 1e-4,
      clipNorm: 5,
      earlyStopping: 3,
      validation: 0.2,
      epochs: 2,
      batchSize: 50,
      seed: 7,
      lang: 'zh',
    });
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('训练报告');
  });

  it('accepts the optimizer flags of the other optimizers', async () => {
    const cases = [
      ['--optimizer', 'adagrad', '--lr-decay', '0.01', '--initial-accumulator-value', '0.1', '--eps', '1e-8'],
      ['--optimizer', 'rmsprop', '--alpha', '0.9', '--centered', '--momentum', '0.5'],
      ['--optimizer', 'adadelta', '--rho', '0.8'],
      ['--optimizer', 'adamw', '--betas', '0.8,0.99', '--amsgrad'],
    ];
    for (const extra of cases) {
      const r = await runCli([
        'train',
        ...small,
        '--epochs',
        '1',
        '--validation',
        '0',
        '--json',
        '--out',
        path.join(tmp, extra[1]!),
        ...extra,
      ]);
      expect(r.code, `${extra.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });

  it('writes a plain line per epoch when stdout is not a terminal', async () => {
    const r = await runCli(['train', ...small, '--epochs', '1', '--out', path.join(tmp, 'plain')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^epoch 1\/1 {2}trainLoss \d\.\d{4} {2}trainAccuracy \d\.\d{4} {2}valLoss/m);
    expect(r.stdout).toMatch(/^report: .*report\.html$/m);
  });

  const errors: [string[], RegExp][] = [
    [['--data', 'nowhere.csv'], /--data nowhere\.csv: no such file; accepted: mnist, fashion-mnist, spirals/],
    [
      ['--arch', 'vgg'],
      /--arch <name>' argument 'vgg' is invalid\. 'vgg' is not one of: mlp, lenet5, resnet, densenet, plain/,
    ],
    [
      ['--optimizer', 'adam', '--rho', '0.3', '--data', 'xor'],
      /option '--rho' is not accepted by adam; it takes --lr, --betas/,
    ],
    [['--optimizer', 'adamm'], /optimizer must be one of sgd, adagrad/],
    [['--hidden', '10,x'], /'10,x' is not a list of positive integers/],
    [['--schedule', 'warm'], /schedule must be one of none, step, multistep/],
    [
      ['--schedule', 'step:gamma=fast', '--data', 'xor'],
      /--schedule step:gamma=fast: 'gamma=fast' is not key=number/,
    ],
    [['--early-stopping', '2', '--validation', '0'], /earlyStopping needs a validation split/],
    [['--resume', '/nonexistent/run'], /--resume \/nonexistent\/run: not a run directory/],
    [['--config', '/nonexistent.json'], /--config \/nonexistent\.json: cannot read the file/],
    [['--epochs', '0'], /--epochs must be an integer from 1 to 100,000, got 0/],
    [['--arch', 'lenet5', '--data', 'moons'], /--arch lenet5 needs image data/],
    [['--backend', 'gpu'], /--backend <name>' argument 'gpu' is invalid/],
    [['--threads', '0'], /threads must be an integer from 1 to 64, got 0/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
  ];
  for (const [args, message] of errors) {
    it(`exits with code 2 naming the problem: ${args.join(' ')}`, async () => {
      const r = await runCli(['train', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }

  it('its defaults are the course network: 784-100-100-100-10, sigmoid, batch norm, Adam, batch 64', () => {
    const c = resolveConfig({}, {});
    expect(c).toMatchObject({
      data: 'mnist',
      arch: 'mlp',
      hidden: [100, 100, 100],
      batchNorm: true,
      optimizer: 'adam',
      batchSize: 64,
    });
    expect(c.activation ?? 'sigmoid').toBe('sigmoid');
    expect(DEFAULTS.epochs).toBeGreaterThan(0);
  });
});

describe('descent eval', () => {
  const fixture = JSON.parse(fs.readFileSync(new URL('../fixtures/eval.json', import.meta.url), 'utf8')) as {
    accuracy: number;
    loss: number;
    samples: number;
  };
  const weights = fileURLToPathSafe(new URL('../fixtures/eval_mlp.safetensors', import.meta.url));
  const csv = fileURLToPathSafe(new URL('../fixtures/eval_data.csv', import.meta.url));

  it("loads PyTorch's nn.Sequential state dict and gives PyTorch's accuracy on the same samples", async () => {
    const r = await runCli([
      'eval',
      '--weights',
      weights,
      '--data',
      csv,
      '--hidden',
      '16',
      '--activation',
      'relu',
      '--split',
      'all',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { accuracy: number; loss: number; samples: number };
    expect(j.samples).toBe(fixture.samples);
    expect(j.accuracy).toBeCloseTo(fixture.accuracy, 6);
    expect(Math.abs(j.loss - fixture.loss)).toBeLessThan(1e-5);
  });

  it('evaluates a run directory on each split', async () => {
    const out = path.join(tmp, 'ev');
    await runCli(['train', ...small, '--epochs', '1', '--json', '--out', out]);
    const sizes: Record<string, number> = {};
    for (const split of ['train', 'validation', 'test', 'all']) {
      const r = await runCli(['eval', '--run', out, '--split', split, '--json']);
      expect(r.code, r.stderr).toBe(0);
      sizes[split] = (JSON.parse(r.stdout) as { samples: number }).samples;
    }
    expect(sizes.train! + sizes.validation! + sizes.test!).toBe(sizes.all);
  });

  it('rejects an incompatible checkpoint and a missing file with code 2', async () => {
    const bad = await runCli([
      'eval',
      '--weights',
      weights,
      '--data',
      csv,
      '--hidden',
      '32',
      '--activation',
      'relu',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/does not fit the mlp model these flags describe: .*shape/);
    const missing = await runCli(['eval', '--weights', '/nonexistent.safetensors', '--data', csv]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
    const both = await runCli(['eval', '--data', csv]);
    expect(both.stderr).toMatch(/give exactly one of --weights FILE and --run DIR/);
  });
});

describe('descent lr-find', () => {
  it('prints a suggested learning rate and the curve', async () => {
    const r = await runCli(['lr-find', ...small, '--steps', '40', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { suggestion: number; lrs: number[]; losses: number[] };
    expect(j.suggestion).toBeGreaterThan(1e-5);
    expect(j.suggestion).toBeLessThan(10);
    expect(j.lrs.length).toBe(j.losses.length);
    const bad = await runCli(['lr-find', '--start-lr', '1', '--end-lr', '0.1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--start-lr must be positive and below --end-lr/);
  });
});

function fileURLToPathSafe(u: URL): string {
  return decodeURIComponent(u.pathname);
}
