/** Whether t covers its whole live buffer in order, so a kernel may write the buffer as t. */
function writableInPlace(t: Tensor): boolean {
  return t.isContiguous() && t.offset === 0 && !t.storage.released;
}

/**
 * The Tensor: a view (shape, strides, offset) onto a Storage owned by a backend, plus its autograd
 * state. Methods are thin wrappers over the functions in src/ops, which do the work.
 */

import { type BackwardOptions, backward, type GradNode, isGradEnabled, noGrad } from '../autograd/tape.js';
import type { Backend, View } from '../backend/backend.js';
import { settleHostChecks } from '../capture/host_effects.js';
import * as A from '../ops/activation.js';
import * as E from '../ops/elementwise.js';
import { type IndexSpec, index } from '../ops/index_spec.js';
import * as I from '../ops/indexing.js';
import * as L from '../ops/linalg.js';
import * as R from '../ops/reduce.js';
import * as S from '../ops/shape_ops.js';
import { emptyLike } from '../ops/util.js';
import { checkOptions } from '../util/options.js';
import { type DType, isFloat, type TypedArray } from './dtype.js';
import { formatTensor } from './format.js';
import { contiguousStrides, formatShape, shapesEqual, sizeOf } from './shape.js';
import { disownStorage, keepStorage, type Storage } from './storage.js';

export type TensorLike = Tensor | number;

export class Tensor {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly storage: Storage;
  /** The gradient accumulated by backward (read through `grad`); owned by this tensor. */
  private gradValue: Tensor | null = null;
  /** Set by zeroGrad: the gradient reads as zeros, and the next accumulation overwrites it. */
  private gradZeroed = false;
  private _requiresGrad = false;
  private _gradFn: GradNode | null = null;
  private _retainsGrad = false;

  constructor(storage: Storage, shape: readonly number[], strides?: readonly number[], offset = 0) {
    this.storage = storage;
    // Copies, typed readonly; not Object.freeze'd: freezing costs ten times the copy, and a training
    // step makes thousands of tensors.
    this.shape = shape.slice();
    this.strides = strides ? strides.slice() : contiguousStrides(shape);
    this.offset = offset;
  }

  get backend(): Backend {
    return this.storage.backend;
  }

  get dtype(): DType {
    return this.storage.dtype;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }

  /** The strided layout handed to kernels; throws if the storage has been released. */
  strided(): View {
    if (this.storage.released) {
      throw new Error(
        `tensor of shape ${formatShape(this.shape)} was used after its memory was released (its scope ended or it was disposed); return it from the scope or call keep() on it`,
      );
    }
    return { buffer: this.storage.buffer, shape: this.shape, strides: this.strides, offset: this.offset };
  }

  isContiguous(): boolean {
    let expected = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      const d = this.shape[i]!;
      if (d !== 1 && this.strides[i] !== expected) return false;
      expected *= d;
    }
    return true;
  }

  // ---------------------------------------------------------------- autograd

  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (value && !isFloat(this.dtype)) {
      throw new TypeError(
        `requiresGrad: only floating-point tensors can require gradients, this one is ${this.dtype}`,
      );
    }
    if (!value && this._gradFn !== null) {
      throw new Error('requiresGrad: cannot turn off gradients of a non-leaf tensor; use detach() instead');
    }
    this._requiresGrad = value;
  }

  /** Sets requiresGrad and returns this tensor (PyTorch's `requires_grad_()`). */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /** The tape node that produced this tensor; null for leaves. */
  get gradFn(): GradNode | null {
    return this._gradFn;
  }

  get isLeaf(): boolean {
    return this._gradFn === null;
  }

  get retainsGrad(): boolean {
    return this._retainsGrad;
  }

  /** @internal used by the tape when an op records this tensor as its output. */
  attachGradFn(node: GradNode): void {
    this._gradFn = node;
    this._requiresGrad = true;
  }

  /** Keeps `.grad` for this non-leaf tensor too (PyTorch's `retain_grad()`). */
  retainGrad(): this {
    if (!this._requiresGrad) throw new Error('retainGrad: this tensor does not require grad');
    this._retainsGrad = true;
    return this;
  }

  /**
   * Back-propagates from this tensor. For a single-element tensor the upstream gradient defaults to 1;
   * otherwise pass `grad` of the same shape (the vector in the vector-Jacobian product).
   */
  backward(grad?: Tensor, options?: BackwardOptions): void {
    backward(this, grad, options);
  }

  /** The accumulated gradient (PyTorch's `.grad`), or null. */
  get grad(): Tensor | null {
    if (this.gradZeroed) {
      // zeroGrad defers the fill: a backward that follows overwrites the buffer instead of adding to
      // zeros, which saves two passes over every parameter per step.
      this.gradZeroed = false;
      this.backend.fill(this.gradValue!.storage.buffer, 0);
    }
    return this.gradValue;
  }

  /**
   * Sets the gradient (PyTorch's `p.grad = t`): a tensor of this one's shape, dtype and backend, or
   * null. Its memory is taken out of the current scope, as keep() does: the gradient belongs to this
   * tensor from now on, and a scope ending must not release it under the optimizer's feet.
   */
  set grad(value: Tensor | null) {
    if (value !== null) {
      checkAssignedGrad(this, value);
      keepStorage(value.storage);
    }
    // The gradient replaced is no longer this tensor's: the step's scope releases it, as PyTorch
    // frees a dropped .grad (zeroGrad({ setToNone: true }) every step would otherwise grow memory).
    const replaced = this.gradValue;
    if (replaced !== null && replaced.storage !== value?.storage) disownStorage(replaced.storage);
    this.gradZeroed = false;
    this.gradValue = value;
  }

  /** @internal adds g into `.grad`, in place when a gradient buffer already exists. */
  accumulateGrad(g: Tensor): void {
    noGrad(() => {
      const current = this.gradValue;
      if (current === null) {
        const own = emptyLike(this);
        own.assign(g);
        keepStorage(own.storage);
        this.grad = own;
        return;
      }
      const inPlace = writableInPlace(current) && g.dtype === current.dtype && g.backend === current.backend;
      if (inPlace && this.gradZeroed) {
        // zeroGrad's deferred zeros: overwrite instead of adding to them.
        this.gradZeroed = false;
        current.assign(g);
      } else if (inPlace) {
        // Elementwise kernels read each element before writing it, so out may alias a.
        current.backend.binary('add', current.strided(), g.strided(), current.storage.buffer);
      } else {
        const base = this.grad!; // through the getter: a deferred zeroGrad is applied first
        if (writableInPlace(base)) base.assign(base.add(g));
        else this.grad = base.add(g);
      }
    });
  }

  /**
   * @internal The gradient as it stands, without applying a deferred zeroGrad, and whether one is
   * pending. A captured step (src/capture/) replays backward without running this tensor's code: it
   * checks that `.grad` is still the tensor its trace wrote and restores the pending flag its trace
   * ended with (a zeroGrad called between runs must not zero the replayed gradient).
   */
  get gradState(): { readonly value: Tensor | null; readonly zeroed: boolean } {
    return { value: this.gradValue, zeroed: this.gradZeroed };
  }

  /** @internal see `gradState`. */
  setGradZeroed(zeroed: boolean): void {
    this.gradZeroed = zeroed && this.gradValue !== null;
  }

  /** Zeroes `.grad` in place (PyTorch 1.13's default), or drops it with `{ setToNone: true }`. */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    checkOptions('zeroGrad', options, { setToNone: true });
    const g = this.gradValue;
    if (g === null) return;
    if (options.setToNone) this.grad = null;
    else if (writableInPlace(g)) this.gradZeroed = true;
    else this.backend.fill(g.storage.buffer, 0);
  }

  /** A tensor sharing this one's data, cut off from the graph. */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.strides, this.offset);
  }

  // ---------------------------------------------------------------- data access

  /**
   * The elements as a new flat, row-major typed array. Needs a backend that reads synchronously (the
   * reference and wasm backends); elsewhere (a GPU) it throws an error naming `dataAsync()`.
   */
  data(): TypedArray {
    return readSync(this, 'data');
  }

  /**
   * `data()` on every backend: resolves once the device has run every kernel queued before the call.
   * Awaiting here is what lets a browser page stay responsive while a GPU computes.
   */
  async dataAsync(): Promise<TypedArray> {
    const values = await this.readAsyncNow();
    // A read point: a deferred host check that failed (src/capture/host_effects.ts) throws here.
    await settleHostChecks();
    return values;
  }

  /**
   * @internal `dataAsync()` without settling the host checks (which read through it): the read starts
   * before this returns, and a released tensor throws at once.
   */
  readAsyncNow(): Promise<TypedArray> {
    const source = wholeBuffer(this);
    const values = source.backend.readAsync(source.storage.buffer);
    return source === this ? values : values.finally(() => source.dispose());
  }

  /** Nested arrays of numbers (a number for a 0-d tensor); where `data()` cannot read, an error names `toArrayAsync()`. */
  toArray(): NestedArray {
    return nest(this.shape, readSync(this, 'toArray'));
  }

  /** `toArray()` through `dataAsync()`: works on every backend. */
  async toArrayAsync(): Promise<NestedArray> {
    return nest(this.shape, await this.dataAsync());
  }

  /** The value of a single-element tensor; where `data()` cannot read, an error names `itemAsync()`. */
  item(): number {
    checkSingle(this, 'item');
    return readSync(this, 'item')[0]!;
  }

  /** `item()` through `dataAsync()`: works on every backend. */
  async itemAsync(): Promise<number> {
    checkSingle(this, 'itemAsync');
    return (await this.dataAsync())[0]!;
  }

  /**
   * Writes `src` (a tensor broadcastable to this shape, or a number) into this tensor's memory, in
   * place and outside autograd. Parameters and optimizer state are updated this way.
   */
  assign(src: TensorLike): this {
    S.assignInto(this, src);
    return this;
  }

  /** Releases the memory now; any later use of this tensor or its views throws. */
  dispose(): void {
    this.storage.release();
  }

  toString(): string {
    return formatTensor(this);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // ---------------------------------------------------------------- elementwise

  add(other: TensorLike): Tensor {
    return E.add(this, other);
  }
  sub(other: TensorLike): Tensor {
    return E.sub(this, other);
  }
  mul(other: TensorLike): Tensor {
    return E.mul(this, other);
  }
  div(other: TensorLike): Tensor {
    return E.div(this, other);
  }
  pow(exponent: TensorLike): Tensor {
    return E.pow(this, exponent);
  }
  maximum(other: TensorLike): Tensor {
    return E.maximum(this, other);
  }
  minimum(other: TensorLike): Tensor {
    return E.minimum(this, other);
  }
  neg(): Tensor {
    return E.neg(this);
  }
  abs(): Tensor {
    return E.abs(this);
  }
  sign(): Tensor {
    return E.sign(this);
  }
  exp(): Tensor {
    return E.exp(this);
  }
  log(): Tensor {
    return E.log(this);
  }
  sqrt(): Tensor {
    return E.sqrt(this);
  }
  rsqrt(): Tensor {
    return E.rsqrt(this);
  }
  square(): Tensor {
    return E.square(this);
  }
  erf(): Tensor {
    return E.erf(this);
  }
  clamp(min?: number, max?: number): Tensor {
    return E.clamp(this, min, max);
  }
  gt(other: TensorLike): Tensor {
    return E.gt(this, other);
  }
  ge(other: TensorLike): Tensor {
    return E.ge(this, other);
  }
  lt(other: TensorLike): Tensor {
    return E.lt(this, other);
  }
  le(other: TensorLike): Tensor {
    return E.le(this, other);
  }
  eq(other: TensorLike): Tensor {
    return E.eq(this, other);
  }
  ne(other: TensorLike): Tensor {
    return E.ne(this, other);
  }

  // ---------------------------------------------------------------- activations

  sigmoid(): Tensor {
    return A.sigmoid(this);
  }
  tanh(): Tensor {
    return A.tanh(this);
  }
  relu(): Tensor {
    return A.relu(this);
  }
  leakyRelu(negativeSlope?: number): Tensor {
    return A.leakyRelu(this, negativeSlope);
  }
  elu(alpha?: number): Tensor {
    return A.elu(this, alpha);
  }
  gelu(options?: A.GeluOptions): Tensor {
    return A.gelu(this, options);
  }
  softplus(options?: A.SoftplusOptions): Tensor {
    return A.softplus(this, options);
  }
  softmax(axis: number): Tensor {
    return A.softmax(this, axis);
  }
  logSoftmax(axis: number): Tensor {
    return A.logSoftmax(this, axis);
  }

  // ---------------------------------------------------------------- reductions

  sum(axis?: R.Axis, keepDim?: boolean): Tensor {
    return R.sum(this, axis, keepDim);
  }
  mean(axis?: R.Axis, keepDim?: boolean): Tensor {
    return R.mean(this, axis, keepDim);
  }
  max(axis?: R.Axis, keepDim?: boolean): Tensor {
    return R.max(this, axis, keepDim);
  }
  min(axis?: R.Axis, keepDim?: boolean): Tensor {
    return R.min(this, axis, keepDim);
  }
  var(axis?: R.Axis, options?: R.VarianceOptions): Tensor {
    return R.variance(this, axis, options);
  }
  std(axis?: R.Axis, options?: R.VarianceOptions): Tensor {
    return R.std(this, axis, options);
  }
  argmax(axis?: number, keepDim?: boolean): Tensor {
    return R.argmax(this, axis, keepDim);
  }
  argmin(axis?: number, keepDim?: boolean): Tensor {
    return R.argmin(this, axis, keepDim);
  }

  // ---------------------------------------------------------------- linear algebra

  matmul(other: Tensor): Tensor {
    return L.matmul(this, other);
  }

  // ---------------------------------------------------------------- shape

  reshape(...shape: number[] | [readonly number[]]): Tensor {
    return S.reshape(this, flattenArgs(shape));
  }
  /** Like reshape, but never copies: throws if this tensor's layout cannot be viewed as `shape`. */
  view(...shape: number[] | [readonly number[]]): Tensor {
    return S.view(this, flattenArgs(shape));
  }
  permute(...dims: number[] | [readonly number[]]): Tensor {
    return S.permute(this, flattenArgs(dims));
  }
  transpose(dim0: number, dim1: number): Tensor {
    return S.transpose(this, dim0, dim1);
  }
  /** The transpose of a 2-D tensor; 0-D and 1-D tensors are returned as they are (PyTorch's `.t()`). */
  t(): Tensor {
    if (this.ndim > 2) {
      throw new RangeError(
        `t: expects a tensor with at most 2 dimensions, got shape ${formatShape(this.shape)}`,
      );
    }
    return this.ndim < 2 ? this : S.transpose(this, 0, 1);
  }
  squeeze(axis?: number): Tensor {
    return S.squeeze(this, axis);
  }
  unsqueeze(axis: number): Tensor {
    return S.unsqueeze(this, axis);
  }
  expand(...shape: number[] | [readonly number[]]): Tensor {
    return S.expand(this, flattenArgs(shape));
  }
  flatten(startAxis = 0, endAxis = -1): Tensor {
    return S.flatten(this, startAxis, endAxis);
  }
  contiguous(): Tensor {
    return S.contiguous(this);
  }
  /** NumPy-style indexing: numbers, 'start:stop:step' strings, '...', null (new axis), index lists. */
  index(...specs: IndexSpec[]): Tensor {
    return index(this, specs);
  }
  gather(axis: number, indexTensor: Tensor): Tensor {
    return I.gather(this, axis, indexTensor);
  }
  indexSelect(axis: number, indexTensor: Tensor | readonly number[]): Tensor {
    return I.indexSelect(this, axis, indexTensor);
  }

  // ---------------------------------------------------------------- types and copies

  cast(dtype: DType): Tensor {
    return S.cast(this, dtype);
  }
  float(): Tensor {
    return S.cast(this, 'float32');
  }
  double(): Tensor {
    return S.cast(this, 'float64');
  }
  int(): Tensor {
    return S.cast(this, 'int32');
  }
  /** A copy with its own memory, still connected to the graph. */
  clone(): Tensor {
    return S.clone(this);
  }
  zerosLike(): Tensor {
    return emptyLike(this).assign(0);
  }
  onesLike(): Tensor {
    return emptyLike(this).assign(1);
  }

  /** True when both have the same shape and all elements differ by at most atol + rtol·|other|. */
  allClose(other: Tensor, rtol = 1e-5, atol = 1e-8): boolean {
    if (!shapesEqual(this.shape, other.shape)) return false;
    const a = this.data();
    const b = other.data();
    for (let i = 0; i < a.length; i++) {
      if (Math.abs(a[i]! - b[i]!) > atol + rtol * Math.abs(b[i]!)) return false;
    }
    return true;
  }
}

export type NestedArray = number | NestedArray[];

/** PyTorch's checks on `p.grad = value`, with what to do about each. */
function checkAssignedGrad(p: Tensor, value: unknown): asserts value is Tensor {
  if (!(value instanceof Tensor)) {
    const got = value === undefined ? 'undefined' : Array.isArray(value) ? 'an array' : typeof value;
    throw new TypeError(`grad: expected a Tensor or null, got ${got}`);
  }
  if (!shapesEqual(value.shape, p.shape)) {
    throw new RangeError(
      `grad: the assigned gradient has shape ${formatShape(value.shape)} but the tensor has shape ${formatShape(p.shape)}; they must be equal`,
    );
  }
  if (value.dtype !== p.dtype) {
    throw new TypeError(
      `grad: the assigned gradient is ${value.dtype} but the tensor is ${p.dtype}; cast it first (e.g. g.cast('${p.dtype}'))`,
    );
  }
  if (value.backend !== p.backend) {
    throw new TypeError(
      `grad: the assigned gradient is on the ${value.backend.name} backend but the tensor is on ${p.backend.name}; create it on the same backend`,
    );
  }
  if (value.storage === p.storage) {
    throw new RangeError(
      "grad: a tensor cannot be its own gradient (it shares the tensor's memory, so backward would change the tensor itself; PyTorch: can't assign Variable as its own grad); assign a copy, e.g. t.clone()",
    );
  }
  if (value.storage.released) {
    throw new Error(
      `grad: the assigned gradient's memory was already released (its scope ended or it was disposed); assign it inside the scope that made it, or keep() it`,
    );
  }
}

function flattenArgs(args: number[] | [readonly number[]]): number[] {
  return args.length === 1 && Array.isArray(args[0])
    ? [...(args[0] as readonly number[])]
    : (args as number[]);
}

export { isGradEnabled };

/**
 * `t` when it covers its whole buffer in order, else a contiguous copy that the caller disposes once
 * read: a backend reads whole buffers only. Throws on released memory.
 */
function wholeBuffer(t: Tensor): Tensor {
  t.strided();
  if (t.isContiguous() && t.offset === 0 && t.storage.length === t.size) return t;
  return noGrad(() => emptyLike(t).assign(t));
}

/** A synchronous read of `t`, or an error naming the async form of `method` when the backend reads only asynchronously. */
function readSync(t: Tensor, method: 'data' | 'toArray' | 'item'): TypedArray {
  const { backend } = t;
  if (backend.read === undefined) {
    throw new Error(
      `Tensor.${method}(): the ${backend.name} backend reads only asynchronously; use await tensor.${method}Async()`,
    );
  }
  const source = wholeBuffer(t);
  try {
    return backend.read(source.storage.buffer);
  } finally {
    if (source !== t) source.dispose();
  }
}

function checkSingle(t: Tensor, method: string): void {
  if (t.size !== 1) {
    throw new RangeError(
      `${method}: only a single-element tensor can be converted to a number, this one has shape ${formatShape(t.shape)}`,
    );
  }
}

/** Row-major `flat` as nested arrays of `shape` (a number for a 0-d shape). */
function nest(shape: readonly number[], flat: TypedArray): NestedArray {
  const build = (dim: number, start: number): NestedArray => {
    if (dim === shape.length) return flat[start]!;
    const step = sizeOf(shape.slice(dim + 1));
    return Array.from({ length: shape[dim]! }, (_, i) => build(dim + 1, start + i * step));
  };
  return build(0, 0);
}
