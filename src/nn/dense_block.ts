/** DenseNet's building blocks for images: the dense layer, the dense block and the transition. */
import { concat } from '../ops/shape_ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { ReLU } from './activations.js';
import { BatchNorm2d } from './batch_norm.js';
import { positiveInt } from './checks.js';
import { Conv2d } from './conv2d.js';
import { Module } from './module.js';
import { AvgPool2d } from './pooling.js';

/**
 * One layer of a dense block: f(x) = conv3×3(relu(bn(x))), inChannels → growthRate channels
 * (padding 1, no bias). Children: norm, relu, conv.
 */
export class DenseLayer extends Module {
  readonly norm: BatchNorm2d;
  readonly relu: ReLU;
  readonly conv: Conv2d;

  constructor(inChannels: number, growthRate: number) {
    super();
    this.norm = this.registerModule('norm', new BatchNorm2d(inChannels));
    this.relu = this.registerModule('relu', new ReLU());
    this.conv = this.registerModule(
      'conv',
      new Conv2d(inChannels, growthRate, 3, { padding: 1, bias: false }),
    );
  }

  forward(x: Tensor): Tensor {
    return this.conv.call(this.relu.call(this.norm.call(x)));
  }
}

/**
 * A dense block (Huang et al. 2017, "Densely Connected Convolutional Networks", arXiv:1608.06993):
 * every layer sees the feature maps of all layers before it,
 *
 *   x₀ = x,  x_{i+1} = concat(x_i, f_i(x_i)) along channels,  f_i = conv3×3 ∘ relu ∘ BN (`DenseLayer`),
 *
 * so the output has inChannels + numLayers·growthRate channels and the input's spatial size.
 * Children `denselayer1` … `denselayerN`, as torchvision names them.
 *
 * Divergence from torchvision's DenseNet: no 1×1 bottleneck inside the layer (that is DenseNet-BC)
 * and no dropout.
 *
 * @example
 * const block = new DenseBlock(4, 16, 12);
 * block.call(randn([2, 16, 8, 8])).shape; // [2, 64, 8, 8]
 */
export class DenseBlock extends Module {
  readonly outChannels: number;
  private readonly layers: DenseLayer[] = [];

  constructor(numLayers: number, inChannels: number, growthRate: number) {
    super();
    positiveInt('DenseBlock', 'numLayers', numLayers);
    positiveInt('DenseBlock', 'inChannels', inChannels);
    positiveInt('DenseBlock', 'growthRate', growthRate);
    for (let i = 0; i < numLayers; i++) {
      this.layers.push(
        this.registerModule(`denselayer${i + 1}`, new DenseLayer(inChannels + i * growthRate, growthRate)),
      );
    }
    this.outChannels = inChannels + numLayers * growthRate;
  }

  forward(x: Tensor): Tensor {
    for (const layer of this.layers) x = concat([x, layer.call(x)], 1);
    return x;
  }
}

/**
 * DenseNet's transition between dense blocks: y = avgpool2×2(conv1×1(relu(bn(x)))), inChannels →
 * outChannels (usually ⌊θ·inChannels⌋ with compression θ = 0.5), halving the resolution.
 * Children: norm, relu, conv, pool (torchvision's names).
 *
 * @example
 * new Transition(64, 32).call(randn([2, 64, 8, 8])).shape; // [2, 32, 4, 4]
 */
export class Transition extends Module {
  readonly norm: BatchNorm2d;
  readonly relu: ReLU;
  readonly conv: Conv2d;
  readonly pool: AvgPool2d;

  constructor(inChannels: number, outChannels: number) {
    super();
    this.norm = this.registerModule('norm', new BatchNorm2d(inChannels));
    this.relu = this.registerModule('relu', new ReLU());
    this.conv = this.registerModule('conv', new Conv2d(inChannels, outChannels, 1, { bias: false }));
    this.pool = this.registerModule('pool', new AvgPool2d(2));
  }

  forward(x: Tensor): Tensor {
    return this.pool.call(this.conv.call(this.relu.call(this.norm.call(x))));
  }
}
