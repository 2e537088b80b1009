/** The `descent surface` contract: flags, JSON output, PyTorch defaults, exit code 2 with one line for bad input. */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

async function run(args: string): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  process.exitCode = undefined;
  try {
    await main(['node', 'descent', 'surface', ...args.split(' ').filter(Boolean)]);
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { stdout: out.join('\n'), stderr: err.join(''), code };
}

const goldens = JSON.parse(readFileSync(new URL('../fixtures/optim.json', import.meta.url), 'utf8')) as {
  surfaces: {
    fn: string;
    optimizer: string;
    options: Record<string, unknown>;
    start: [number, number];
    steps: number;
    trajectory: [number, number][];
  }[];
};

afterEach(() => {
  process.exitCode = undefined;
});

describe('descent surface', () => {
  it('prints N+1 trajectory points and losses as JSON', async () => {
    const r = await run('--fn rosenbrock --optimizer adam --from -1.5,2 --steps 5 --lr 0.1 --json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { trajectory: number[][]; loss: number[] };
    expect(j.trajectory).toHaveLength(6);
    expect(j.trajectory[0]).toEqual([-1.5, 2]);
    expect(j.loss).toHaveLength(6);
    expect(j.loss[0]).toBeCloseTo(12.5, 6);
  });

  it('maps every flag to the optimizer option and matches PyTorch trajectories', async () => {
    const flagOf: Record<string, (v: unknown) => string> = {
      lr: (v) => `--lr ${v}`,
      momentum: (v) => `--momentum ${v}`,
      dampening: (v) => `--dampening ${v}`,
      nesterov: (v) => (v ? '--nesterov' : ''),
      weightDecay: (v) => `--weight-decay ${v}`,
      lrDecay: (v) => `--lr-decay ${v}`,
      initialAccumulatorValue: (v) => `--initial-accumulator-value ${v}`,
      alpha: (v) => `--alpha ${v}`,
      centered: (v) => (v ? '--centered' : ''),
      rho: (v) => `--rho ${v}`,
      betas: (v) => `--betas ${(v as number[]).join(',')}`,
      eps: (v) => `--eps ${v}`,
      amsgrad: (v) => (v ? '--amsgrad' : ''),
    };
    const cases = goldens.surfaces
      .filter((c) => Object.keys(c.options).every((k) => k in flagOf))
      .slice(0, 40);
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      const flags = Object.entries(c.options)
        .map(([k, v]) => flagOf[k]!(v))
        .join(' ');
      const r = await run(
        `--fn ${c.fn} --optimizer ${c.optimizer} --from ${c.start.join(',')} --steps ${c.steps} ${flags} --json`,
      );
      expect(r.code, r.stderr).toBe(0);
      const got = (JSON.parse(r.stdout) as { trajectory: number[][] }).trajectory.flat();
      const want = c.trajectory.flat();
      for (let i = 0; i < want.length; i++) {
        expect(Math.abs(got[i]! - want[i]!), `${c.optimizer} ${c.fn} ${flags} at ${i}`).toBeLessThanOrEqual(
          1e-5 * Math.max(1, Math.abs(want[i]!)),
        );
      }
    }
  });

  it('prints a short summary without --json', async () => {
    const r = await run('--fn quadratic --optimizer sgd --from -4,1 --steps 10 --lr 0.01');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sgd on quadratic from (-4, 1), 10 steps');
    expect(r.stdout).toMatch(/loss {2}20\.5000 → /);
  });

  const bad: [string, RegExp][] = [
    [
      '--fn bowl --optimizer adam --from 0,0 --steps 1',
      /--fn <name>' argument 'bowl' is invalid.*quadratic, rosenbrock, beale/,
    ],
    [
      '--fn saddle --optimizer adamm --from 0,0 --steps 1',
      /--optimizer <name>' argument 'adamm' is invalid.*sgd, adagrad/,
    ],
    ['--fn saddle --optimizer adam --from 0,0 --steps 1 --speed 3', /unknown option '--speed'/],
    [
      '--fn saddle --optimizer adam --from 0,x --steps 1',
      /--from <x,y>' argument '0,x' is invalid\. 'x' is not a finite number/,
    ],
    ['--fn saddle --optimizer adam --from 0 --steps 1', /'0' is not a pair of numbers written as A,B/],
    [
      '--fn saddle --optimizer adam --from 0,0 --steps 1.5',
      /--steps <n>' argument '1.5' is invalid\. '1.5' is not a non-negative integer/,
    ],
    ['--fn saddle --optimizer adam --from 0,0 --steps 1 --lr abc', /--lr <v>' argument 'abc' is invalid/],
    [
      '--fn saddle --optimizer adam --from 0,0 --steps 1 --rho 0.9',
      /option '--rho' is not accepted by adam; it takes --lr, --betas, --eps, --weight-decay, --amsgrad/,
    ],
    [
      '--fn saddle --optimizer sgd --from 0,0 --steps 1 --nesterov',
      /SGD: nesterov requires momentum > 0 and dampening 0/,
    ],
    ['--fn saddle --optimizer adam --from 0,0', /required option '--steps <n>' not specified/],
  ];
  for (const [args, message] of bad) {
    it(`exits with code 2 and one line for: ${args}`, async () => {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }
});
