/**
 * CsvLogger (Keras's CSVLogger): the browser-safe variant with a write(line) sink and the Node one
 * with a file path and append; the columns, the values, quoting, and each refusal by its message.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Adam, FormatError, manualSeed, mlp } from '../../src/index.js';
import { CsvLogger as SinkCsvLogger } from '../../src/train/callbacks/csv_logger.js';
import { type Callback, type EpochLogs, fit } from '../../src/train/index.js';
import { CsvLogger } from '../../src/train/node.js';
import { asTensors, blobs } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'descent-csv-logger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function train(callbacks: Callback[], epochs = 2) {
  manualSeed(3);
  const model = mlp({ sizes: [2, 8, 2], activation: 'relu' });
  return fit(model, asTensors(blobs(64, 1)), {
    optimizer: new Adam(model.parameters(), { lr: 0.01 }),
    loss: 'crossEntropy',
    epochs,
    batchSize: 16,
    validation: asTensors(blobs(32, 2)),
    callbacks,
  });
}

/** Calls onEpochEnd directly with given logs (the logger reads nothing else). */
function logEpochs(logger: Callback, logs: Partial<EpochLogs>[]): void {
  logger.onTrainBegin?.({} as never);
  for (const [i, l] of logs.entries()) {
    logger.onEpochEnd?.(i + 1, { epoch: i + 1, ...l } as EpochLogs, {} as never);
  }
}

describe('CsvLogger with write(line)', () => {
  it('writes a header of epoch and every log key once, then one row per epoch with the logged values', () => {
    const lines: string[] = [];
    const history = train([new SinkCsvLogger({ write: (line) => lines.push(line) })]);
    const keys = Object.keys(history.epochs[0]!).filter((k) => k !== 'epoch');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(['epoch', ...keys].join(','));
    expect(keys).toEqual(
      expect.arrayContaining(['trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy', 'lr']),
    );
    for (const [i, logs] of history.epochs.entries()) {
      const row = lines[i + 1]!.split(',').map(Number);
      expect(row).toEqual([i + 1, ...keys.map((k) => logs[k])]);
    }
  });

  it('writes NaN and infinities as Python does, NA for a key missing later, and quotes fields holding the separator', () => {
    const lines: string[] = [];
    logEpochs(new SinkCsvLogger({ write: (l) => lines.push(l), separator: ';' }), [
      { trainLoss: Number.NaN, 'a;b': 1, lr: 0.001 },
      { trainLoss: Number.POSITIVE_INFINITY, lr: Number.NEGATIVE_INFINITY },
    ]);
    expect(lines).toEqual(['epoch;trainLoss;"a;b";lr', '1;nan;1;0.001', '2;inf;NA;-inf']);
  });

  it('refuses path and append (Node’s CsvLogger has them), a missing write, a bad separator and unknown options', () => {
    expect(() => new SinkCsvLogger({ path: 'x.csv' } as never)).toThrow(
      "CsvLogger: path and append need Node's file system: import { CsvLogger } from 'descent/node', or pass write(line) to collect the lines",
    );
    expect(() => new SinkCsvLogger({} as never)).toThrow(
      'CsvLogger: write must be a function that takes each line, got undefined',
    );
    expect(() => new SinkCsvLogger({ write: () => {}, separator: '"' })).toThrow(
      `CsvLogger: separator must be a non-empty string without quotes or line breaks, such as ',' or '\\t'; got "\\""`,
    );
    expect(() => new SinkCsvLogger({ write: () => {}, bogus: 1 } as never)).toThrow(
      "CsvLogger: unknown option 'bogus'; accepted: write, separator",
    );
  });
});

describe('CsvLogger with a file (descent/node)', () => {
  it('writes the file as training runs: the header and a row per epoch, replacing an older file', () => {
    const path = join(dir, 'fresh.csv');
    writeFileSync(path, 'old,content\n1,2\n');
    const history = train([new CsvLogger({ path })], 3);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
    expect(lines[0]!.startsWith('epoch,trainLoss,')).toBe(true);
    expect(lines.slice(1, 4).map((l) => Number(l.split(',')[1]))).toEqual(
      history.epochs.map((e) => e.trainLoss),
    );
  });

  it('append continues a file with the same columns, without a second header', () => {
    const path = join(dir, 'append.csv');
    train([new CsvLogger({ path })], 1);
    train([new CsvLogger({ path, append: true })], 2);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l.startsWith('epoch,'))).toHaveLength(1);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['1', '1', '2']);
  });

  it('append to a file with other columns stops with an error naming the file and both headers; the file gains only its missing final line break', () => {
    const path = join(dir, 'other.csv');
    writeFileSync(path, 'epoch,loss\n1,0.5');
    const logger = new CsvLogger({ path, append: true });
    expect(() => logEpochs(logger, [{ trainLoss: 1, lr: 0.1 }])).toThrow(FormatError);
    expect(() => logEpochs(new CsvLogger({ path, append: true }), [{ trainLoss: 1, lr: 0.1 }])).toThrow(
      `CsvLogger: the file ${path} starts with the columns epoch,loss, but this run logs epoch,trainLoss,lr; append continues only a log with the same columns: write to another file, or append: false to start it over`,
    );
    expect(readFileSync(path, 'utf8')).toBe('epoch,loss\n1,0.5\n');
  });

  it('one logger passed to a second fit starts the emptied file with its header again', () => {
    const path = join(dir, 'twice.csv');
    const logger = new CsvLogger({ path });
    train([logger], 2);
    train([logger], 1);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]!.startsWith('epoch,trainLoss,')).toBe(true);
    expect(lines[1]!.split(',')[0]).toBe('1');
  });

  it('append to a missing or empty file starts it with the header', () => {
    const path = join(dir, 'missing.csv');
    logEpochs(new CsvLogger({ path, append: true }), [{ trainLoss: 1 }]);
    expect(readFileSync(path, 'utf8')).toBe('epoch,trainLoss\n1,1\n');
  });

  it('takes write(line) too, and refuses neither or both, append without a path and unknown options', () => {
    const lines: string[] = [];
    logEpochs(new CsvLogger({ write: (l) => lines.push(l) }), [{ trainLoss: 2 }]);
    expect(lines).toEqual(['epoch,trainLoss', '1,2']);
    expect(() => new CsvLogger({})).toThrow(
      'CsvLogger: give either path (a CSV file) or write(line) (a function that takes each line), not neither',
    );
    expect(() => new CsvLogger({ path: 'a.csv', write: () => {} })).toThrow('not both');
    expect(() => new CsvLogger({ write: () => {}, append: true })).toThrow(
      'CsvLogger: append applies to a file path; with write(line) the caller owns the output',
    );
    expect(() => new CsvLogger({ path: '' })).toThrow('CsvLogger: path must be a non-empty string, got ""');
    expect(() => new CsvLogger({ path: 'a.csv', bogus: 1 } as never)).toThrow(
      "CsvLogger: unknown option 'bogus'; accepted: path, write, separator, append",
    );
  });
});
