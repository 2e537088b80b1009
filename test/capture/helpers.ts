/**
 * Running the same training steps eagerly and captured, from the same seed, and comparing every bit:
 * the losses, the parameters, their gradients, the layers' buffers (running statistics) and the
 * default generator's state after the last step.
 */
import type { Backend } from '../../src/backend/backend.js';
import { withBackend } from '../../src/backend/registry.js';
import { type CapturedStep, capture } from '../../src/capture/capture.js';
import { Adam, crossEntropy, type Module, mlp, randint, randn, Sequential } from '../../src/index.js';
import { Generator, getDefaultGenerator, manualSeed } from '../../src/tensor/random.js';
import { scope } from '../../src/tensor/storage.js';
import type { Tensor } from '../../src/tensor/tensor.js';

/** What the tests need of an optimizer. */
interface Updates {
  step(): unknown;
  zeroGrad(options?: { setToNone?: boolean }): void;
}

export interface Trainee {
  model: Module;
  optimizer: Updates;
}

export type Step = (x: Tensor, y: Tensor) => Tensor;

/** zeroGrad, forward, cross-entropy, backward: what `fit` captures. */
export function lossStep({ model, optimizer }: Trainee): Step {
  return (x, y) => {
    optimizer.zeroGrad();
    const loss = crossEntropy(model.call(x), y);
    loss.backward();
    return loss;
  };
}

/** The model from `build` (seeded), with Adam. */
export function trainee(build: () => Module, seed = 3): Trainee {
  manualSeed(seed);
  const model = build();
  return { model, optimizer: new Adam(model.parameters(), { lr: 1e-2 }) };
}

export interface Batch {
  x: Tensor;
  y: Tensor;
}

/** Batches of `sizes[i]` samples of `shape` with labels in [0, classes), from their own generator. */
export function batches(sizes: readonly number[], shape: readonly number[], classes: number): Batch[] {
  const generator = new Generator(99);
  return sizes.map((n) => ({
    x: randn([n, ...shape], { generator }),
    y: randint(0, classes, [n], { generator }),
  }));
}

/** The bits of a float32 tensor (so that −0, NaN payloads and the last ulp all count). */
export function bits(t: Tensor): number[] {
  const d = t.data();
  return Array.from(d instanceof Float32Array ? new Uint32Array(d.buffer) : d);
}

export interface Trace {
  losses: number[][];
  params: number[][];
  grads: number[][];
  buffers: number[][];
  rng: number[];
}

/** Runs one step per batch, with the optimizer update after each; `run` is the step or a captured one. */
export function train(t: Trainee, data: readonly Batch[], run: Step): Trace {
  const losses: number[][] = [];
  for (const { x, y } of data) {
    scope(() => {
      losses.push(bits(run(x, y)));
      t.optimizer.step();
    });
  }
  const params = t.model.parameters();
  return {
    losses,
    params: params.map(bits),
    grads: params.map((p) => bits(p.grad!)),
    buffers: [...t.model.buffers()].map(bits),
    rng: getDefaultGenerator().getState(),
  };
}

export interface Comparison {
  eager: Trace;
  captured: Trace;
  stats: CapturedStep<[Tensor, Tensor], Tensor>['stats'];
}

/** The same steps eagerly and captured, on `backend`, from the same seeds. */
export function compare(
  backend: Backend,
  build: () => Module,
  data: (backend: Backend) => Batch[],
  step: (t: Trainee) => Step = lossStep,
): Comparison {
  return withBackend(backend, () => {
    const batchList = data(backend);
    const a = trainee(build);
    const eager = train(a, batchList, step(a));
    const b = trainee(build);
    const captured = capture({ step: step(b), params: b.model.parameters() });
    const result = train(b, batchList, (x, y) => captured.run(x, y));
    captured.dispose();
    return { eager, captured: result, stats: captured.stats };
  });
}

/** A small network with BatchNorm, for the behaviour tests. */
export const small = (): Module => mlp({ sizes: [6, 8, 3], activation: 'relu', batchNorm: true });

/** A Sequential that counts its forward calls: the step's JavaScript. */
export class Counting extends Sequential {
  calls = 0;
  override forward(x: Tensor): Tensor {
    this.calls++;
    return super.forward(x);
  }
}
