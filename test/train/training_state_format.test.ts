/**
 * The on-disk training state, version 2: every tensor stored as a tensor (a 11.6M-parameter Adam run
 * resumes, with a header of a few kB instead of 185 MB of JSON that the reader refused), a checksum that
 * catches a flipped bit anywhere, the caller's context carried through, every malformed field refused
 * with a FormatError naming it, and version-1 files from descent 0.1.0 still read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  crossEntropy,
  Linear,
  manualSeed,
  ReLU,
  Sequential,
  SGD,
  type Tensor,
  tensor,
} from '../../src/index.js';
import { FormatError } from '../../src/io/format_error.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import {
  captureTrainingState,
  EarlyStopping,
  parseTrainingState,
  restoreTrainingState,
  serializeTrainingState,
  type TrainingState,
} from '../../src/train/index.js';
import { loadTrainingState, saveTrainingState } from '../../src/train/training_state_file.js';

function headerLength(bytes: Uint8Array): number {
  return Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
}

function headerOf(bytes: Uint8Array): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength(bytes))));
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

function build(sizes: number[], seed: number) {
  manualSeed(seed);
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Linear(sizes[i]!, sizes[i + 1]!));
    if (i + 2 < sizes.length) layers.push(new ReLU());
  }
  const model = new Sequential(...layers);
  return { model, optimizer: new Adam(model.parameters(), { lr: 1e-3 }) };
}

function oneAdamStep(sizes: number[], seed: number) {
  const { model, optimizer } = build(sizes, seed);
  const x = tensor(
    Array.from({ length: 2 * sizes[0]! }, (_, i) => Math.sin(i)),
    { shape: [2, sizes[0]!] },
  );
  crossEntropy(model.forward(x), tensor([1, 3], { dtype: 'int32' })).backward();
  optimizer.step();
  return { model, optimizer };
}

/** A small state with Adam moments, early-stopping weights and a context, as bytes. */
function smallState(): { state: TrainingState; bytes: Uint8Array } {
  const { model, optimizer } = oneAdamStep([6, 5, 4], 1);
  const early = new EarlyStopping({ restoreBestWeights: true });
  early.loadStateDict({
    best: 0.5,
    bestEpoch: 1,
    wait: 0,
    bestWeights: Object.fromEntries(
      [...model.stateDict()].map(([k, t]) => [k, { shape: [...t.shape], dtype: t.dtype, data: t.data() }]),
    ),
  });
  const state = captureTrainingState(
    { model, optimizer, callbacks: [early] },
    { epoch: 1, step: 1, context: { config: { hidden: [5] }, data: { train: 'crc32:12345678' } } },
  );
  return { state, bytes: serializeTrainingState(state) };
}

/** Rebuilds a file with the given state JSON (and no valid checksum unless `checksum` is given). */
function withStateJson(bytes: Uint8Array, edit: (json: Record<string, unknown>) => void, version?: number) {
  const header = headerOf(bytes);
  const metadata = header.__metadata__ as Record<string, string>;
  const json = JSON.parse(metadata['descent.trainingState']!);
  edit(json);
  if (version !== undefined) json.version = version;
  const { tensors } = decodeSafetensors(bytes);
  return encodeSafetensors(tensors, { 'descent.trainingState': JSON.stringify(json) });
}

describe('training state version 2 on disk', () => {
  it('a 11.6M-parameter MLP with Adam saves to a file with a small header and resumes from it with equal weights and moments', () => {
    const { model, optimizer } = oneAdamStep([784, 4096, 2048, 10], 2);
    const count = model.parameters().reduce((a, p) => a + p.size, 0);
    expect(count).toBeGreaterThan(10_000_000);
    // Through the files --resume reads (saveTrainingState / loadTrainingState and their size checks),
    // where the JSON-moments format used to fail on its 185 MB header.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-big-state-'));
    const file = path.join(dir, 'state.safetensors');
    let back: ReturnType<typeof loadTrainingState>;
    try {
      saveTrainingState(file, captureTrainingState({ model, optimizer }, { epoch: 1, step: 1 }));
      const bytes = new Uint8Array(fs.readFileSync(file));
      expect(headerLength(bytes)).toBeLessThan(16_000);
      expect(bytes.length).toBeGreaterThan(3 * 4 * count); // weights + two moments, as raw float32
      back = loadTrainingState(file);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const fresh = build([784, 4096, 2048, 10], 3); // other weights, no optimizer state yet
    restoreTrainingState(back, { model: fresh.model, optimizer: fresh.optimizer });
    const want = [...model.stateDict()];
    const got = new Map(fresh.model.stateDict());
    for (const [name, t] of want) expect(sameBytes(got.get(name)!.data(), t.data()), name).toBe(true);
    const moments = (o: Adam) =>
      Object.values(o.stateDict().state).flatMap((s) =>
        (s as unknown[])
          .filter((x) => x !== null)
          .flatMap((x) => {
            const { expAvg, expAvgSq, step } = x as Record<string, { data: Float32Array } & number>;
            return [expAvg.data, expAvgSq.data, new Float32Array([step])];
          }),
      );
    const [a, b] = [moments(optimizer), moments(fresh.optimizer)];
    expect(b).toHaveLength(a.length);
    a.forEach((m, i) => {
      expect(sameBytes(m, b[i]!), `moment ${i}`).toBe(true);
    });
  }, 60_000);

  it('stores optimizer moments and early-stopping weights as named tensors, not JSON', () => {
    const { bytes } = smallState();
    const header = headerOf(bytes);
    expect(Object.keys(header)).toEqual(
      expect.arrayContaining([
        '0.weight',
        'optimizer.state.0.2.expAvg',
        'optimizer.state.3.2.expAvgSq',
        'callbacks.0.state.bestWeights.0.weight',
      ]),
    );
    expect(header['optimizer.state.0.2.expAvg']).toMatchObject({ dtype: 'F32', shape: [5, 6] });
    const json = (header.__metadata__ as Record<string, string>)['descent.trainingState']!;
    expect(json).toContain('{"$tensor":"optimizer.state.0.2.expAvg"}');
    expect(json.length).toBeLessThan(3000);
  });

  it('round-trips the state, its context and the early-stopping weights', () => {
    const { state, bytes } = smallState();
    const back = parseTrainingState(bytes);
    expect(back.context).toEqual({ config: { hidden: [5] }, data: { train: 'crc32:12345678' } });
    expect(back.optimizer).toEqual(state.optimizer);
    expect(back.callbacks).toEqual(state.callbacks);
    expect(Object.keys(back.model)).toEqual(Object.keys(state.model));
  });

  it('a flipped bit in the tensor data is refused by the checksum', () => {
    const { bytes } = smallState();
    const corrupted = new Uint8Array(bytes);
    corrupted[corrupted.length - 3]! ^= 0x10;
    expect(() => parseTrainingState(corrupted, 'state.safetensors')).toThrow(
      /^parseTrainingState: state\.safetensors: the checksum does not match \(stored crc32:[0-9a-f]{8}, computed crc32:[0-9a-f]{8}\): the file is corrupted or was edited$/,
    );
    expect(() => parseTrainingState(corrupted)).toThrow(FormatError);
  });

  it('an edited state JSON without a matching checksum is refused', () => {
    const { bytes } = smallState();
    const edited = withStateJson(bytes, (j) => {
      j.step = 2;
    });
    expect(() => parseTrainingState(edited, 's')).toThrow(
      "parseTrainingState: s: the 'descent.checksum' metadata is missing (the file was not written by descent, or was edited)",
    );
  });

  it.each([
    [
      'a negative step',
      (j: Record<string, unknown>) => (j.step = -3),
      'step must be a non-negative integer, got -3',
    ],
    [
      'an epoch that is a string',
      (j: Record<string, unknown>) => (j.epoch = '2'),
      'epoch must be a non-negative integer, got "2"',
    ],
    [
      'a broken random state',
      (j: Record<string, unknown>) => (j.rng = [1, 2]),
      'rng must be null or the 5 numbers of a generator state (four 32-bit words and a spare normal)',
    ],
    [
      'a history that is not a list of epochs',
      (j: Record<string, unknown>) => ((j.history as Record<string, unknown>).epochs = 'x'),
      'history.epochs must be a list of epoch logs',
    ],
    [
      'an epoch log with a string value',
      (j: Record<string, unknown>) =>
        ((j.history as Record<string, unknown>).epochs = [{ epoch: 1, trainLoss: 'low' }]),
      'history.epochs[0].trainLoss must be a number, got "low"',
    ],
    [
      'a reference to a tensor the file lacks',
      (j: Record<string, unknown>) =>
        (((j.optimizer as Record<string, unknown>).state as Record<string, unknown[]>)['0']![2] = {
          $tensor: 'nope',
        }),
      'the state refers to tensor "nope", which the file does not hold',
    ],
    [
      'callbacks that are not a list',
      (j: Record<string, unknown>) => (j.callbacks = {}),
      'callbacks must be a list of { name, state }',
    ],
  ])(
    'refuses %s with a FormatError naming the field (version 1 path, no checksum)',
    (_what, edit, message) => {
      const { bytes } = smallState();
      const edited = withStateJson(bytes, edit, 1);
      expect(() => parseTrainingState(edited, 's')).toThrow(
        new FormatError('s', `parseTrainingState: s: ${message}`),
      );
    },
  );

  it('refuses a state from a newer descent, saying so', () => {
    const { bytes } = smallState();
    const edited = withStateJson(bytes, () => {}, 3);
    expect(() => parseTrainingState(edited, 's')).toThrow(
      'parseTrainingState: s: a training state of version 3, written by a newer descent; this one reads versions 1 and 2',
    );
  });

  it('reads a version-1 file (descent 0.1.0: moments as JSON, no checksum) and resumes from it', () => {
    manualSeed(4);
    const model = new Sequential(new Linear(3, 2));
    const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const x = tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] });
    crossEntropy(model.forward(x), tensor([0, 1], { dtype: 'int32' })).backward();
    optimizer.step();
    const v1 = {
      format: 'descent.trainingState',
      version: 1,
      epoch: 1,
      step: 1,
      optimizer: JSON.parse(JSON.stringify(optimizer.stateDict())),
      schedule: null,
      rng: [1, 2, 3, 4, 'NaN'],
      history: { epochs: [], stepLosses: [0.5], stepLrs: [0.1], warnings: [], stopReason: null },
      callbacks: [],
    };
    const tensors = new Map(
      [...model.stateDict()].map(([k, t]) => [k, { shape: [...t.shape], dtype: t.dtype, data: t.data() }]),
    );
    const bytes = encodeSafetensors(tensors, { 'descent.trainingState': JSON.stringify(v1) });
    const state = parseTrainingState(bytes, 'old.safetensors');
    expect(state.version).toBe(2);
    expect(state.context).toBeNull();
    const other = new Sequential(new Linear(3, 2));
    const otherOpt = new SGD(other.parameters(), { lr: 0.1, momentum: 0.9 });
    restoreTrainingState(state, { model: other, optimizer: otherOpt });
    const w = (m: Sequential) => [...m.stateDict().values()].map((t: Tensor) => Array.from(t.data()));
    expect(w(other)).toEqual(w(model));
    expect(JSON.stringify(otherOpt.stateDict())).toBe(JSON.stringify(optimizer.stateDict()));
  });
});
