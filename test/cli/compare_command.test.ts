/**
 * `descent compare` (issue #17) on two tiny real runs (spirals, seeds 0 and 1): the JSON holds each
 * run's epochs as metrics.jsonl has them and only the seed among the differing settings; the HTML
 * overlays the curves in both languages and tables the difference; non-run directories and damaged
 * files are refused by message.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-compare-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const at = (name: string) => path.join(tmp, name);

beforeAll(async () => {
  for (const seed of ['0', '1']) {
    const r = await runCli([
      'train',
      '--data',
      'spirals',
      '--hidden',
      '4',
      '--epochs',
      '2',
      '--seed',
      seed,
      '--json',
      '--out',
      at(`s${seed}`),
    ]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);

interface CompareJson {
  runs: { dir: string; epochs: { epoch: number; trainLoss: number; valAccuracy: number }[] }[];
  config: { differing: Record<string, unknown[]>; identical: Record<string, unknown> };
  report: string;
}

describe('descent compare', () => {
  it('--json: each run’s epochs from its metrics.jsonl, and only the seed differs', async () => {
    const out = at('c.html');
    const r = await runCli(['compare', at('s0'), at('s1'), '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as CompareJson;
    expect(j.runs.map((x) => x.dir)).toEqual([at('s0'), at('s1')]);
    const lines = fs
      .readFileSync(path.join(at('s1'), 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(j.runs[1]!.epochs).toEqual(lines.map((l) => JSON.parse(l)));
    expect(j.config.differing).toEqual({ seed: [0, 1] });
    expect(j.config.identical).toMatchObject({ data: 'spirals', hidden: [4], epochs: 2, optimizer: 'adam' });
    expect(j.config.identical).not.toHaveProperty('out');
    expect(j.report).toBe(out);
    expect(fs.existsSync(out)).toBe(true);
  });

  it('writes one bilingual report with the curves overlaid and the differing settings tabled', async () => {
    const out = at('report.html');
    const r = await runCli(['compare', at('s0'), at('s1'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`report: ${out}`);
    const html = fs.readFileSync(out, 'utf8');
    // Five curves (train/validation loss and accuracy, lr) in each language.
    expect(html.match(/<svg/g)?.length).toBe(10);
    for (const text of [
      'Training loss',
      'Validation accuracy',
      'Learning rate',
      '训练损失',
      '学习率',
      'Settings that differ',
      '不同的设置',
    ])
      expect(html).toContain(text);
    // The differing table: the seed, one column per run.
    expect(html).toMatch(/<tr><td>seed<\/td><td>0<\/td><td>1<\/td><\/tr>/);
    // Both runs are series of the charts.
    expect(html).toContain(at('s0'));
    expect(html).toContain(at('s1'));
  });

  it('--lang zh shows the Chinese page first', async () => {
    const en = at('en.html');
    const zh = at('zh.html');
    await runCli(['compare', at('s0'), at('s1'), '--out', en]);
    await runCli(['compare', at('s0'), at('s1'), '--out', zh, '--lang', 'zh']);
    expect(fs.readFileSync(zh, 'utf8')).not.toBe(fs.readFileSync(en, 'utf8'));
    expect(fs.readFileSync(zh, 'utf8')).toMatch(/<html lang="zh/);
  });
});

describe('descent compare refuses what is not a run', () => {
  it('a directory without metrics.jsonl, naming the path and what a run directory holds', async () => {
    fs.mkdirSync(at('empty'));
    fs.writeFileSync(path.join(at('empty'), 'config.json'), '{}');
    const r = await runCli(['compare', at('s0'), at('empty')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: ${at('empty')}: not a run directory (no metrics.jsonl); a run directory, written by descent train, holds config.json and metrics.jsonl (and model.safetensors, state.safetensors, report.html)\n`,
    );
  });

  it('a missing path and a file', async () => {
    const missing = await runCli(['compare', at('s0'), at('nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `${at('nowhere')}: no such directory; a run directory, written by descent train`,
    );
    const file = await runCli(['compare', at('s0'), path.join(at('s0'), 'config.json')]);
    expect(file.stderr).toContain(`${path.join(at('s0'), 'config.json')}: not a directory;`);
  });

  it('fewer than two runs, and a run given twice', async () => {
    const one = await runCli(['compare', at('s0')]);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('compare needs at least two run directories, got 1');
    const twice = await runCli(['compare', at('s0'), `${at('s0')}/`]);
    expect(twice.stderr).toContain('is given twice; give each run directory once');
  });

  it('a damaged metrics.jsonl, naming the file and line', async () => {
    fs.cpSync(at('s1'), at('damaged'), { recursive: true });
    fs.appendFileSync(path.join(at('damaged'), 'metrics.jsonl'), '{"epoch": 3, "trainLoss"\n');
    const r = await runCli(['compare', at('s0'), at('damaged')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/metrics\.jsonl: line 3: not valid JSON/);
    fs.writeFileSync(path.join(at('damaged'), 'metrics.jsonl'), '{"epoch": 1}\n');
    const partial = await runCli(['compare', at('s0'), at('damaged')]);
    expect(partial.stderr).toMatch(/line 1: expected an epoch record \{ epoch, trainLoss, lr, … \}/);
  });
});
