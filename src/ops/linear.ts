/**
 * The fully connected layer as one op: act(x·Wᵀ + b), torch.nn.functional.linear followed by an
 * optional activation, run by the backend's fused `linear` kernel where it has one (the product, the
 * bias and the activation in one call, without the transposed view, the broadcast add and the
 * activation pass of the composed form; its gradient is one kernel for the activation and two
 * products), else composed from the core ops.
 */
import { record } from '../autograd/tape.js';
import type { FusedActivation } from '../backend/backend.js';
import { hasFused } from '../backend/capabilities.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, unary } from './elementwise.js';
import { matmulNd } from './linalg.js';
import { contiguous, reshape, transpose } from './shape_ops.js';
import { empty, requireFloat, requireSameBackend, requireSameDType } from './util.js';

const activations: readonly FusedActivation[] = ['none', 'relu', 'sigmoid', 'tanh'];

/**
 * y = act(x·Wᵀ + b) for x [..., inFeatures], weight [outFeatures, inFeatures] and bias [outFeatures]
 * (or null); y is [..., outFeatures]. `activation` is one of none (default), relu, sigmoid, tanh.
 * The result equals `act(add(matmul(x, weight.t()), bias))` up to the summation order of the product.
 *
 * @example
 * const y = linear(x, fc.weight, fc.bias, 'relu');
 */
export function linear(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  activation: FusedActivation = 'none',
): Tensor {
  requireSameBackend('linear', x, weight);
  requireSameDType('linear', x, weight);
  requireFloat('linear', x);
  if (!activations.includes(activation)) {
    throw new RangeError(
      `linear: activation must be one of ${activations.join(', ')}, got ${JSON.stringify(activation)}`,
    );
  }
  if (weight.ndim !== 2) {
    throw new RangeError(
      `linear: weight must be 2-D (outFeatures, inFeatures), got ${formatShape(weight.shape)}`,
    );
  }
  const [n, k] = weight.shape as [number, number];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== k) {
    throw new RangeError(
      `linear: input of shape ${formatShape(x.shape)} does not end in inFeatures = ${k} (weight ${formatShape(weight.shape)})`,
    );
  }
  if (bias !== null) {
    requireSameBackend('linear', x, bias);
    requireSameDType('linear', x, bias);
    if (bias.ndim !== 1 || bias.shape[0] !== n) {
      throw new RangeError(`linear: bias must have shape [${n}], got ${formatShape(bias.shape)}`);
    }
  }
  const lead = x.shape.slice(0, -1);
  const x2 = contiguous(x.ndim === 2 ? x : reshape(x, [-1, k]));
  const y = linear2d(x2, contiguous(weight), bias === null ? null : contiguous(bias), activation);
  return x.ndim === 2 ? y : reshape(y, [...lead, n]);
}

/**
 * @internal the linear op on a contiguous 2-D input: the fused primitive where the backend has it,
 * else the same float32 operations composed from the core (a product, a broadcast add and the
 * activation), each differentiated by autograd.
 */
function linear2d(x: Tensor, weight: Tensor, bias: Tensor | null, activation: FusedActivation): Tensor {
  const backend = x.backend;
  if (!hasFused(backend, 'linear')) {
    const product = matmulNd(x, transpose(weight, 0, 1));
    const z = bias === null ? product : add(product, bias);
    return activation === 'none' ? z : unary({ op: activation }, z);
  }
  const m = x.shape[0]!;
  const [n, k] = weight.shape as [number, number];
  const out = empty([m, n], x.dtype, backend);
  backend.linear({
    x: x.strided(),
    weight: weight.strided(),
    bias: bias === null ? null : bias.strided(),
    m,
    n,
    k,
    activation,
    out: out.storage.buffer,
  });
  return record('linear', bias === null ? [x, weight] : [x, weight, bias], out, { activation });
}
