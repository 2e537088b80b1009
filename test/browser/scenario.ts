/**
 * The computations that test/browser/run.mjs runs both in Node and in headless Chromium: matrix
 * products of several shapes and transposes, and a few training steps of a small MLP and of LeNet-5
 * (whose convolutions the threads share by images and output channels), on a
 * single-threaded backend and on threaded ones. It checks that every thread count gives the single
 * thread's bits and returns SHA-256 hashes of the float32 bytes, which run.mjs compares across the two
 * runtimes. Everything is seeded through the library's own generators, whose numbers are the same on
 * every engine.
 */
import type { WasmBackend } from '../../src/backend/wasm/wasm_backend.js';
import {
  Adam,
  crossEntropy,
  Generator,
  lenet5,
  manualSeed,
  matmul,
  mlp,
  randint,
  randn,
  scope,
  withBackend,
} from '../../src/index.js';

/** [m, n, k]: rows that split unevenly, m up to 300, each at least the parallel threshold (2¹⁷). */
export const shapes: readonly (readonly [number, number, number])[] = [
  [300, 64, 129],
  [257, 33, 100],
  [64, 100, 784],
  [100, 784, 64],
  [37, 37, 257],
  [130, 9, 1000],
];

export const threadCounts = [1, 2, 4] as const;

export interface ScenarioResult {
  /** The build each backend ran, by name ('single', 't1', 't2', 't4'). */
  variants: Record<string, string>;
  /** Threads each backend reported. */
  threads: Record<string, number>;
  /** SHA-256 of all products' float32 bytes, by backend. */
  products: Record<string, string>;
  /** SHA-256 of the losses and the final weights after the training steps, by backend. */
  training: Record<string, string>;
  /** Chunks of rows each helper thread computed, by backend: they show that the helpers took part. */
  helperChunks: Record<string, number[]>;
  /** Bit differences from the single-threaded backend; empty when all agree. */
  mismatches: string[];
}

function bytesOf(x: Float32Array): Uint8Array {
  return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
}

async function sha256(parts: Float32Array[]): Promise<string> {
  let length = 0;
  for (const p of parts) length += p.byteLength;
  const all = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    all.set(bytesOf(p), at);
    at += p.byteLength;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The first element whose bits differ, or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  const x = bytesOf(a);
  const y = bytesOf(b);
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i >> 2;
  return -1;
}

/** C = op(A)·op(B) through the public API: a transposed operand is a view, passed as a flag. */
export function product(
  backend: WasmBackend,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): Float32Array {
  return withBackend(backend, () =>
    scope(() => {
      const g = new Generator(m * 131 + n * 7 + k);
      const a = randn(transA ? [k, m] : [m, k], { generator: g });
      const b = randn(transB ? [n, k] : [k, n], { generator: g });
      return matmul(transA ? a.t() : a, transB ? b.t() : b).data() as Float32Array;
    }),
  );
}

export function products(backend: WasmBackend): { label: string; value: Float32Array }[] {
  const out: { label: string; value: Float32Array }[] = [];
  for (const [m, n, k] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        out.push({
          label: `${m}×${n}×${k}${transA ? ' Aᵀ' : ''}${transB ? ' Bᵀ' : ''}`,
          value: product(backend, m, n, k, transA, transB),
        });
      }
    }
  }
  return out;
}

/**
 * Five Adam steps of a 784-100-10 sigmoid MLP with batch norm and three of LeNet-5 at batch 16; the
 * losses, then every parameter.
 */
export function training(backend: WasmBackend): { label: string; value: Float32Array }[] {
  return withBackend(backend, () => [
    ...steps(
      'mlp',
      () => mlp({ sizes: [784, 100, 10], activation: 'sigmoid', batchNorm: true }),
      [64, 784],
      5,
    ),
    ...steps('lenet5', () => lenet5(), [16, 1, 28, 28], 3),
  ]);
}

function steps(
  name: string,
  build: () => ReturnType<typeof mlp>,
  shape: number[],
  count: number,
): { label: string; value: Float32Array }[] {
  const g = new Generator(3);
  manualSeed(3); // the same initial weights on every backend
  const model = build();
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  const x = randn(shape, { generator: g });
  const y = randint(0, 10, [shape[0]!], { generator: g });
  const losses = new Float32Array(count);
  for (let i = 0; i < losses.length; i++) {
    losses[i] = scope(() => {
      opt.zeroGrad();
      const loss = crossEntropy(model.call(x), y);
      loss.backward();
      opt.step();
      return loss.item();
    });
  }
  return [
    { label: `${name} losses`, value: losses },
    ...[...model.namedParameters()].map(([p, t]) => ({
      label: `${name} ${p}`,
      value: t.data() as Float32Array,
    })),
  ];
}

function compare(
  name: string,
  expected: { label: string; value: Float32Array }[],
  actual: { label: string; value: Float32Array }[],
  mismatches: string[],
): void {
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    const at = firstDifference(e.value, a.value);
    if (at >= 0) {
      mismatches.push(`${name} ${e.label}: element ${at} is ${a.value[at]}, single-threaded ${e.value[at]}`);
    }
  }
}

/**
 * Runs the products and the training on `single` and on a threaded backend for each thread count
 * (made by `threaded`), comparing bits and hashing.
 */
export async function runScenario(
  single: WasmBackend,
  threaded: (threads: number) => Promise<WasmBackend>,
  close: (backend: WasmBackend) => void,
): Promise<ScenarioResult> {
  const result: ScenarioResult = {
    variants: {},
    threads: {},
    products: {},
    training: {},
    helperChunks: {},
    mismatches: [],
  };
  const expectedProducts = products(single);
  const expectedTraining = training(single);
  result.variants.single = single.variant;
  result.threads.single = single.threads;
  result.products.single = await sha256(expectedProducts.map((p) => p.value));
  result.training.single = await sha256(expectedTraining.map((p) => p.value));
  for (const t of threadCounts) {
    const backend = await threaded(t);
    const name = `t${t}`;
    try {
      result.variants[name] = backend.variant;
      result.threads[name] = backend.threads;
      const p = products(backend);
      compare(`${t} threads`, expectedProducts, p, result.mismatches);
      result.products[name] = await sha256(p.map((x) => x.value));
      const w = training(backend);
      compare(`${t} threads, training`, expectedTraining, w, result.mismatches);
      result.training[name] = await sha256(w.map((x) => x.value));
      const pool = (backend as unknown as { parallel: { helperChunks(): number[] } | null }).parallel;
      result.helperChunks[name] = pool?.helperChunks() ?? [];
    } finally {
      close(backend);
    }
  }
  return result;
}
