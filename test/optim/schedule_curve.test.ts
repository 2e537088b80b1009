/**
 * Schedule curves equal the learning rates a real run trains with: `scheduleCurve` against the lr of
 * every step that `fit` records (history.stepLrs) when it steps the same schedule, built by the CLI's
 * `--schedule`/`--warmup` code, for step (per epoch), cosine, one-cycle and warm-up (per step); and
 * the curve's own errors.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/cli/run_config.js';
import { buildSchedule } from '../../src/cli/setup.js';
import {
  createScheduler,
  fit,
  type LrScheduleSpec,
  lrCurve,
  mlp,
  SGD,
  scheduleCurve,
  tensor,
} from '../../src/index.js';
import { messageOf } from '../helpers/thrown.js';

const EPOCHS = 6;
const SAMPLES = 12;
const BATCH = 4;
const STEPS_PER_EPOCH = SAMPLES / BATCH;
const TOTAL = EPOCHS * STEPS_PER_EPOCH;

/** The lr of every step of a 6-epoch fit (3 steps each) whose schedule `build` makes on its optimizer. */
function trainedLrs(
  build: (
    opt: SGD,
  ) => { schedule: Parameters<typeof lrCurve>[1]['schedule']; interval: 'step' | 'epoch' } | null,
): number[] {
  const model = mlp({ sizes: [2, 3, 2] });
  const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const built = build(optimizer);
  const x = tensor(Array.from({ length: SAMPLES }, (_, i) => [Math.sin(i), Math.cos(i)]));
  const y = tensor(
    Array.from({ length: SAMPLES }, (_, i) => i % 2),
    { dtype: 'int32' },
  );
  const history = fit(
    model,
    { x, y },
    {
      optimizer,
      loss: 'crossEntropy',
      epochs: EPOCHS,
      batchSize: BATCH,
      divergenceGuard: false,
      plateauDetector: false,
      ...(built ? { schedule: built.schedule, scheduleInterval: built.interval } : {}),
    },
  );
  return history.stepLrs;
}

/** The CLI's schedule for `--schedule name --warmup w` over this run. */
function cliSchedule(schedule: string, warmup = 0) {
  return (opt: SGD) => {
    const config = { ...resolveConfig({}, {}), epochs: EPOCHS, lr: 0.1, schedule, warmup };
    const built = buildSchedule(config, opt, STEPS_PER_EPOCH);
    return built as {
      schedule: Parameters<typeof lrCurve>[1]['schedule'];
      interval: 'step' | 'epoch';
    } | null;
  };
}

const run = { epochs: EPOCHS, stepsPerEpoch: STEPS_PER_EPOCH, baseLr: 0.1, momentum: 0.9 };

describe('scheduleCurve equals the lr fit trains with', () => {
  it.each<[string, string, number, LrScheduleSpec, 'step' | 'epoch']>([
    ['step', 'step', 0, { scheduler: 'StepLR', options: { stepSize: 2, gamma: 0.1 } }, 'epoch'],
    ['cosine', 'cosine', 0, { scheduler: 'CosineAnnealingLR', options: { tMax: TOTAL, etaMin: 0 } }, 'step'],
    [
      'onecycle',
      'onecycle',
      0,
      { scheduler: 'OneCycleLR', options: { maxLr: 0.1, totalSteps: TOTAL } },
      'step',
    ],
    ['warmup alone', 'none', 5, { scheduler: 'FixedLR', warmup: { warmupSteps: 5 } }, 'step'],
    [
      'cosine after warmup',
      'cosine',
      4,
      { scheduler: 'CosineAnnealingLR', options: { tMax: TOTAL - 4, etaMin: 0 }, warmup: { warmupSteps: 4 } },
      'step',
    ],
  ])('--schedule %s (flag %s, --warmup %d)', (_title, flag, warmup, spec, interval) => {
    const curve = scheduleCurve(spec, { ...run, interval });
    const trained = trainedLrs(cliSchedule(flag, warmup));
    expect(trained).toHaveLength(TOTAL);
    expect(curve.lr).toEqual(trained);
    expect(curve.step).toEqual(Array.from({ length: TOTAL }, (_, k) => k));
    expect(curve.epoch).toEqual(Array.from({ length: TOTAL }, (_, k) => Math.floor(k / STEPS_PER_EPOCH)));
    // The curve is not flat: the test would notice a schedule that was never stepped.
    expect(new Set(curve.lr).size).toBeGreaterThan(1);
  });

  it('lrCurve steps a schedule built on a real optimizer as fit does (per epoch)', () => {
    const make = (opt: SGD) => ({
      schedule: createScheduler(opt, { scheduler: 'ExponentialLR', options: { gamma: 0.5 } }),
      interval: 'epoch' as const,
    });
    const opt = new SGD(mlp({ sizes: [2, 2] }).parameters(), { lr: 0.1, momentum: 0.9 });
    const curve = lrCurve(opt, make(opt), { epochs: EPOCHS, stepsPerEpoch: STEPS_PER_EPOCH });
    expect(curve.lr).toEqual(trainedLrs(make));
    expect(curve.lr.slice(0, 4)).toEqual([0.1, 0.1, 0.1, 0.05]);
  });

  it('one-cycle also cycles the momentum (β₁ with betas)', () => {
    const spec: LrScheduleSpec = { scheduler: 'OneCycleLR', options: { maxLr: 1, totalSteps: 10 } };
    const c = scheduleCurve(spec, { interval: 'step', epochs: 1, stepsPerEpoch: 10, betas: [0.9, 0.999] });
    expect(c.momentum[0]).toBeCloseTo(0.95, 12);
    expect(Math.min(...c.momentum)).toBeCloseTo(0.85, 2);
  });

  it('refuses ReduceLROnPlateau, a bad run length and unknown options with their messages', () => {
    const base = { interval: 'step' as const, epochs: 2, stepsPerEpoch: 3 };
    expect(
      messageOf(() => scheduleCurve({ scheduler: 'ReduceLROnPlateau' } as never, base), RangeError),
    ).toBe('scheduleCurve: ReduceLROnPlateau steps on a metric, so it has no curve in advance');
    expect(
      messageOf(() => scheduleCurve({ scheduler: 'FixedLR' }, { ...base, stepsPerEpoch: 0 }), RangeError),
    ).toBe('lrCurve: stepsPerEpoch must be an integer ≥ 1, got 0');
    expect(
      messageOf(() => scheduleCurve({ scheduler: 'FixedLR' }, { ...base, epochs: 1.5 }), RangeError),
    ).toBe('lrCurve: epochs must be an integer ≥ 0, got 1.5');
    expect(
      messageOf(
        () => scheduleCurve({ scheduler: 'FixedLR' }, { ...base, interval: 'batch' as never }),
        RangeError,
      ),
    ).toBe(`lrCurve: interval must be 'step' or 'epoch', got "batch"`);
    expect(
      messageOf(() => scheduleCurve({ scheduler: 'FixedLR' }, { ...base, warmup: 3 } as never), TypeError),
    ).toBe(
      "scheduleCurve: unknown option 'warmup'; accepted: interval, epochs, stepsPerEpoch, baseLr, momentum, betas",
    );
  });
});
