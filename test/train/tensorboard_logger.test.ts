/**
 * TensorBoardLogger: the event file of a real fit, read back by the independent reader of
 * test/io/tfevents_proto.ts (crc-32's CRC-32C, protobufjs with TensorFlow's schema): scalars per step
 * and per epoch, histograms of weights and activations, the file's name and place, and the refusals.
 * If Python has TensorBoard installed, TensorBoard's own reader opens the file as well.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam, manualSeed, mlp, slice, type Tensor } from '../../src/index.js';
import { TensorBoardLogger as SinkTensorBoardLogger } from '../../src/train/callbacks/tensorboard.js';
import { type Callback, fit } from '../../src/train/index.js';
import { TensorBoardLogger } from '../../src/train/node.js';
import { type DecodedEvent, readEventFile } from '../io/tfevents_proto.js';
import { asTensors, blobs } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'descent-tensorboard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = asTensors(blobs(64, 1));

function train(callbacks: Callback[], epochs = 2) {
  manualSeed(3);
  const model = mlp({ sizes: [2, 8, 2], activation: 'relu' });
  const history = fit(model, data, {
    optimizer: new Adam(model.parameters(), { lr: 0.01 }),
    loss: 'crossEntropy',
    epochs,
    batchSize: 16,
    validation: asTensors(blobs(32, 2)),
    callbacks,
  });
  return { model, history };
}

const tagsOf = (e: DecodedEvent) => (e.summary?.value ?? []).map((v) => v.tag);
const taggedValue = (e: DecodedEvent, tag: string) => e.summary!.value.find((v) => v.tag === tag)!;

describe('TensorBoardLogger writing an event file', () => {
  const logDir = join(dir, 'run');
  const sample: Tensor = slice(data.x, 0, 0, 16);
  const logger = new TensorBoardLogger({ logDir, activationSample: sample, bins: 8 });
  let model: ReturnType<typeof train>['model'];
  let history: ReturnType<typeof train>['history'];
  let files: string[];
  let events: DecodedEvent[];
  // In beforeAll, not at collection: a reader error then fails the tests by name.
  beforeAll(() => {
    ({ model, history } = train([logger]));
    files = readdirSync(logDir);
    events = readEventFile(readFileSync(join(logDir, files[0]!)));
  });

  it('creates one file named events.out.tfevents.<seconds>.<host> in the log directory', () => {
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(
      new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.${hostname().replace(/\./g, '\\.')}$`),
    );
    expect(logger.file).toBe(join(logDir, files[0]!));
  });

  it('starts with the file version, and every record passes the reader’s CRC checks', () => {
    expect(events[0]).toMatchObject({ step: 0, fileVersion: 'brain.Event:2' });
    expect(events[0]!.wallTime).toBeGreaterThan(1.7e9);
  });

  it('has train/loss and train/lr at every optimizer step, equal (as float32) to the history’s', () => {
    const steps = events.filter((e) => tagsOf(e).includes('train/loss'));
    expect(steps.map((e) => e.step)).toEqual(history.stepLosses.map((_, i) => i + 1));
    expect(steps.map((e) => taggedValue(e, 'train/loss').simpleValue)).toEqual(
      history.stepLosses.map(Math.fround),
    );
    expect(steps.map((e) => taggedValue(e, 'train/lr').simpleValue)).toEqual(
      history.stepLrs.map(Math.fround),
    );
  });

  it('has every epoch log as epoch/<key> at step = the epoch', () => {
    const epochs = events.filter((e) => tagsOf(e).includes('epoch/trainLoss'));
    expect(epochs.map((e) => e.step)).toEqual([1, 2]);
    for (const [i, logs] of history.epochs.entries()) {
      const keys = Object.keys(logs).filter((k) => k !== 'epoch');
      expect(tagsOf(epochs[i]!)).toEqual(keys.map((k) => `epoch/${k}`));
      expect(taggedValue(epochs[i]!, 'epoch/valAccuracy').simpleValue).toBe(Math.fround(logs.valAccuracy!));
    }
  });

  it('has a histogram of each parameter and of each layer’s activations per epoch', () => {
    const histos = events.filter((e) => tagsOf(e).some((t) => t.startsWith('weights/')));
    expect(histos.map((e) => e.step)).toEqual([1, 2]);
    expect(tagsOf(histos[1]!)).toEqual([
      'weights/0.weight',
      'weights/0.bias',
      'weights/2.weight',
      'weights/2.bias',
      'activations/0',
      'activations/1',
      'activations/2',
    ]);
    const w = taggedValue(histos[1]!, 'weights/0.weight').histo!;
    const values = [...model.at(0).parameters()[0]!.data()];
    expect(w.num).toBe(16);
    expect(w.bucket.reduce((a, b) => a + b, 0)).toBe(16);
    expect(w.bucketLimit).toHaveLength(8);
    expect([w.min, w.max]).toEqual([Math.min(...values), Math.max(...values)]);
    expect(w.sum).toBeCloseTo(
      values.reduce((a, b) => a + b, 0),
      5,
    );
    const relu = taggedValue(histos[1]!, 'activations/1').histo!;
    expect(relu.num).toBe(16 * 8);
    expect(relu.min).toBe(0);
    expect(relu.bucket.reduce((a, b) => a + b, 0)).toBe(16 * 8);
  });

  it.skipIf(!hasPythonTensorBoard())(
    'TensorBoard’s own reader opens the file (needs python3 with tensorboard)',
    () => {
      const script = [
        'import sys',
        'from tensorboard.backend.event_processing.event_file_loader import EventFileLoader',
        'print(sum(1 for _ in EventFileLoader(sys.argv[1]).Load()))',
      ].join('\n');
      const r = spawnSync('/usr/bin/python3', ['-c', script, join(logDir, files[0]!)], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(Number(r.stdout)).toBe(events.length);
    },
  );
});

function hasPythonTensorBoard(): boolean {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import tensorboard'], { encoding: 'utf8' });
  return r.status === 0;
}

describe('TensorBoardLogger options', () => {
  it('updateFreq writes every N-th step; histogramFreq 0 writes no histograms', () => {
    const records: Uint8Array[] = [];
    const { history } = train([
      new SinkTensorBoardLogger({ write: (r) => records.push(r), updateFreq: 3, histogramFreq: 0 }),
    ]);
    const events = records.flatMap((r) => readEventFile(r));
    const steps = events.filter((e) => tagsOf(e).includes('train/loss')).map((e) => e.step);
    expect(history.stepLosses).toHaveLength(8);
    expect(steps).toEqual([3, 6]);
    expect(events.some((e) => tagsOf(e).some((t) => t.startsWith('weights/')))).toBe(false);
  });

  it('a second run in the same directory gets a new file, never overwriting the first', () => {
    const logDir = join(dir, 'twice');
    train([new TensorBoardLogger({ logDir, histogramFreq: 0 })], 1);
    train([new TensorBoardLogger({ logDir, histogramFreq: 0 })], 1);
    const files = readdirSync(logDir);
    expect(files).toHaveLength(2);
    for (const f of files)
      expect(readEventFile(readFileSync(join(logDir, f)))[0]!.fileVersion).toBe('brain.Event:2');
  });

  it('refuses logDir in the browser variant, neither or both of logDir and write, bad counts and unknown options', () => {
    expect(() => new SinkTensorBoardLogger({ logDir: 'x' } as never)).toThrow(
      "TensorBoardLogger: logDir needs Node's file system: import { TensorBoardLogger } from 'descent/node', or pass write(record) to collect the records",
    );
    expect(() => new TensorBoardLogger({})).toThrow(
      'TensorBoardLogger: give either logDir (a directory) or write(record), not neither',
    );
    expect(() => new TensorBoardLogger({ logDir: 'x', write: () => {} })).toThrow('not both');
    expect(() => new TensorBoardLogger({ logDir: 'x', updateFreq: 0 })).toThrow(
      'TensorBoardLogger: updateFreq must be an integer ≥ 1, got 0',
    );
    expect(() => new TensorBoardLogger({ logDir: 'x', histogramFreq: -1 })).toThrow(
      'TensorBoardLogger: histogramFreq must be an integer ≥ 0, got -1',
    );
    expect(() => new TensorBoardLogger({ logDir: 'x', activationSample: [1, 2] as never })).toThrow(
      'TensorBoardLogger: activationSample must be a Tensor (a batch of inputs), got object',
    );
    expect(() => new TensorBoardLogger({ logDir: 'x', bogus: 1 } as never)).toThrow(
      "TensorBoardLogger: unknown option 'bogus'; accepted: logDir, write, updateFreq, histogramFreq, activationSample, bins",
    );
  });
});
