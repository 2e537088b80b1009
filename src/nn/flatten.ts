import { flatten } from '../ops/shape_ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/**
 * Flattens dimensions startDim…endDim into one (torch.nn.Flatten). Defaults startDim = 1, endDim = −1,
 * which keeps the batch dimension: [N, C, H, W] → [N, C·H·W]. A view when the layout allows it.
 *
 * @example
 * new Flatten().call(randn([8, 16, 5, 5])).shape; // [8, 400]
 */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}
