import { mul } from '../ops/elementwise.js';
import { rand } from '../tensor/creation.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { Module } from './module.js';

/**
 * Throws unless p is a probability in [0, 1), or [0, 1] with `allowOne` (torch.nn.Dropout accepts
 * p = 1; the mlp builder refuses it, since a layer that zeroes everything leaves nothing to learn).
 */
export function checkDropoutP(op: string, name: string, p: unknown, allowOne = false): number {
  if (typeof p !== 'number' || !(p >= 0 && (p < 1 || (allowOne && p === 1)))) {
    throw new RangeError(
      `${op}: ${name} is the probability of zeroing an element and must be in [0, ${allowOne ? '1]' : '1)'}, got ${JSON.stringify(p)}`,
    );
  }
  return p;
}

export interface DropoutOptions {
  /** Where the masks come from; default: the generator seeded by `manualSeed`, looked up at each call. */
  generator?: Generator;
}

/**
 * Inverted dropout (Srivastava et al. 2014, "Dropout: A Simple Way to Prevent Neural Networks from
 * Overfitting", JMLR 15; torch.nn.Dropout). In training each element is zeroed with probability p
 * and the survivors are scaled by 1/(1 − p), so E[y] = x:
 *
 *   y = x · m / (1 − p),  m ~ Bernoulli(1 − p) elementwise;
 *
 * in evaluation y = x. Default p = 0.5. The mask is drawn from `generator`, so a seeded run is
 * reproducible (but the masks differ from PyTorch's for the same seed). With p = 1 the output in
 * training is x · 0 (zeros, NaN where x is NaN or ±∞, and a zero gradient), as PyTorch computes it,
 * and no mask is drawn.
 *
 * @example
 * const drop = new Dropout(0.2);
 * drop.call(ones([4, 5])); // about 80% of entries 1.25, the rest 0
 * drop.eval().call(ones([4, 5])); // all ones
 */
export class Dropout extends Module {
  readonly p: number;
  private readonly generator: Generator | undefined;

  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    checkOptions('Dropout', options, { generator: true });
    this.p = checkDropoutP('Dropout', 'p', p, true);
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    // 1/(1 − p) would be ∞ and 0·∞ NaN: PyTorch multiplies by 0 instead.
    if (this.p === 1) return mul(x, 0);
    const keep = 1 - this.p;
    // rand looks the default generator up at each draw, a captured step's replays included.
    const u = rand(x.shape, { dtype: x.dtype, generator: this.generator });
    return mul(x, mul(u.lt(keep), 1 / keep));
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
