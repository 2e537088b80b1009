/**
 * `descent sweep report DIR` on a hand-written sweep directory (sweep.json and sweep.jsonl written
 * here, as descent sweep writes them): the ranking, the numbers in the table, the figures (axes, log
 * scale, curves, parallel coordinates), the best trial's command line, both languages, and the
 * refusals of a directory that is not a sweep.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpochRecord } from '../../src/run/records.js';
import { parseRunConfig } from '../../src/run/run_config.js';
import { readSweepData } from '../../src/sweep/report/read.js';
import { buildSweepReport, type SweepReport } from '../../src/sweep/report/report.js';
import type { Trial, TrialResult } from '../../src/sweep/types.js';
import { runCli } from '../cli/run_cli.js';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-sweep-report-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const spec = {
  base: { data: 'spirals', epochs: 4 },
  grid: { optimizer: ['sgd', 'adam'] },
  random: { lr: { logUniform: [1e-4, 1] } },
  trials: 2,
  metric: 'valAccuracy',
  mode: 'max',
  seed: 0,
  prune: null,
};

const settings: [string, string, number][] = [
  ['t0000', 'sgd', 0.001],
  ['t0001', 'sgd', 0.3],
  ['t0002', 'adam', 0.0003],
  ['t0003', 'adam', 0.5],
];

const trials: Trial[] = settings.map(([id, optimizer, lr]) => ({
  id,
  params: { optimizer, lr },
  job: { kind: 'train', config: parseRunConfig({ ...spec.base, optimizer, lr }) },
}));

const epoch = (n: number, valAccuracy: number | null): EpochRecord => ({
  epoch: n,
  trainLoss: 1 / n,
  trainAccuracy: 0.5,
  valLoss: 1,
  valAccuracy,
  lr: 0.1,
  samplesPerSec: 1000,
});

function result(
  id: string,
  status: TrialResult['status'],
  accs: (number | null)[],
  extra: Partial<TrialResult> = {},
): TrialResult {
  return {
    trialId: id,
    status,
    params: trials.find((t) => t.id === id)!.params,
    epochs: accs.map((a, i) => epoch(i + 1, a)),
    runDir: `trials/${id}`,
    worker: 'local',
    attempts: 1,
    wallSeconds: 1,
    ...extra,
  };
}

const final = (testAccuracy: number) => ({
  final: true as const,
  status: 'completed' as const,
  testLoss: 0.5,
  testAccuracy,
  bestEpoch: 3,
  epochs: 3,
  wallSeconds: 1,
  samplesPerSec: 1000,
  steadySamplesPerSec: null,
  warmupSeconds: null,
});

// Finished out of order, as a pool finishes them; t0003 diverged (no value), t0002 was pruned at epoch 1.
const results: TrialResult[] = [
  result('t0002', 'pruned', [0.4]),
  result('t0000', 'completed', [0.5, 0.6, 0.7], { final: final(0.69) }),
  result('t0003', 'diverged', [0.3, null], { error: 'the loss became NaN at epoch 2' }),
  result('t0001', 'completed', [0.6, 0.8, 0.9], { final: final(0.88) }),
];

function writeSweep(name: string, lines: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'sweep.json'), JSON.stringify({ version: 1, spec, trials }, null, 2));
  fs.writeFileSync(path.join(dir, 'sweep.jsonl'), lines);
  return dir;
}

const jsonl = (rs: readonly TrialResult[]) => rs.map((r) => `${JSON.stringify(r)}\n`).join('');

/** The cells of each row of the page's first table in the given language's part. */
function firstTableRows(html: string, lang: 'en' | 'zh'): string[][] {
  const part = html.slice(html.indexOf(`<div class="${lang}"`));
  const body = part.slice(part.indexOf('<tbody>'), part.indexOf('</tbody>'));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<td>(.*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '')),
  );
}

describe('buildSweepReport', () => {
  let report: SweepReport;
  beforeAll(async () => {
    // A last line cut short by a kill mid-write is not a result.
    const dir = writeSweep('ok', `${jsonl(results)}{"trialId":"t00`);
    report = await buildSweepReport(readSweepData(dir), 'en');
  }, 60_000);

  it('ranks by the metric (max): the table lists trials best first with their values, no-value last', () => {
    expect(firstTableRows(report.html, 'en')).toEqual([
      ['1', 't0001', 'completed', 'sgd', '0.3', '0.9', '3'],
      ['2', 't0000', 'completed', 'sgd', '0.001', '0.7', '3'],
      ['3', 't0002', 'pruned', 'adam', '0.0003', '0.4', '1'],
      ['-', 't0003', 'diverged', 'adam', '0.5', '-', '2'],
    ]);
    expect(firstTableRows(report.html, 'zh')[0]).toEqual(['1', 't0001', '完成', 'sgd', '0.3', '0.9', '3']);
  });

  it('names the best trial and the descent train command line that reruns it', () => {
    expect(report.best).toMatchObject({ trialId: 't0001', value: 0.9, runDir: 'trials/t0001' });
    const words = report.best!.command!.split(' ');
    expect(words.slice(0, 2)).toEqual(['descent', 'train']);
    for (const [flag, value] of [
      ['--data', 'spirals'],
      ['--epochs', '4'],
      ['--optimizer', 'sgd'],
      ['--lr', '0.3'],
      ['--threads', '1'],
    ]) {
      expect(words[words.indexOf(flag!) + 1]).toBe(value);
    }
    expect(report.html).toContain(report.best!.command!);
  });

  it('draws each axis against the metric (log x for the log-uniform lr), the top curves and parallel coordinates', () => {
    const figs = report.figures.en;
    expect(figs).toHaveLength(4);
    // biome-ignore lint/suspicious/noExplicitAny: reading into Vega-Lite specifications by path
    const [optimizer, lr, curves, parallel] = figs as Record<string, any>[];
    expect(optimizer!.encoding.x.type).toBe('nominal');
    expect(lr!.encoding.x.scale).toEqual({ type: 'log' });
    expect(lr!.data.values.map((v: { x: number; y: number }) => [v.x, v.y])).toEqual([
      [0.3, 0.9],
      [0.001, 0.7],
      [0.0003, 0.4],
    ]);
    const series = [...new Set(curves!.data.values.map((v: { series: string }) => v.series))];
    expect(series).toEqual(['t0001', 't0000', 't0002']);
    expect(parallel!.transform).toEqual([
      { fold: ['optimizer', 'lr', 'valAccuracy'], as: ['axis', 'value'] },
    ]);
    expect(parallel!.mark.type).toBe('line');
    const best = parallel!.data.values.find((v: { _trial: string }) => v._trial === 't0001');
    // lr on log10 over [1e-4·3, 0.3]: 0.3 is the top; sgd is the first category; 0.9 the best value.
    expect(best).toMatchObject({ _trial: 't0001', _value: 0.9, optimizer: 0, lr: 1, valAccuracy: 1 });
    const t0000 = parallel!.data.values.find((v: { _trial: string }) => v._trial === 't0000');
    expect(t0000.lr).toBeCloseTo(
      (Math.log10(0.001) - Math.log10(0.0003)) / (Math.log10(0.3) - Math.log10(0.0003)),
      12,
    );
    expect(t0000.valAccuracy).toBeCloseTo(0.6, 12);
  });

  it('renders every figure in both languages and lists the trial without a result with its message', () => {
    expect(report.html.match(/<svg/g)).toHaveLength(8);
    expect(report.html).toContain('t0003 (diverged): the loss became NaN at epoch 2');
    expect(report.html).toContain('最佳试验');
    expect(report.html).toContain('平行坐标图');
  });
});

describe('descent sweep report', () => {
  it('writes the report where --out says, shows --lang first, and prints the best trial as JSON', async () => {
    const dir = writeSweep('cli', jsonl(results));
    const file = path.join(root, 'cli-report.html');
    const r = await runCli(['sweep', 'report', dir, '--out', file, '--lang', 'zh', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout);
    expect(printed.report).toBe(file);
    expect(printed.best.trialId).toBe('t0001');
    expect(printed.best.command).toMatch(/^descent train .*--optimizer sgd/);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/<html lang="zh-CN">/);
  });

  it('prints the best trial and its command line, and writes <dir>/report.html by default', async () => {
    const dir = writeSweep('plain', jsonl(results));
    const r = await runCli(['sweep', 'report', dir]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('best: t0001 with valAccuracy 0.9 (trials/t0001)');
    expect(lines[1]).toMatch(/^descent train /);
    expect(lines[2]).toBe(`report: ${path.join(dir, 'report.html')}`);
    expect(fs.existsSync(path.join(dir, 'report.html'))).toBe(true);
  });

  it('a sweep with no result yet says so', async () => {
    const dir = writeSweep('empty', '');
    const r = await runCli(['sweep', 'report', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('no trial has a valAccuracy yet');
  });

  it('refuses a missing directory, a directory without sweep.json, and a broken sweep.jsonl line', async () => {
    const missing = await runCli(['sweep', 'report', path.join(root, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${path.join(root, 'nope')}: no such directory`);
    const bare = path.join(root, 'bare');
    fs.mkdirSync(bare);
    const notSweep = await runCli(['sweep', 'report', bare]);
    expect(notSweep.code).toBe(2);
    expect(notSweep.stderr).toContain(`${bare}: not a sweep directory (no sweep.json)`);
    const broken = writeSweep('broken', `${JSON.stringify(results[0])}\nnot json\n`);
    const bad = await runCli(['sweep', 'report', broken]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${path.join(broken, 'sweep.jsonl')}:2: not a trial result (not JSON)`);
  });

  it("refuses an experiment's --seeds directory (no metric to rank by) and an unknown option", async () => {
    const seeds = path.join(root, 'seeds');
    fs.mkdirSync(seeds);
    fs.writeFileSync(
      path.join(seeds, 'sweep.json'),
      JSON.stringify({ version: 1, spec: { experiment: 'init' }, trials: [] }),
    );
    const r = await runCli(['sweep', 'report', seeds]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a sweep record of descent sweep');
    const unknown = await runCli(['sweep', 'report', seeds, '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    const sweepOnly = await runCli(['sweep', 'report', seeds, '--workers', '2']);
    expect(sweepOnly.code).toBe(2);
    expect(sweepOnly.stderr).toContain('--workers applies to descent sweep SPEC, not to sweep report');
  });
});
