/**
 * Property-based fuzzing of the training-state reader and of resuming from what it returns (the CLI's
 * `--resume` loader): valid states of a few runs (Adam, SGD with momentum and a schedule, EarlyStopping's
 * weights), then truncated, bit-flipped, and with fields of the state JSON replaced by wrong types,
 * negative or huge numbers and dangling tensor references (re-signed so that the checksum passes, and
 * unsigned as version 1). Every input either parses, or throws `FormatError` naming the source, within
 * a time bound; a parsed state either restores, or is refused with a message that names where
 * (`Adam.loadStateDict: …`, `restoreTrainingState: …`), never a raw TypeError from deep inside.
 * fast-check prints the seed and the shrunk counterexample of a failure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  crossEntropy,
  Linear,
  manualSeed,
  ReLU,
  Sequential,
  SGD,
  StepLR,
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
  type TrainingParts,
  type TrainingState,
} from '../../src/train/index.js';
import { cpuMark, cpuMsSince } from '../helpers/cpu_time.js';

const SOURCE = 'fuzz-state.safetensors';
const MS_PER_INPUT = 500;

/** The parts of a small run, built fresh (a restore writes into them). */
type Make = () => TrainingParts;

const variants: Make[] = [
  () => {
    manualSeed(1);
    const model = new Sequential(new Linear(3, 2));
    return { model, optimizer: new Adam(model.parameters(), { lr: 0.01 }) };
  },
  () => {
    manualSeed(2);
    const model = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 2));
    const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    return {
      model,
      optimizer,
      schedule: new StepLR(optimizer, { stepSize: 1, gamma: 0.5 }),
      callbacks: [new EarlyStopping({ patience: 3, restoreBestWeights: true })],
    };
  },
];

/** A valid state of each variant after two steps (EarlyStopping holding a copy of the weights). */
const valid: { make: Make; bytes: Uint8Array }[] = variants.map((make) => {
  const parts = make();
  const inputs = parts.model.parameters()[0]!.shape[1]!;
  for (let step = 0; step < 2; step++) {
    parts.optimizer.zeroGrad();
    const x = tensor(
      Array.from({ length: 4 * inputs }, (_, i) => Math.cos(i + step)),
      { shape: [4, inputs] },
    );
    crossEntropy(parts.model.forward(x), tensor([0, 1, 1, 0], { dtype: 'int32' })).backward();
    parts.optimizer.step();
  }
  const early = parts.callbacks?.[0] as EarlyStopping | undefined;
  early?.loadStateDict({
    best: 0.7,
    bestEpoch: 1,
    wait: 1,
    bestWeights: Object.fromEntries(
      [...parts.model.stateDict()].map(([k, t]) => [
        k,
        { shape: [...t.shape], dtype: t.dtype, data: t.data() },
      ]),
    ),
  });
  const state = captureTrainingState(parts, { epoch: 1, step: 2, context: { run: 'fuzz' } });
  return { make, bytes: serializeTrainingState(state) };
});

function parseOrRefuse(bytes: Uint8Array): TrainingState | 'refused' {
  const started = cpuMark(); // CPU time: see test/helpers/cpu_time.ts
  try {
    return parseTrainingState(bytes, SOURCE);
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    expect(error.source).toBe(SOURCE);
    expect(error.message).toMatch(/^(parseTrainingState|safetensors): fuzz-state\.safetensors: \S/);
    return 'refused';
  } finally {
    expect(cpuMsSince(started)).toBeLessThan(MS_PER_INPUT);
  }
}

/** Messages of a clean refusal to restore: they say which part refused, and why. */
const RESTORE_REFUSAL =
  /^(restoreTrainingState|loadStateDict|\w+\.loadStateDict|Generator\.setState|History\.fromJSON|\w+: \w+ must be)/;

function restoreOrRefuse(state: TrainingState, make: Make): 'ok' | 'refused' {
  try {
    restoreTrainingState(state, make());
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toMatch(/Cannot read properties|is not a function|is not iterable/);
    expect((error as Error).message).toMatch(RESTORE_REFUSAL);
    return 'refused';
  }
}

/** Every path to a JSON node of the state (not the model, not inside a typed array). */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (ArrayBuffer.isView(value) || value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

function setAt(root: Record<string, unknown>, at: (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const k of at.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = at[at.length - 1]!;
  if (value === DELETE) delete node[last];
  else node[last] = value;
}

const DELETE = Symbol('delete');
const weird = fc.oneof(
  fc.constantFrom(-3, -1, 0, 1.5, 2 ** 31, 2 ** 53, 1e308, Number.NaN, Infinity, -Infinity),
  fc.constantFrom('x', '', 'NaN', '3', null, true, false, DELETE),
  fc.constantFrom([], {}, [1, 2, 3], [null], { $tensor: 'nope' }, { shape: [2], data: [1] }),
  fc.constantFrom(new Float32Array(3), new Float32Array([Number.NaN]), new Int32Array([-1])),
);

/** A parsed copy of a valid state with one node (outside the model) replaced. */
function mutated(bytes: Uint8Array, pick: number, value: unknown): Record<string, unknown> {
  const state = parseTrainingState(bytes) as unknown as Record<string, unknown>;
  const { model: _model, ...rest } = state;
  const paths = pathsOf(rest).filter((p) => p.length > 0);
  setAt(state, paths[pick % paths.length]!, value);
  return state;
}

describe('fuzzing the training-state reader and the resume loader', () => {
  it('valid states parse and restore', () => {
    for (const { make, bytes } of valid) {
      const state = parseOrRefuse(bytes);
      expect(state).not.toBe('refused');
      expect(restoreOrRefuse(state as TrainingState, make)).toBe('ok');
    }
  });

  it('any truncation is refused with a FormatError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(), ({ bytes }, cut) => {
        expect(parseOrRefuse(bytes.subarray(0, cut % bytes.length))).toBe('refused');
      }),
      { numRuns: 500 },
    );
  });

  it('any single bit flip is refused (the checksum covers the JSON and every tensor)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        ({ bytes }, at, bit) => {
          const flipped = new Uint8Array(bytes);
          flipped[at % flipped.length]! ^= 1 << bit;
          expect(parseOrRefuse(flipped)).toBe('refused');
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('wrong values in a re-signed state either parse and restore, or are refused by name', () => {
    const outcomes = { ok: 0, refused: 0 };
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(), weird, ({ make, bytes }, pick, value) => {
        let signed: Uint8Array;
        try {
          signed = serializeTrainingState(mutated(bytes, pick, value) as never);
        } catch {
          return; // the writer refused to write it: nothing to read
        }
        const state = parseOrRefuse(signed);
        outcomes[state === 'refused' ? 'refused' : restoreOrRefuse(state, make)] += 1;
      }),
      { numRuns: 800 },
    );
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('wrong values in an unsigned version-1 state JSON either parse and restore, or are refused by name', () => {
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(), weird, ({ make, bytes }, pick, value) => {
        const state = mutated(bytes, pick, value);
        const { tensors } = decodeSafetensors(bytes);
        const model = new Map([...tensors].filter(([name]) => name in (state.model as object)));
        const { model: _m, ...rest } = state;
        const json = JSON.stringify({ ...rest, version: 1 }, (_k, v) =>
          ArrayBuffer.isView(v)
            ? Array.from(v as Float32Array)
            : typeof v === 'number' && !Number.isFinite(v)
              ? String(v)
              : v,
        );
        const parsed = parseOrRefuse(encodeSafetensors(model, { 'descent.trainingState': json }));
        if (parsed !== 'refused') restoreOrRefuse(parsed, make);
      }),
      { numRuns: 800 },
    );
  });
});
