import type { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../util/options.js';
import { ReLU } from '../activations.js';
import { BatchNorm2d } from '../batch_norm.js';
import { positiveInt } from '../checks.js';
import { Conv2d } from '../conv2d.js';
import { DenseBlock, Transition } from '../dense_block.js';
import { Linear } from '../linear.js';
import { Module } from '../module.js';
import { GlobalAvgPool2d } from '../pooling.js';
import { Sequential } from '../sequential.js';

export interface DenseNetOptions {
  /** Channels each dense layer adds, k (default 12). */
  growthRate?: number;
  /** Dense layers per block (default [6, 6, 6]: three blocks). */
  blockLayers?: readonly number[];
  /** Channels of the first convolution (default 2k). */
  initChannels?: number;
  /** Transition compression θ in (0, 1]: a transition keeps ⌊θ·C⌋ channels (default 0.5). */
  compression?: number;
  /** Input channels (default 3). */
  inChannels?: number;
  /** Output classes (default 10). */
  classes?: number;
}

/**
 * A small CIFAR-style DenseNet (Huang et al. 2017, "Densely Connected Convolutional Networks",
 * arXiv:1608.06993): conv0 3×3 → denseblock1 → transition1 → … → denseblockB → norm5 → relu5 →
 * global average pool → classifier. Names follow torchvision (`features.denseblock1.denselayer1…`,
 * `features.transition1.conv.weight`, `classifier.weight`).
 *
 * Divergence from torchvision's DenseNet-BC: no bottleneck 1×1 convolutions inside the dense layers,
 * no dropout, and a CIFAR stem (one 3×3 convolution, no pooling).
 *
 * @example
 * const net = densenet({ growthRate: 12, blockLayers: [4, 4, 4] });
 * net.call(randn([2, 3, 32, 32])).shape; // [2, 10]
 */
export class DenseNet extends Module {
  readonly features: Sequential;
  readonly pool: GlobalAvgPool2d;
  readonly classifier: Linear;

  constructor(options: DenseNetOptions = {}) {
    super();
    checkOptions('densenet', options, {
      growthRate: true,
      blockLayers: true,
      initChannels: true,
      compression: true,
      inChannels: true,
      classes: true,
    });
    const k = positiveInt('densenet', 'growthRate', options.growthRate ?? 12);
    const blocks = options.blockLayers ?? [6, 6, 6];
    if (!Array.isArray(blocks) || blocks.length === 0) {
      throw new RangeError(
        `densenet: blockLayers must be a non-empty list of layer counts, got ${JSON.stringify(blocks)}`,
      );
    }
    const compression = options.compression ?? 0.5;
    if (typeof compression !== 'number' || !(compression > 0 && compression <= 1)) {
      throw new RangeError(`densenet: compression must be in (0, 1], got ${JSON.stringify(compression)}`);
    }
    const inChannels = positiveInt('densenet', 'inChannels', options.inChannels ?? 3);
    const classes = positiveInt('densenet', 'classes', options.classes ?? 10);
    let channels = positiveInt('densenet', 'initChannels', options.initChannels ?? 2 * k);
    const layers: Record<string, Module> = {
      conv0: new Conv2d(inChannels, channels, 3, { padding: 1, bias: false }),
    };
    blocks.forEach((count, i) => {
      const block = new DenseBlock(count, channels, k);
      layers[`denseblock${i + 1}`] = block;
      channels = block.outChannels;
      if (i < blocks.length - 1) {
        const out = Math.max(1, Math.floor(compression * channels));
        layers[`transition${i + 1}`] = new Transition(channels, out);
        channels = out;
      }
    });
    layers.norm5 = new BatchNorm2d(channels);
    layers.relu5 = new ReLU();
    this.features = this.registerModule('features', new Sequential(layers));
    this.pool = this.registerModule('pool', new GlobalAvgPool2d());
    this.classifier = this.registerModule('classifier', new Linear(channels, classes));
  }

  forward(x: Tensor): Tensor {
    return this.classifier.call(this.pool.call(this.features.call(x)));
  }
}

/** A small CIFAR-style DenseNet; see `DenseNet` for the layout and defaults. */
export function densenet(options: DenseNetOptions = {}): DenseNet {
  return new DenseNet(options);
}
