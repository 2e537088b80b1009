import { torchDefaultInit_ } from '../init/index.js';
import { conv2d, type Pair } from '../ops/conv.js';
import { zeros } from '../tensor/creation.js';
import type { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { positiveInt, requireNdim, requireSize } from './checks.js';
import { Module } from './module.js';

export interface Conv2dLayerOptions {
  /** Default 1. */
  stride?: Pair;
  /**
   * Zero padding on each side (default 0), or 'valid' (none) or 'same' (stride 1; with an even
   * effective kernel the extra row and column go on the bottom and right, as PyTorch).
   */
  padding?: Pair | 'valid' | 'same';
  /** Default 1. */
  dilation?: Pair;
  /** Channel groups (default 1); inChannels and outChannels must both be divisible by it. */
  groups?: number;
  /** Learn a per-output-channel bias (default true). */
  bias?: boolean;
  /** Generator for the default initialization (default: the one seeded by `manualSeed`). */
  generator?: Generator;
}

function kernelPair(k: Pair): [number, number] {
  const p: [number, number] = typeof k === 'number' ? [k, k] : [k[0], k[1]];
  positiveInt('Conv2d', 'kernelSize', p[0]);
  positiveInt('Conv2d', 'kernelSize', p[1]);
  return p;
}

/**
 * 2-D convolution layer (torch.nn.Conv2d), a cross-correlation:
 * y[n, o] = b[o] + Σ_c Σ_(i,j) W[o, c, i, j] · x[n, g(o)·C/groups + c, s·p + d·i − pad, s·q + d·j − pad].
 *
 * - x: [N, inChannels, H, W]; y: [N, outChannels, H', W'] with
 *   H' = ⌊(H + 2·padding − dilation·(kh − 1) − 1) / stride⌋ + 1 (likewise W').
 * - `weight`: [outChannels, inChannels/groups, kh, kw]; `bias`: [outChannels] or null.
 * - Defaults: stride 1, padding 0, dilation 1, groups 1, bias true.
 * - Initialization (PyTorch's default): kaiming uniform with a = √5 on the weight, bias
 *   U(−1/√fanIn, 1/√fanIn) with fanIn = inChannels/groups · kh · kw.
 *
 * Divergence from PyTorch: no `paddingMode` (zeros only).
 *
 * @example
 * const conv = new Conv2d(3, 16, 3, { padding: 1 });
 * conv.call(randn([8, 3, 32, 32])).shape; // [8, 16, 32, 32]
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: Pair;
  readonly padding: Pair | 'valid' | 'same';
  readonly dilation: Pair;
  readonly groups: number;
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: Conv2dLayerOptions = {}) {
    super();
    checkOptions('Conv2d', options, {
      stride: true,
      padding: true,
      dilation: true,
      groups: true,
      bias: true,
      generator: true,
    });
    this.inChannels = positiveInt('Conv2d', 'inChannels', inChannels);
    this.outChannels = positiveInt('Conv2d', 'outChannels', outChannels);
    this.kernelSize = kernelPair(kernelSize);
    this.groups = positiveInt('Conv2d', 'groups', options.groups ?? 1);
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      throw new RangeError(
        `Conv2d: groups (${this.groups}) must divide both inChannels (${inChannels}) and outChannels (${outChannels})`,
      );
    }
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    const [kh, kw] = this.kernelSize;
    this.weight = this.registerParameter('weight', zeros([outChannels, inChannels / this.groups, kh, kw]));
    this.bias = this.registerParameter('bias', options.bias === false ? null : zeros([outChannels]));
    torchDefaultInit_(this.weight, this.bias, { generator: options.generator });
  }

  forward(x: Tensor): Tensor {
    requireNdim('Conv2d', x, [4], '(N, C, H, W)');
    requireSize('Conv2d', x, 1, this.inChannels, 'inChannels');
    return conv2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extraRepr(): string {
    const parts = [`${this.inChannels}, ${this.outChannels}, kernelSize=${JSON.stringify(this.kernelSize)}`];
    if (this.stride !== 1) parts.push(`stride=${JSON.stringify(this.stride)}`);
    if (this.padding !== 0) parts.push(`padding=${JSON.stringify(this.padding)}`);
    if (this.dilation !== 1) parts.push(`dilation=${JSON.stringify(this.dilation)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (this.bias === null) parts.push('bias=false');
    return parts.join(', ');
  }
}
