/**
 * `surfaceRecord` is what `descent surface --json` prints, character for character (the lab exports
 * it), and `--condition` sets the quadratic's κ, appears in the JSON when given, and is refused with
 * a usage error for the other surfaces or a bad value.
 */
import { describe, expect, it } from 'vitest';
import { surfaceRecord } from '../../src/index.js';
import { runCli } from './run_cli.js';

const surface = (args: string) => runCli(['surface', ...args.split(' ').filter(Boolean)]);

describe('surfaceRecord and descent surface --json', () => {
  it.each([
    {
      args: '--fn rosenbrock --optimizer adam --from -1.5,2 --steps 7 --lr 0.1 --betas 0.8,0.99',
      record: {
        fn: 'rosenbrock',
        optimizer: 'adam',
        options: { lr: 0.1, betas: [0.8, 0.99] },
        start: [-1.5, 2] as [number, number],
        steps: 7,
      },
    },
    {
      args: '--fn quadratic --optimizer sgd --from -4,1 --steps 12 --lr 0.03 --momentum 0.9 --condition 50',
      record: {
        fn: 'quadratic',
        optimizer: 'sgd',
        options: { lr: 0.03, momentum: 0.9 },
        start: [-4, 1] as [number, number],
        steps: 12,
        condition: 50,
      },
    },
    {
      args: '--fn saddle --optimizer sgd --from 1,1 --steps 40 --lr 2',
      record: {
        fn: 'saddle',
        optimizer: 'sgd',
        options: { lr: 2 },
        start: [1, 1] as [number, number],
        steps: 40,
      },
    },
  ])('the record equals the printed JSON ($record.fn, $record.optimizer)', async ({ args, record }) => {
    const r = await surface(`${args} --json`);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(JSON.stringify(surfaceRecord(record)));
  });

  it('keeps the key order of the contract, with condition after steps only when given', () => {
    const base = { fn: 'quadratic', optimizer: 'sgd', options: { lr: 0.01 }, steps: 2 };
    expect(Object.keys(surfaceRecord(base))).toEqual([
      'fn',
      'optimizer',
      'options',
      'start',
      'steps',
      'trajectory',
      'loss',
    ]);
    const withK = surfaceRecord({ ...base, condition: 4 });
    expect(Object.keys(withK)).toEqual([
      'fn',
      'optimizer',
      'options',
      'start',
      'steps',
      'condition',
      'trajectory',
      'loss',
    ]);
    expect(withK.start).toEqual([-4, 1]); // the surface's own start when none is given
    expect(withK.trajectory).toHaveLength(3);
    expect(withK.loss[0]).toBeCloseTo(0.5 * (16 + 4), 5);
  });

  it('--condition changes the path: a larger κ makes y move faster under the same lr', async () => {
    const y1 = async (k: number) => {
      const r = await surface(
        `--fn quadratic --optimizer sgd --from 1,1 --steps 1 --lr 0.01 --condition ${k} --json`,
      );
      return (JSON.parse(r.stdout) as { trajectory: number[][] }).trajectory[1]![1]!;
    };
    expect(await y1(10)).toBeCloseTo(1 - 0.01 * 10, 6);
    expect(await y1(40)).toBeCloseTo(1 - 0.01 * 40, 6);
  });

  it('--condition on another surface is a usage error (exit 2) naming the flag', async () => {
    const r = await surface('--fn rosenbrock --optimizer sgd --from 1,1 --steps 1 --condition 10');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      '--condition applies to --fn quadratic only (its κ in 0.5·(x² + κ·y²)); rosenbrock has no condition parameter',
    );
  });

  it.each(['0.5', 'abc', 'Infinity', '-2', ''])(
    'refuses --condition %j with what is accepted (exit 2)',
    async (bad) => {
      const r = await runCli([
        'surface',
        '--fn',
        'quadratic',
        '--optimizer',
        'sgd',
        '--from',
        '1,1',
        '--steps',
        '1',
        '--condition',
        bad,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `'${bad}' is not a condition number: accepted a finite number ≥ 1 (the quadratic's κ in 0.5·(x² + κ·y²)).`,
      );
    },
  );

  it('surfaceRecord refuses an unknown key instead of ignoring it', () => {
    expect(() => surfaceRecord({ fn: 'quadratic', optimizer: 'sgd', steps: 1, kappa: 3 } as never)).toThrow(
      "surfaceRecord: unknown option 'kappa'; accepted: fn, optimizer, options, start, steps, condition",
    );
  });
});
