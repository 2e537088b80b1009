/**
 * Small synthetic data and a tiny loader for the trainer tests. The loader follows the DataLoader
 * contract the trainer relies on: fresh tensors per batch (owned by the consumer), `length`, and a
 * seeded order chosen by `setEpoch(epoch)`.
 */
import { Generator, type Tensor, tensor } from '../../src/index.js';
import type { Batch, BatchSource } from '../../src/train/index.js';

export interface Arrays {
  x: Float32Array;
  y: Int32Array;
  n: number;
  d: number;
}

/** Two Gaussian blobs in 2-D, centred at (−1.5, −1.5) and (1.5, 1.5) (linearly separable up to noise). */
export function blobs(n: number, seed: number, spread = 0.5): Arrays {
  const g = new Generator(seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    y[i] = c;
    const centre = c === 0 ? -1.5 : 1.5;
    x[2 * i] = centre + spread * g.normal();
    x[2 * i + 1] = centre + spread * g.normal();
  }
  return { x, y, n, d: 2 };
}

/** XOR-like quadrants: class = sign(x0) ≠ sign(x1); needs a hidden layer. */
export function quadrants(n: number, seed: number): Arrays {
  const g = new Generator(seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let a = 0;
    let b = 0;
    while (Math.abs(a) < 0.1 || Math.abs(b) < 0.1) {
      a = 2 * g.uniform53() - 1;
      b = 2 * g.uniform53() - 1;
    }
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = a > 0 !== b > 0 ? 1 : 0;
  }
  return { x, y, n, d: 2 };
}

/** The whole set as two tensors. */
export function asTensors(a: Arrays): { x: Tensor; y: Tensor } {
  return { x: tensor(a.x, { shape: [a.n, a.d] }), y: tensor(a.y, { shape: [a.n] }) };
}

/** A minimal loader: fresh tensors per batch, seeded order per epoch (or none). */
export class TinyLoader implements BatchSource {
  epoch = 0;
  /** Batches handed out so far (all epochs). */
  yielded = 0;

  constructor(
    readonly data: Arrays,
    readonly batchSize: number,
    readonly shuffleSeed: number | null = null,
  ) {}

  get length(): number {
    return Math.ceil(this.data.n / this.batchSize);
  }

  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }

  *[Symbol.iterator](): Iterator<Batch> {
    const { x, y, n, d } = this.data;
    const order = Array.from({ length: n }, (_, i) => i);
    if (this.shuffleSeed !== null) {
      const g = new Generator(this.shuffleSeed * 1000 + this.epoch);
      for (let i = n - 1; i > 0; i--) {
        const j = g.below(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    }
    for (let start = 0; start < n; start += this.batchSize) {
      const idx = order.slice(start, start + this.batchSize);
      const bx = new Float32Array(idx.length * d);
      const by = new Int32Array(idx.length);
      idx.forEach((s, k) => {
        bx.set(x.subarray(s * d, (s + 1) * d), k * d);
        by[k] = y[s]!;
      });
      this.yielded += 1;
      yield { x: tensor(bx, { shape: [idx.length, d] }), y: tensor(by) };
    }
  }
}

/** Every parameter and buffer of a state dict as plain arrays (to compare models exactly). */
export function weightsOf(model: { stateDict(): Map<string, Tensor> }): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [k, t] of model.stateDict()) out[k] = Array.from(t.data());
  return out;
}

/** The history's epochs without the timing fields, which differ between runs. */
export function untimed<T extends { seconds?: number; samplesPerSec?: number }>(epochs: readonly T[]): T[] {
  return epochs.map(({ seconds: _s, samplesPerSec: _r, ...rest }) => rest as T);
}
