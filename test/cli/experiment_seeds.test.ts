/**
 * `descent experiment NAME --seeds N`: the seeds run as a sweep of child processes (the CLI bundled
 * from the sources), each seed's numbers are those of `--seed S` run alone, the summary states means,
 * intervals and significance, a re-run resumes, and what --seeds cannot do is refused by name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DivergedError } from '../../src/cli/exit_codes.js';
import { runSeeds } from '../../src/cli/experiment_seeds.js';
import type { SeedSummary } from '../../src/sweep/seed_summary.js';
import { bundleCli, runChild } from './cli_process.js';
import { runCli } from './run_cli.js';

let cli: string;
let dir: string;
beforeAll(async () => {
  cli = await bundleCli();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-seeds-'));
});
afterAll(() => {
  fs.rmSync(cli, { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

const lastStd = (
  result: { runs: { activation: string; init: string; batchNorm: boolean; layers: { std: number }[] }[] },
  activation: string,
  init: string,
) =>
  Math.log10(
    result.runs.find((r) => r.activation === activation && r.init === init && !r.batchNorm)!.layers.at(-1)!
      .std,
  );

describe('experiment init --seeds 2', () => {
  const out = () => path.join(dir, 'init');
  let summary: SeedSummary;

  beforeAll(async () => {
    const run = await runChild({
      script: cli,
      args: [
        'experiment',
        'init',
        '--seeds',
        '2',
        '--seed',
        '3',
        '--workers',
        '2',
        '--json',
        '--no-report',
        '--out',
        out(),
      ],
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    summary = JSON.parse(run.stdout) as SeedSummary;
  }, 120_000);

  it('runs seeds --seed and --seed + 1, one trial each, into <out>/seeds as a sweep directory', () => {
    expect(summary.seeds).toEqual([3, 4]);
    const lines = fs
      .readFileSync(path.join(out(), 'seeds', 'sweep.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { params: { seed: number } }).params.seed).sort()).toEqual([
      3, 4,
    ]);
    expect(fs.existsSync(path.join(out(), 'seeds', 'trials', 't0001', 'results.json'))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(out(), 'results.json'), 'utf8'))).toEqual(summary);
  });

  it("each seed's value equals the experiment run alone with that seed", async () => {
    const alone = await runChild({
      script: cli,
      args: ['experiment', 'init', '--seed', '4', '--json', '--no-report', '--out', path.join(dir, 'alone')],
    });
    expect(alone.code).toBe(0);
    const result = JSON.parse(alone.stdout);
    const xavier = summary.settings.find((s) => s.setting === 'tanh xavier')!;
    expect(xavier.seeds).toEqual([3, 4]);
    expect(xavier.values[1]).toBe(lastStd(result, 'tanh', 'xavier'));
    expect(xavier.mean).toBeCloseTo((xavier.values[0]! + xavier.values[1]!) / 2, 12);
    // 2 seeds: the interval is mean ± t_{0.975,1} · s/√2 with t_{0.975,1} = 12.706.
    const s = Math.abs(xavier.values[0]! - xavier.values[1]!) / Math.SQRT2;
    expect(xavier.interval![1] - xavier.mean).toBeCloseTo((12.706 * s) / Math.SQRT2, 3);
  });

  it('states which differences are significant, in words', () => {
    const c = summary.comparisons.find((x) => x.a === 'tanh xavier' && x.b === 'tanh little-random')!;
    expect(c.significant).toBe(true);
    expect(c.sentence.en).toMatch(
      /^tanh xavier vs tanh little-random: \+9\.\d+ in log10 std of the last layer, significant \(Welch p/,
    );
    expect(c.sentence.zh).toMatch(
      /^tanh xavier 对比 tanh little-random：log10 std of the last layer \+9\.\d+，显著/,
    );
  });

  it('a re-run resumes: no seed runs again and the summary is the same', async () => {
    const again = await runChild({
      script: cli,
      args: ['experiment', 'init', '--seeds', '2', '--seed', '3', '--json', '--no-report', '--out', out()],
    });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(summary);
    const lines = fs
      .readFileSync(path.join(out(), 'seeds', 'sweep.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(2);
  });

  it("the report holds the first seed's sections and the summary's, in both languages", async () => {
    // In-process on the finished sweep (nothing left to run); the page itself is the report
    // engine's (test/report/), so this checks what is handed to it, without rendering 40 figures.
    let handed: Parameters<Parameters<typeof runSeeds>[0]['write']>[0] | undefined;
    const logs = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await runSeeds({
        name: 'init',
        flags: { seeds: 2, seed: 3 },
        out: out(),
        lang: 'en',
        write: async (spec) => {
          handed = spec;
        },
      });
    } finally {
      logs.mockRestore();
    }
    expect(handed!.results).toEqual(summary);
    const [first, seeds] = handed!.rendered!;
    expect(first!.name).toBe('init');
    expect(first!.presentations.en.figures.length).toBeGreaterThan(1);
    expect(seeds!.name).toBe('init-seeds');
    for (const lang of ['en', 'zh'] as const) {
      const p = seeds!.presentations[lang];
      expect(p.findings).toEqual(summary.comparisons.map((c) => c.sentence[lang]));
      expect(p.table!.rows).toHaveLength(summary.settings.length);
      expect(p.figures).toHaveLength(1);
    }
    expect(seeds!.presentations.en.title).toBe('init: Over 2 seeds');
    expect(seeds!.presentations.zh.title).toBe('init: 2 个种子');
  });

  it('seeds that all diverged end as training does, with a DivergedError (exit 3), not as a bug', async () => {
    // A copy of the finished sweep whose results say both seeds diverged: nothing left to run.
    const copy = path.join(dir, 'init-diverged');
    fs.cpSync(out(), copy, { recursive: true });
    const results = path.join(copy, 'seeds', 'sweep.jsonl');
    const lines = fs.readFileSync(results, 'utf8').trim().split('\n');
    const diverged = lines.map((l) =>
      JSON.stringify({ ...JSON.parse(l), status: 'diverged', error: 'loss is NaN' }),
    );
    fs.writeFileSync(results, `${diverged.join('\n')}\n`);
    const run = runSeeds({
      name: 'init',
      flags: { seeds: 2, seed: 3 },
      out: copy,
      lang: 'en',
      write: async () => {},
    });
    await expect(run).rejects.toThrow(DivergedError);
    await expect(run).rejects.toThrow(/seed 3 diverged: loss is NaN; seed 4 diverged: loss is NaN/);
  });

  it('other seeds in the same directory are refused, naming the difference', async () => {
    const other = await runChild({
      script: cli,
      args: ['experiment', 'init', '--seeds', '3', '--seed', '3', '--json', '--out', out()],
    });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("holds a different sweep: its seeds is [3,4], this spec's is [3,4,5]");
  });
});

describe('--seeds refusals', () => {
  const refused = async (args: string[]) => {
    const r = await runCli(['experiment', ...args, '--out', path.join(dir, 'refused')]);
    expect(r.code).toBe(2);
    return r.stderr;
  };

  it('all: one experiment at a time', async () => {
    expect(await refused(['all', '--seeds', '2'])).toContain(
      '--seeds runs one experiment over seeds, not all; accepted: adam-then-sgd, batchnorm',
    );
  });

  it('an experiment without a seed summary', async () => {
    expect(await refused(['lr-sweep', '--seeds', '2'])).toContain(
      '--seeds: experiment lr-sweep has no seed summary; accepted:',
    );
  });

  it("init's single configuration", async () => {
    expect(await refused(['init', '--activation', 'relu', '--seeds', '2'])).toContain(
      '--seeds summarizes the grid of experiment init; drop --activation',
    );
  });

  it('--workers and --queue without --seeds', async () => {
    expect(await refused(['init', '--workers', '2'])).toContain('--workers applies to --seeds only');
    expect(await refused(['init', '--queue', 'redis://127.0.0.1:6379'])).toContain(
      '--queue applies to --seeds only',
    );
  });

  it('--threads, which the seeds set themselves', async () => {
    expect(await refused(['init', '--seeds', '2', '--threads', '4'])).toContain(
      '--threads: with --seeds each seed runs on one thread',
    );
  });

  it('a seed count outside 1 to 100', async () => {
    expect(await refused(['init', '--seeds', '0'])).toContain("'0' is out of range: accepted 1 to 100.");
  });
});
