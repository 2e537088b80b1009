import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions, type OptionKeys } from '../../util/options.js';
import { ReLU } from '../activations.js';
import { BasicBlock } from '../basic_block.js';
import { BatchNorm2d } from '../batch_norm.js';
import { positiveInt } from '../checks.js';
import { Conv2d } from '../conv2d.js';
import { Linear } from '../linear.js';
import { Module } from '../module.js';
import { GlobalAvgPool2d } from '../pooling.js';
import { Sequential } from '../sequential.js';

export interface ResNetOptions {
  /** Total depth 6n + 2 (8, 14, 20, 32, 44, 56, 110): n basic blocks per stage. Default 20. */
  depth?: number;
  /** Channels of the first stage, w; the stages have w, 2w, 4w (default 16, as He et al.). */
  width?: number;
  /** Input channels (default 3). */
  inChannels?: number;
  /** Output classes (default 10). */
  classes?: number;
}

const RESNET_KEYS: OptionKeys<ResNetOptions> = { depth: true, width: true, inChannels: true, classes: true };

/**
 * The CIFAR-style residual network of He et al. 2016 ("Deep Residual Learning for Image
 * Recognition", arXiv:1512.03385, section 4.2), or its plain twin without shortcuts:
 *
 *   conv1 3×3 (inChannels → w) → bn1 → relu → layer1: n × BasicBlock(w) → layer2: n × BasicBlock(2w),
 *   the first with stride 2 → layer3: n × BasicBlock(4w), first stride 2 → avgpool (global) → fc.
 *
 * Names follow torchvision's ResNet (conv1, bn1, layer1.0.conv1, layer2.0.downsample.0, fc).
 * Divergence from the paper: where the shape changes the shortcut is a 1×1 convolution + BN
 * (option B) instead of zero padding (option A), as in torchvision.
 */
export class ResNet extends Module {
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly relu: ReLU;
  readonly layer1: Sequential;
  readonly layer2: Sequential;
  readonly layer3: Sequential;
  readonly avgpool: GlobalAvgPool2d;
  readonly fc: Linear;

  constructor(options: ResNetOptions & { shortcut?: boolean } = {}, op = 'resnet') {
    super();
    checkOptions(op, options, { ...RESNET_KEYS, shortcut: true });
    const depth = positiveInt(op, 'depth', options.depth ?? 20);
    if (depth < 8 || (depth - 2) % 6 !== 0) {
      throw new RangeError(
        `${op}: depth must be 6n + 2 with n ≥ 1 (8, 14, 20, 32, 44, 56, 110), got ${depth}`,
      );
    }
    const n = (depth - 2) / 6;
    const w = positiveInt(op, 'width', options.width ?? 16);
    const inChannels = positiveInt(op, 'inChannels', options.inChannels ?? 3);
    const classes = positiveInt(op, 'classes', options.classes ?? 10);
    const shortcut = options.shortcut ?? true;
    const stage = (inPlanes: number, planes: number, stride: number): Sequential => {
      const blocks = new Sequential(new BasicBlock(inPlanes, planes, { stride, shortcut }));
      for (let i = 1; i < n; i++) blocks.append(new BasicBlock(planes, planes, { shortcut }));
      return blocks;
    };
    this.conv1 = this.registerModule('conv1', new Conv2d(inChannels, w, 3, { padding: 1, bias: false }));
    this.bn1 = this.registerModule('bn1', new BatchNorm2d(w));
    this.relu = this.registerModule('relu', new ReLU());
    this.layer1 = this.registerModule('layer1', stage(w, w, 1));
    this.layer2 = this.registerModule('layer2', stage(w, 2 * w, 2));
    this.layer3 = this.registerModule('layer3', stage(2 * w, 4 * w, 2));
    this.avgpool = this.registerModule('avgpool', new GlobalAvgPool2d());
    this.fc = this.registerModule('fc', new Linear(4 * w, classes));
  }

  forward(x: Tensor): Tensor {
    let h = this.relu.call(this.bn1.call(this.conv1.call(x)));
    h = this.layer3.call(this.layer2.call(this.layer1.call(h)));
    return this.fc.call(this.avgpool.call(h));
  }
}

/**
 * A CIFAR-style ResNet of `depth` = 6n + 2 layers (see `ResNet`). Defaults: depth 20, width 16,
 * inChannels 3, classes 10.
 *
 * @example
 * const net = resnet({ depth: 20 });
 * net.call(randn([2, 3, 32, 32])).shape; // [2, 10]
 */
export function resnet(options: ResNetOptions = {}): ResNet {
  checkOptions('resnet', options, RESNET_KEYS);
  return new ResNet({ ...options, shortcut: true }, 'resnet');
}

/**
 * The plain twin of `resnet` (He et al.'s "plain" baseline): the same layers and names with every
 * shortcut removed, so it has the same parameters minus the projection shortcuts. Training both at
 * growing depth shows the degradation problem that skip connections solve.
 *
 * @example
 * const plain = plainNet({ depth: 20 });
 */
export function plainNet(options: ResNetOptions = {}): ResNet {
  checkOptions('plainNet', options, RESNET_KEYS);
  return new ResNet({ ...options, shortcut: false }, 'plainNet');
}
