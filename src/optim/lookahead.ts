import { noGrad } from '../autograd/tape.js';
import { tensor } from '../tensor/creation.js';
import { keepStorage, scope } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import type { OptimizerLike } from './optimizer.js';
import { type SerializedTensor, savedTensor } from './saved_state.js';

export interface LookaheadOptions {
  /** Fast steps per synchronization. Default 5. */
  k?: number;
  /** α, how far the slow weights move toward the fast ones. Default 0.5. */
  alpha?: number;
}

export interface LookaheadStateDict {
  inner: unknown;
  slow: SerializedTensor[];
  fastSteps: number;
}

/**
 * Lookahead (Zhang, Lucas, Hinton & Ba 2019, "Lookahead Optimizer: k steps forward, 1 step back",
 * arXiv:1907.08610), wrapping any optimizer: the inner ("fast") optimizer takes k steps; then the slow
 * weights move φ ← φ + α(θ − φ) and the fast weights restart from them, θ ← φ. Not in PyTorch.
 *
 * Parameter groups and the learning rate are the inner optimizer's, so schedules work unchanged.
 *
 * @example
 * const opt = new Lookahead(new Adam(model.parameters(), { lr: 1e-3 }), { k: 5, alpha: 0.5 });
 */
export class Lookahead implements OptimizerLike {
  readonly k: number;
  readonly alpha: number;
  private readonly slow = new Map<Tensor, Tensor>();
  private fastSteps = 0;

  constructor(
    readonly inner: OptimizerLike,
    options: LookaheadOptions = {},
  ) {
    checkOptions('Lookahead', options, { k: true, alpha: true });
    this.k = options.k ?? 5;
    this.alpha = options.alpha ?? 0.5;
    if (!Number.isInteger(this.k) || this.k < 1)
      throw new RangeError(`Lookahead: k must be a positive integer, got ${this.k}`);
    if (!(this.alpha >= 0 && this.alpha <= 1))
      throw new RangeError(`Lookahead: alpha must be in [0, 1], got ${this.alpha}`);
    for (const p of this.params()) {
      const copy = noGrad(() => p.detach().clone());
      keepStorage(copy.storage);
      this.slow.set(p, copy);
    }
  }

  private params(): Tensor[] {
    return this.inner.paramGroups.flatMap((g) => g.params);
  }

  get paramGroups() {
    return this.inner.paramGroups;
  }

  get lr(): number {
    return this.inner.lr;
  }

  set lr(value: number) {
    this.inner.lr = value;
  }

  step(closure?: () => Tensor | number): Tensor | number | undefined {
    const loss = this.inner.step(closure);
    this.fastSteps += 1;
    if (this.fastSteps % this.k === 0) {
      scope(() =>
        noGrad(() => {
          for (const p of this.params()) {
            const phi = this.slow.get(p)!;
            phi.assign(phi.add(p.sub(phi).mul(this.alpha)));
            p.assign(phi);
          }
        }),
      );
    }
    return loss;
  }

  zeroGrad(options?: { setToNone?: boolean }): void {
    this.inner.zeroGrad(options);
  }

  stateDict(): LookaheadStateDict {
    return {
      inner: this.inner.stateDict(),
      slow: this.params().map((p) => savedTensor(this.slow.get(p)!)),
      fastSteps: this.fastSteps,
    };
  }

  loadStateDict(sd: LookaheadStateDict): void {
    const params = this.params();
    if (!sd || !Array.isArray(sd.slow) || sd.slow.length !== params.length) {
      throw new RangeError(
        `Lookahead.loadStateDict: expected slow weights for ${params.length} parameters, got ${sd?.slow?.length}`,
      );
    }
    if (!Number.isInteger(sd.fastSteps) || sd.fastSteps < 0) {
      throw new RangeError(
        `Lookahead.loadStateDict: fastSteps must be a non-negative integer, got ${String(sd.fastSteps)}`,
      );
    }
    params.forEach((p, i) => {
      const s = sd.slow[i];
      const ok =
        s !== null &&
        typeof s === 'object' &&
        Array.isArray(s.shape) &&
        s.shape.join() === p.shape.join() &&
        (Array.isArray(s.data) || ArrayBuffer.isView(s.data)) &&
        s.data.length === p.size &&
        Array.prototype.every.call(s.data, Number.isFinite);
      if (!ok) {
        throw new RangeError(
          `Lookahead.loadStateDict: slow weights ${i} must be { shape: [${p.shape.join(', ')}], data } with ${p.size} finite values`,
        );
      }
    });
    this.inner.loadStateDict(sd.inner as never);
    params.forEach((p, i) => {
      const saved = sd.slow[i]!;
      this.slow.get(p)!.assign(tensor(saved.data, { shape: saved.shape, dtype: p.dtype }));
    });
    this.fastSteps = sd.fastSteps;
  }
}
