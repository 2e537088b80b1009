import { add } from '../ops/elementwise.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { ReLU } from './activations.js';
import { BatchNorm2d } from './batch_norm.js';
import { positiveInt } from './checks.js';
import { Conv2d } from './conv2d.js';
import { Module } from './module.js';
import { convProjection } from './residual.js';
import type { Sequential } from './sequential.js';

export interface BasicBlockOptions {
  /** Stride of the first 3×3 convolution (and of the projection); 2 halves the resolution. Default 1. */
  stride?: number;
  /**
   * With the skip connection (default true). false gives the "plain" block of the same layers
   * (He et al.'s plain baseline): y = relu(bn2(conv2(relu(bn1(conv1(x)))))), with no projection.
   */
  shortcut?: boolean;
}

/**
 * The ResNet basic block (He et al. 2016, "Deep Residual Learning for Image Recognition",
 * arXiv:1512.03385, Fig. 2; torchvision's BasicBlock):
 *
 *   y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)),
 *
 * conv1: 3×3, inPlanes → planes, stride; conv2: 3×3, planes → planes; both padding 1, no bias.
 * shortcut(x) = x, or `downsample`(x) = BN(conv1×1 stride(x)) when stride ≠ 1 or inPlanes ≠ planes
 * (the projection shortcut, option B). Names as torchvision: conv1, bn1, conv2, bn2, downsample.0/.1.
 *
 * @example
 * const block = new BasicBlock(16, 32, { stride: 2 });
 * block.call(randn([2, 16, 8, 8])).shape; // [2, 32, 4, 4]
 */
export class BasicBlock extends Module {
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly relu: ReLU;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly downsample: Sequential | null;
  readonly shortcut: boolean;

  constructor(inPlanes: number, planes: number, options: BasicBlockOptions = {}) {
    super();
    checkOptions('BasicBlock', options, { stride: true, shortcut: true });
    const stride = positiveInt('BasicBlock', 'stride', options.stride ?? 1);
    this.shortcut = options.shortcut ?? true;
    this.conv1 = this.registerModule(
      'conv1',
      new Conv2d(inPlanes, planes, 3, { stride, padding: 1, bias: false }),
    );
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(planes));
    this.relu = this.registerModule('relu', new ReLU());
    this.conv2 = this.registerModule('conv2', new Conv2d(planes, planes, 3, { padding: 1, bias: false }));
    this.bn2 = this.registerModule('bn2', new BatchNorm2d(planes));
    const project = this.shortcut && (stride !== 1 || inPlanes !== planes);
    this.downsample = this.registerModule(
      'downsample',
      project ? convProjection(inPlanes, planes, { stride }) : null,
    );
  }

  forward(x: Tensor): Tensor {
    let out = this.relu.call(this.bn1.call(this.conv1.call(x)));
    out = this.bn2.call(this.conv2.call(out));
    if (this.shortcut) out = add(out, this.downsample === null ? x : this.downsample.call(x));
    return this.relu.call(out);
  }

  override extraRepr(): string {
    return this.shortcut ? '' : 'shortcut=false';
  }
}
