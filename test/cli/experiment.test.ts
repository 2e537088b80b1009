/** `descent experiment`: the init JSON contract, the bilingual report with PNG copies, errors. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-exp-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('descent experiment', () => {
  it('init prints the per-layer JSON contract for one configuration', async () => {
    const r = await runCli([
      'experiment',
      'init',
      '--activation',
      'relu',
      '--init',
      'he',
      '--layers',
      '4',
      '--width',
      '30',
      '--batch',
      '100',
      '--seed',
      '3',
      '--json',
      '--no-report',
      '--out',
      tmp,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { layers: Record<string, unknown>[] };
    expect(j.layers).toHaveLength(4);
    expect(j.layers[0]!.layer).toBe(1);
    for (const l of j.layers) {
      for (const k of ['mean', 'std', 'saturatedFraction', 'deadFraction', 'gradStd'])
        expect(typeof l[k], k).toBe('number');
      const h = l.histogram as { edges: number[]; counts: number[] };
      expect(h.edges.length).toBe(h.counts.length + 1);
    }
  });

  it('writes a bilingual self-contained report with PNG copies of the figures', async () => {
    const out = path.join(tmp, 'report');
    const r = await runCli(['experiment', 'optimizers-2d', '--out', out, '--lang', 'zh']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/report: .*report\.html/);
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('课程实验复现');
    expect(html).toContain('the course’s experiments');
    expect(html).not.toMatch(/<script|src="http/);
    const pngs = fs.readdirSync(path.join(out, 'figures')).filter((f) => f.endsWith('.png'));
    expect(pngs.some((f) => f.endsWith('.en.png'))).toBe(true);
    expect(pngs.some((f) => f.endsWith('.zh.png'))).toBe(true);
    expect(
      fs
        .readFileSync(path.join(out, 'figures', pngs[0]!))
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  });

  it('rejects an unknown experiment with code 2', async () => {
    const r = await runCli(['experiment', 'alexnet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown experiment 'alexnet'; accepted: optimizers-2d, lr-sweep, init, .*all/);
  });
});
