/**
 * The reference backend: plain TypeScript, written for clarity, and the specification every faster
 * backend is tested against. Arithmetic is done in float64 and rounded once when stored; sums
 * accumulate in float64 in a fixed order, so results do not depend on anything but the inputs.
 */
import { allocTyped, type DType, type TypedArray } from '../../tensor/dtype.js';
import type {
  ActivationBackwardCall,
  Backend,
  BatchNormBackwardCall,
  BatchNormForwardCall,
  BinaryOp,
  BufferHandle,
  Col2imCall,
  Conv2dCall,
  Conv2dInputGradCall,
  Conv2dWeightGradCall,
  FusedKernels,
  GatherCall,
  Im2colCall,
  LinearCall,
  MatmulSpec,
  MaxPool2dBackwardCall,
  MaxPool2dForwardCall,
  ReduceCall,
  ScatterAddCall,
  SoftmaxCall,
  SoftmaxCrossEntropyBackwardCall,
  SoftmaxCrossEntropyCall,
  UnaryCall,
  UnaryOp,
  View,
} from '../backend.js';
import { linearProduct } from '../backend.js';
import type { OptimizerUpdateCall } from '../optimizer_update.js';
import { type Precision, REFERENCE_PRECISION } from '../precision.js';
import * as Conv from './conv.js';
import * as F from './fused.js';
import { erf, gelu, pow, relu, sigmoid } from './math.js';
import { referenceOptimizerUpdate } from './optimizer_update.js';
import { offsets } from './strided.js';
import { windows } from './windows.js';

class RefBuffer implements BufferHandle {
  constructor(
    readonly dtype: DType,
    readonly data: TypedArray,
  ) {}
  get length(): number {
    return this.data.length;
  }
}

function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function arr(b: BufferHandle): TypedArray {
  return (b as RefBuffer).data;
}

/** A view's elements and its offset into them, the pair the plain-TypeScript kernels take per input. */
function at(v: View): [TypedArray, number] {
  return [arr(v.buffer), v.offset];
}

/** `at` for an optional input: [null, 0] when absent. */
function atOrNull(v: View | null): [TypedArray | null, number] {
  return v === null ? [null, 0] : at(v);
}

type UnaryFn = (x: number, call: UnaryCall) => number;

const unaryFns: Record<UnaryOp, UnaryFn> = {
  neg: (x) => -x,
  abs: (x) => Math.abs(x),
  // PyTorch's (0 < x) − (x < 0): NaN and −0 give +0 (Math.sign keeps them).
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  exp: (x) => Math.exp(x),
  log: (x) => Math.log(x),
  sqrt: (x) => Math.sqrt(x),
  rsqrt: (x) => 1 / Math.sqrt(x),
  square: (x) => x * x,
  sigmoid: (x) => sigmoid(x),
  tanh: (x) => Math.tanh(x),
  relu: (x) => relu(x),
  erf: (x) => erf(x),
  leakyRelu: (x, c) => (x > 0 ? x : x * (c as { negativeSlope: number }).negativeSlope),
  elu: (x, c) => (x > 0 ? x : (c as { alpha: number }).alpha * Math.expm1(x)),
  softplus: (x, c) => {
    const { beta, threshold } = c as { beta: number; threshold: number };
    return x * beta > threshold ? x : Math.log1p(Math.exp(beta * x)) / beta;
  },
  clamp: (x, c) => {
    const { min, max } = c as { min: number; max: number };
    // Comparisons rather than Math.min/max: x itself where it equals a bound, as PyTorch keeps it
    // (clamp(−0, 0, 1) is −0); NaN fails both and stays; min first, then max, as PyTorch.
    // biome-ignore lint/complexity/useMathMinMax: Math.max(−0, 0) is +0
    const low = x < min ? min : x;
    // biome-ignore lint/complexity/useMathMinMax: Math.min(+0, −0) is −0
    return low > max ? max : low;
  },
  gelu: (x, c) => gelu(x, (c as { approximate: 'none' | 'tanh' }).approximate),
};

const binaryFns: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => pow(a, b),
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b)),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
};

/**
 * int32 products wrap around in two's complement, as PyTorch's and the wasm kernels' do: the float64
 * product loses its low bits above 2⁵³ before the Int32Array store wraps it (46341² is exact, but
 * 4301023·(2³¹ − 1) is not), so these take Math.imul.
 */
const int32UnaryFns: Partial<Record<UnaryOp, UnaryFn>> = { square: (x) => Math.imul(x, x) };
const int32BinaryFns: Partial<Record<BinaryOp, (a: number, b: number) => number>> = {
  mul: (a, b) => Math.imul(a, b),
};

/** Is `v` a better candidate than `best` for max (sign 1) or min (sign −1)? NaN wins, as in PyTorch. */
function better(v: number, best: number, sign: 1 | -1): boolean {
  if (Number.isNaN(best)) return false;
  if (Number.isNaN(v)) return true;
  return sign > 0 ? v > best : v < best;
}

/** Every kernel of the interface, fused ones included: the reference states what each one means. */
export class ReferenceBackend implements Backend, FusedKernels {
  readonly name = 'reference';
  readonly precision: Precision = REFERENCE_PRECISION;
  private live = 0;

  supports(_dtype: DType): boolean {
    return true;
  }

  allocate(dtype: DType, length: number): BufferHandle {
    this.live += length * (dtype === 'float64' ? 8 : 4);
    return new RefBuffer(dtype, allocTyped(dtype, length));
  }

  release(buffer: BufferHandle): void {
    this.live -= buffer.length * (buffer.dtype === 'float64' ? 8 : 4);
  }

  bytesInUse(): number {
    return this.live;
  }

  write(buffer: BufferHandle, data: TypedArray): void {
    arr(buffer).set(data);
  }

  read(buffer: BufferHandle): TypedArray {
    return arr(buffer).slice();
  }

  readAsync(buffer: BufferHandle): Promise<TypedArray> {
    return Promise.resolve(this.read(buffer));
  }

  fill(out: BufferHandle, value: number): void {
    arr(out).fill(value);
  }

  copy(src: View, dst: View): void {
    const s = arr(src.buffer);
    const d = arr(dst.buffer);
    const truncate = dst.buffer.dtype === 'int32' && src.buffer.dtype !== 'int32';
    const so = offsets(src);
    const dOffs = offsets(dst);
    const n = sizeOfShape(dst.shape);
    for (let k = 0; k < n; k++) {
      const v = s[so === null ? src.offset + k : so[k]!]!;
      d[dOffs === null ? dst.offset + k : dOffs[k]!] = truncate ? Math.trunc(v) : v;
    }
  }

  unary(call: UnaryCall, x: View, out: BufferHandle): void {
    const f = (out.dtype === 'int32' && int32UnaryFns[call.op]) || unaryFns[call.op];
    const xs = arr(x.buffer);
    const o = arr(out);
    const xo = offsets(x);
    const n = o.length;
    if (xo === null) for (let k = 0; k < n; k++) o[k] = f(xs[x.offset + k]!, call);
    else for (let k = 0; k < n; k++) o[k] = f(xs[xo[k]!]!, call);
  }

  binary(op: BinaryOp, a: View, b: View, out: BufferHandle): void {
    const f = (out.dtype === 'int32' && int32BinaryFns[op]) || binaryFns[op];
    const as = arr(a.buffer);
    const bs = arr(b.buffer);
    const o = arr(out);
    const ao = offsets(a);
    const bo = offsets(b);
    const n = o.length;
    if (ao === null && bo === null) {
      for (let k = 0; k < n; k++) o[k] = f(as[a.offset + k]!, bs[b.offset + k]!);
    } else {
      for (let k = 0; k < n; k++) {
        o[k] = f(as[ao === null ? a.offset + k : ao[k]!]!, bs[bo === null ? b.offset + k : bo[k]!]!);
      }
    }
  }

  where(cond: View, a: View, b: View, out: BufferHandle): void {
    const cs = arr(cond.buffer);
    const as = arr(a.buffer);
    const bs = arr(b.buffer);
    const o = arr(out);
    const co = offsets(cond);
    const ao = offsets(a);
    const bo = offsets(b);
    for (let k = 0; k < o.length; k++) {
      const c = cs[co === null ? cond.offset + k : co[k]!];
      o[k] = c !== 0 ? as[ao === null ? a.offset + k : ao[k]!]! : bs[bo === null ? b.offset + k : bo[k]!]!;
    }
  }

  reduce({ op, x, outer, length, inner, out }: ReduceCall): void {
    const xs = arr(x.buffer);
    const o = arr(out);
    const base = x.offset;
    for (let p = 0; p < outer; p++) {
      for (let q = 0; q < inner; q++) {
        const start = base + p * length * inner + q;
        let result: number;
        if (op === 'sum') {
          let acc = 0;
          for (let j = 0; j < length; j++) acc += xs[start + j * inner]!;
          result = acc;
        } else {
          const sign = op === 'max' || op === 'argmax' ? 1 : -1;
          let best = xs[start]!;
          let arg = 0;
          for (let j = 1; j < length; j++) {
            const v = xs[start + j * inner]!;
            if (better(v, best, sign)) {
              best = v;
              arg = j;
            }
          }
          result = op === 'argmax' || op === 'argmin' ? arg : best;
        }
        o[p * inner + q] = result;
      }
    }
  }

  matmul(a: View, b: View, spec: MatmulSpec, out: BufferHandle): void {
    const { m, n, k, transA, transB, batchShape, aBatchStrides, bBatchStrides } = spec;
    const as = arr(a.buffer);
    const bs = arr(b.buffer);
    const o = arr(out);
    // Each product copies its operands into row-major float64 panels, so that the inner loop runs
    // over contiguous memory whatever the transposes; sums run over p in order.
    const pa = new Float64Array(m * k);
    const pb = new Float64Array(k * n);
    const row = new Float64Array(n);
    let batch = 1;
    for (const d of batchShape) batch *= d;
    const idx = new Array<number>(batchShape.length).fill(0);
    for (let t = 0; t < batch; t++) {
      let aOff = a.offset;
      let bOff = b.offset;
      for (let d = 0; d < idx.length; d++) {
        aOff += idx[d]! * aBatchStrides[d]!;
        bOff += idx[d]! * bBatchStrides[d]!;
      }
      for (let i = 0; i < m; i++)
        for (let p = 0; p < k; p++) pa[i * k + p] = as[aOff + (transA ? p * m + i : i * k + p)]!;
      for (let p = 0; p < k; p++)
        for (let j = 0; j < n; j++) pb[p * n + j] = bs[bOff + (transB ? j * k + p : p * n + j)]!;
      for (let i = 0; i < m; i++) {
        row.fill(0);
        for (let p = 0; p < k; p++) {
          const av = pa[i * k + p]!;
          const base = p * n;
          for (let j = 0; j < n; j++) row[j]! += av * pb[base + j]!;
        }
        o.set(row, t * m * n + i * n);
      }
      for (let d = idx.length - 1; d >= 0; d--) {
        if (++idx[d]! < batchShape[d]!) break;
        idx[d] = 0;
      }
    }
  }

  softmax({ x, outer, length, inner, log, out }: SoftmaxCall): void {
    const xs = arr(x.buffer);
    const o = arr(out);
    for (let p = 0; p < outer; p++) {
      for (let q = 0; q < inner; q++) {
        const start = p * length * inner + q;
        // An infinite maximum is subtracted as it is (PyTorch): +∞ makes the row NaN, as do all −∞.
        let max = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < length; j++) max = Math.max(max, xs[x.offset + start + j * inner]!);
        let sum = 0;
        for (let j = 0; j < length; j++) sum += Math.exp(xs[x.offset + start + j * inner]! - max);
        const logSum = Math.log(sum);
        for (let j = 0; j < length; j++) {
          const z = xs[x.offset + start + j * inner]! - max;
          o[start + j * inner] = log ? z - logSum : Math.exp(z) / sum;
        }
      }
    }
  }

  gather({ x, index, outer, xLength, indexLength, inner, out }: GatherCall): void {
    const xs = arr(x.buffer);
    const is = arr(index.buffer);
    const o = arr(out);
    for (let p = 0; p < outer; p++) {
      for (let j = 0; j < indexLength; j++) {
        for (let q = 0; q < inner; q++) {
          const k = (p * indexLength + j) * inner + q;
          o[k] = xs[x.offset + (p * xLength + is[index.offset + k]!) * inner + q]!;
        }
      }
    }
  }

  scatterAdd({ src, index, outer, outLength, indexLength, inner, out }: ScatterAddCall): void {
    const ss = arr(src.buffer);
    const is = arr(index.buffer);
    const o = arr(out);
    for (let p = 0; p < outer; p++) {
      for (let j = 0; j < indexLength; j++) {
        for (let q = 0; q < inner; q++) {
          const k = (p * indexLength + j) * inner + q;
          o[(p * outLength + is[index.offset + k]!) * inner + q]! += ss[src.offset + k]!;
        }
      }
    }
  }

  im2col({ x, spec, padValue, out }: Im2colCall): void {
    const xs = arr(x.buffer);
    const o = arr(out);
    windows(spec, (col, src) => {
      o[col] = src < 0 ? padValue : xs[x.offset + src]!;
    });
  }

  col2im({ cols, spec, out }: Col2imCall): void {
    const cs = arr(cols.buffer);
    const o = arr(out);
    o.fill(0);
    windows(spec, (col, src) => {
      if (src >= 0) o[src]! += cs[cols.offset + col]!;
    });
  }

  linear({ x, weight, bias, m, n, k, activation, out }: LinearCall): void {
    this.matmul(x, weight, linearProduct(m, n, k), out);
    F.biasActivation(arr(out), m, n, bias === null ? null : arr(bias.buffer), bias?.offset ?? 0, activation);
  }

  activationBackward({ activation, g, y, out }: ActivationBackwardCall): void {
    F.activationBackward(activation, arr(g.buffer), g.offset, arr(y.buffer), y.offset, arr(out));
  }

  batchNormForward({ x, gamma, beta, spec, out, mean, variance, running }: BatchNormForwardCall): void {
    F.batchNormForward(
      ...at(x),
      ...atOrNull(gamma),
      ...atOrNull(beta),
      spec,
      arr(out),
      arr(mean),
      arr(variance),
      running === null
        ? null
        : {
            mean: arr(running.mean.buffer),
            meanOffset: running.mean.offset,
            variance: arr(running.variance.buffer),
            varianceOffset: running.variance.offset,
            momentum: running.momentum,
          },
    );
  }

  batchNormBackward(call: BatchNormBackwardCall): void {
    const { g, x, mean, variance, gamma, spec, dx, dGamma, dBeta } = call;
    F.batchNormBackward(
      ...at(g),
      ...at(x),
      ...at(mean),
      ...at(variance),
      ...atOrNull(gamma),
      spec,
      arr(dx),
      dGamma === null ? null : arr(dGamma),
      dBeta === null ? null : arr(dBeta),
    );
  }

  softmaxCrossEntropy({ logits, target, rows, classes, probs, losses }: SoftmaxCrossEntropyCall): void {
    F.softmaxCrossEntropy(...at(logits), ...at(target), rows, classes, arr(probs), arr(losses));
  }

  softmaxCrossEntropyBackward(call: SoftmaxCrossEntropyBackwardCall): void {
    const { probs, target, g, rows, classes, out } = call;
    F.softmaxCrossEntropyBackward(...at(probs), ...at(target), ...at(g), rows, classes, arr(out));
  }

  conv2d({ x, weight, bias, spec, outChannels, out }: Conv2dCall): void {
    Conv.conv2d(...at(x), ...at(weight), ...atOrNull(bias), spec, outChannels, arr(out));
  }

  conv2dInputGrad({ g, weight, spec, outChannels, out }: Conv2dInputGradCall): void {
    Conv.conv2dInputGrad(...at(g), ...at(weight), spec, outChannels, arr(out));
  }

  conv2dWeightGrad({ g, x, spec, outChannels, out }: Conv2dWeightGradCall): void {
    Conv.conv2dWeightGrad(...at(g), ...at(x), spec, outChannels, arr(out));
  }

  maxPool2dForward({ x, spec, out, indices }: MaxPool2dForwardCall): void {
    F.maxPool2dForward(arr(x.buffer), x.offset, spec, arr(out), arr(indices));
  }

  maxPool2dBackward({ g, indices, spec, out }: MaxPool2dBackwardCall): void {
    F.maxPool2dBackward(arr(g.buffer), g.offset, arr(indices.buffer), indices.offset, spec, arr(out));
  }

  optimizerUpdate(call: OptimizerUpdateCall, buffers: readonly BufferHandle[]): void {
    referenceOptimizerUpdate(call, buffers.map(arr));
  }
}
