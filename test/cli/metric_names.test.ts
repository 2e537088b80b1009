/**
 * The terminal and `--json` use the same metric names (issue #17): every number the plain output of
 * `train`, `eval` and `lr-find` names is named by its key in the command's JSON. Pairs are read from
 * the terminal lines as `name value` between runs of two spaces.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-names-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The names of `name value` pairs in terminal lines (a leading `split: ` dropped). */
function terminalNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    for (const part of line.replace(/^\w+: /, '').split(/ {2,}/)) {
      const m = /^([a-zA-Z][a-zA-Z0-9]*) (-?[\d.]+(e[+-]?\d+)?|-|\d+\/\d+)$/.exec(part.trim());
      if (m) names.add(m[1]!);
    }
  }
  return names;
}

/** Keys of every JSON line of `text`. */
function jsonKeys(text: string): Set<string> {
  return new Set(
    text
      .trim()
      .split('\n')
      .flatMap((l) => Object.keys(JSON.parse(l) as object)),
  );
}

const spirals = ['--data', 'spirals', '--hidden', '4'];

describe('terminal names are JSON keys', () => {
  it('train: the epoch lines and the final line', async () => {
    const json = await runCli(['train', ...spirals, '--epochs', '1', '--json', '--out', path.join(tmp, 'j')]);
    const plain = await runCli(['train', ...spirals, '--epochs', '1', '--out', path.join(tmp, 'p')]);
    expect(plain.code, plain.stderr).toBe(0);
    const names = terminalNames(plain.stdout);
    expect([...names].sort()).toEqual(
      [
        'epoch',
        'epochs',
        'lr',
        'samplesPerSec',
        'steadySamplesPerSec',
        'testAccuracy',
        'testLoss',
        'trainAccuracy',
        'trainLoss',
        'valAccuracy',
        'valLoss',
        'wallSeconds',
        'warmupSeconds',
      ].sort(),
    );
    const keys = jsonKeys(json.stdout);
    expect([...names].filter((n) => !keys.has(n))).toEqual([]);
  });

  it('eval: the summary line and the per-class table’s columns', async () => {
    const out = path.join(tmp, 'e');
    await runCli(['train', ...spirals, '--epochs', '1', '--json', '--out', out]);
    const plain = await runCli(['eval', '--run', out, '--top-k', '2']);
    const json = await runCli(['eval', '--run', out, '--top-k', '2', '--json']);
    expect(plain.code, plain.stderr).toBe(0);
    const names = terminalNames(plain.stdout);
    const header = plain.stdout.split('\n').find((l) => l.startsWith('class '))!;
    for (const column of header.split(/\s+/).slice(1)) names.add(column);
    expect([...names]).toEqual(
      expect.arrayContaining(['accuracy', 'loss', 'top2Accuracy', 'samples', 'precision', 'f1']),
    );
    const keys = jsonKeys(json.stdout);
    expect([...names].filter((n) => !keys.has(n))).toEqual([]);
  });

  it('lr-find: the suggestion and the lowest-loss learning rate', async () => {
    const args = ['lr-find', ...spirals, '--steps', '20'];
    const plain = await runCli(args);
    const json = await runCli([...args, '--json']);
    expect(plain.code, plain.stderr).toBe(0);
    const names = terminalNames(plain.stdout);
    expect([...names].sort()).toEqual(['minLossLr', 'suggestion']);
    const keys = jsonKeys(json.stdout);
    expect([...names].filter((n) => !keys.has(n))).toEqual([]);
  });
});
