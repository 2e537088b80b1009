import { checkOptions } from '../../util/options.js';
import { type ActivationSpec, activationLayer } from '../activations.js';
import { positiveInt } from '../checks.js';
import { Conv2d } from '../conv2d.js';
import { Flatten } from '../flatten.js';
import { Linear } from '../linear.js';
import { AvgPool2d, MaxPool2d } from '../pooling.js';
import { Sequential } from '../sequential.js';

export interface Lenet5Options {
  /** Input channels (default 1: grey-scale MNIST). */
  inChannels?: number;
  /** Output classes (default 10). */
  classes?: number;
  /** Side of the square input images (default 28); 32 for CIFAR. */
  inputSize?: number;
  /** Activation after each convolution and hidden Linear (default 'relu'). */
  activation?: ActivationSpec;
  /** Subsampling: 'max' (default) or 'avg' (LeCun's original averaging). */
  pool?: 'max' | 'avg';
}

/**
 * LeNet-5 (LeCun, Bottou, Bengio & Haffner 1998, "Gradient-Based Learning Applied to Document
 * Recognition") in its common 28×28 form, as a Sequential with PyTorch-style indices:
 *
 *   0 Conv2d(inChannels, 6, 5, padding 2), 1 act, 2 pool 2×2,
 *   3 Conv2d(6, 16, 5), 4 act, 5 pool 2×2, 6 Flatten,
 *   7 Linear(16·s·s, 120), 8 act, 9 Linear(120, 84), 10 act, 11 Linear(84, classes),
 *
 * where s = ⌊(inputSize/2 − 4)/2⌋ (5 for 28×28 inputs, so 400 features). Outputs are logits.
 *
 * Divergence from the paper: the original used scaled tanh, trainable subsampling, a partially
 * connected C3 and RBF outputs; `{ activation: 'sigmoid', pool: 'avg' }` gives the d2l.ai variant,
 * `{ activation: 'tanh', pool: 'avg' }` the closest to the paper.
 *
 * @example
 * const net = lenet5();
 * net.call(randn([8, 1, 28, 28])).shape; // [8, 10]
 */
export function lenet5(options: Lenet5Options = {}): Sequential {
  checkOptions('lenet5', options, {
    inChannels: true,
    classes: true,
    inputSize: true,
    activation: true,
    pool: true,
  });
  const inChannels = positiveInt('lenet5', 'inChannels', options.inChannels ?? 1);
  const classes = positiveInt('lenet5', 'classes', options.classes ?? 10);
  const inputSize = positiveInt('lenet5', 'inputSize', options.inputSize ?? 28);
  const side = Math.floor((Math.floor(inputSize / 2) - 4) / 2);
  if (side < 1) throw new RangeError(`lenet5: inputSize must be at least 12, got ${inputSize}`);
  const poolKind = options.pool ?? 'max';
  if (poolKind !== 'max' && poolKind !== 'avg') {
    throw new RangeError(`lenet5: pool must be 'max' or 'avg', got ${JSON.stringify(poolKind)}`);
  }
  const act = () => activationLayer(options.activation ?? 'relu', 'lenet5');
  const pool = () => (poolKind === 'max' ? new MaxPool2d(2) : new AvgPool2d(2));
  return new Sequential(
    new Conv2d(inChannels, 6, 5, { padding: 2 }),
    act(),
    pool(),
    new Conv2d(6, 16, 5),
    act(),
    pool(),
    new Flatten(),
    new Linear(16 * side * side, 120),
    act(),
    new Linear(120, 84),
    act(),
    new Linear(84, classes),
  );
}
