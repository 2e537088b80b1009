/**
 * `descent train` prints the model summary and writes --csv-log and --tensorboard: the files after a
 * run and after a resume, the summary in text mode only, and bad paths refused before anything is made.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readEventFile } from '../io/tfevents_proto.js';
import { runCli } from './run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-cli-loggers-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const small = ['--data', 'spirals', '--hidden', '16,16', '--activation', 'relu', '--batch-size', '64'];

describe('descent train --csv-log and --tensorboard', () => {
  it('write a CSV row per epoch and an event file; a resumed run appends rows and adds an event file', async () => {
    const out = path.join(tmp, 'run');
    const csv = path.join(tmp, 'logs', 'log.csv');
    const tb = path.join(tmp, 'tb');
    const r = await runCli([
      'train',
      ...small,
      '--epochs',
      '2',
      '--json',
      '--out',
      out,
      '--csv-log',
      csv,
      '--tensorboard',
      tb,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const epochs = r.stdout
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number>)
      .filter((l) => 'epoch' in l);
    const rows = fs.readFileSync(csv, 'utf8').trimEnd().split('\n');
    const header = rows[0]!.split(',');
    expect(header[0]).toBe('epoch');
    expect(header).toEqual(
      expect.arrayContaining(['trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy', 'lr']),
    );
    expect(rows.slice(1).map((row) => Number(row.split(',')[header.indexOf('valLoss')]))).toEqual(
      epochs.map((e) => e.valLoss),
    );
    const [file] = fs.readdirSync(tb);
    const events = readEventFile(fs.readFileSync(path.join(tb, file!)));
    const tags = new Set(events.flatMap((e) => (e.summary?.value ?? []).map((v) => v.tag)));
    for (const tag of ['train/loss', 'train/lr', 'epoch/valAccuracy', 'weights/0.weight', 'activations/0']) {
      expect(tags.has(tag), tag).toBe(true);
    }

    const resumed = await runCli([
      'train',
      '--resume',
      out,
      '--epochs',
      '3',
      '--json',
      '--csv-log',
      csv,
      '--tensorboard',
      tb,
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = fs.readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(after.map((row) => row.split(',')[0])).toEqual(['epoch', '1', '2', '3']);
    expect(fs.readdirSync(tb)).toHaveLength(2);

    fs.writeFileSync(csv, 'epoch,loss\n1,0.5\n');
    const mismatch = await runCli(['train', '--resume', out, '--epochs', '4', '--json', '--csv-log', csv]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain(
      `error: CsvLogger: the file ${csv} starts with the columns epoch,loss, but this run logs epoch,`,
    );
  });

  it('refuses a --csv-log that is a directory and a --tensorboard that is a file, before making the run directory', async () => {
    const out = path.join(tmp, 'refused');
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, 'x');
    const csv = await runCli(['train', ...small, '--epochs', '1', '--out', out, '--csv-log', tmp]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain(`--csv-log ${tmp}: is a directory, not a file; give a file path such as`);
    const tb = await runCli(['train', ...small, '--epochs', '1', '--out', out, '--tensorboard', file]);
    expect(tb.code).toBe(2);
    expect(tb.stderr).toContain(`--tensorboard ${file}: is a regular file, not a directory`);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('descent train prints the model summary', () => {
  it('in text mode: each layer with its output shape and parameters, and the totals', async () => {
    const r = await runCli(['train', ...small, '--epochs', '1', '--out', path.join(tmp, 'text')]);
    expect(r.code, r.stderr).toBe(0);
    const text = `${r.stdout}\n${r.stderr}`;
    expect(text).toMatch(/Model: Sequential \(input \[1, 2\], output \[1, 2\]\)/);
    expect(text).toMatch(/0 \(Linear\)\s+\[1, 16\]\s+48/);
    expect(text).toMatch(/Total params: 418 \(1\.63 KiB\)/);
  });

  it('not with --json: stdout holds only the JSON lines', async () => {
    const r = await runCli(['train', ...small, '--epochs', '1', '--json', '--out', path.join(tmp, 'json')]);
    expect(r.code, r.stderr).toBe(0);
    for (const line of r.stdout.split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(r.stdout).not.toContain('Total params');
  });
});
