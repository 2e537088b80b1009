/**
 * Class-index targets for crossEntropy and nllLoss: their shape and values checked, and what PyTorch's
 * `weight` and `ignoreIndex` make of each one (the weight of its row, whether it counts), read once on
 * the host. The targets are read there anyway to check their range (an out-of-range index would make
 * the kernels read outside the row), so the per-row weights cost no extra read.
 */
import type { Backend } from '../backend/backend.js';
import { hostCheck, hostWrite } from '../capture/host_effects.js';
import type { DType, TypedArray } from '../tensor/dtype.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { gatherInRange } from './indexing.js';
import { sum } from './reduce.js';
import { reshape } from './shape_ops.js';
import { empty } from './util.js';

/** PyTorch's default `ignore_index`: a value no class index takes. */
const DEFAULT_IGNORE_INDEX = -100;

/** The shape class labels must have for `input`: [] for unbatched [C], [N, d…] for [N, C, d…]. */
export function classTargetShape(input: Tensor): number[] {
  return input.ndim === 1 ? [] : [input.shape[0]!, ...input.shape.slice(2)];
}

/** The number of classes: the length of axis 0 of unbatched [C] input, of axis 1 otherwise. */
export function classCount(input: Tensor): number {
  return input.ndim === 1 ? input.shape[0]! : input.shape[1]!;
}

export function checkClassTargets(op: string, input: Tensor, target: Tensor): void {
  const expected = classTargetShape(input);
  if (target.dtype !== 'int32') {
    throw new TypeError(
      `${op}: the target holds class indices and must be int32, got ${target.dtype}; cast it with target.int() or create it with { dtype: 'int32' }`,
    );
  }
  if (!shapesEqual(target.shape, expected)) {
    throw new RangeError(
      `${op}: target of shape ${formatShape(target.shape)} does not match input ${formatShape(input.shape)}; expected ${formatShape(expected)}`,
    );
  }
}

/**
 * A float target is read as class probabilities, shaped like the logits. One shaped like class
 * labels ([N] for [N, C] logits) is most likely labels stored as floats: say so, and how to cast.
 */
export function checkProbabilityTargets(logits: Tensor, target: Tensor): void {
  if (shapesEqual(target.shape, logits.shape)) return;
  if (target.ndim === logits.ndim - 1) {
    throw new TypeError(
      `crossEntropy: the labels are ${target.dtype} (shape ${formatShape(target.shape)}); class labels must be int32: cast them with labels.int() or create them with { dtype: 'int32' } (a float target is read as class probabilities, shaped like the logits ${formatShape(logits.shape)})`,
    );
  }
  throw new RangeError(
    `crossEntropy: probability targets must match the logits' shape ${formatShape(logits.shape)}, got ${formatShape(target.shape)}; class labels would be int32 of shape ${formatShape(classTargetShape(logits))}`,
  );
}

/** `ignoreIndex` as given (any integer, as PyTorch's int64), or PyTorch's default −100. */
export function checkIgnoreIndex(op: string, value: unknown): number {
  if (value === undefined) return DEFAULT_IGNORE_INDEX;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new TypeError(
      `${op}: ignoreIndex must be an integer (a class index whose targets are skipped; default ${DEFAULT_IGNORE_INDEX}), got ${typeof value === 'number' ? value : (JSON.stringify(value) ?? typeof value)}`,
    );
  }
  return value;
}

/** A loss's second tensor (target, weight) must be on the input's backend; the error names it. */
export function requireInputBackend(op: string, name: string, t: Tensor, input: Tensor): void {
  if (t.backend !== input.backend) {
    throw new TypeError(
      `${op}: ${name} is on the ${t.backend.name} backend, the input on ${input.backend.name}; create it on the input's backend`,
    );
  }
}

/** What checkConstantWeight checks: the loss's name, the option's name and value, the input. */
export interface ConstantWeightSpec {
  op: string;
  /** The option's name in messages: 'weight', 'posWeight'. */
  name: string;
  value: unknown;
  input: Tensor;
  /** What is accepted, for the type error: 'a Tensor or null'. */
  expected: string;
  /** Whether a weight that requires a gradient is allowed (it gets one); else it is refused. */
  differentiable: boolean;
  /** Why it is a constant, for that refusal (default 'it is a constant of the loss'). */
  constantBecause?: string;
  /** The shape check, run before the dtype, backend and gradient checks. */
  checkShape: (w: Tensor) => void;
}

/**
 * A loss's weight-like option (a class weight, BCE's weight and posWeight): null when absent, else a
 * tensor of the input's dtype on the input's backend (checked here so the error names the loss and
 * the option, not the mul inside it). PyTorch treats these as constants and refuses one that
 * requires a gradient, except where `differentiable` (probability targets' composed formula).
 */
export function checkConstantWeight(spec: ConstantWeightSpec): Tensor | null {
  const { op, name, value: w, input } = spec;
  if (w === undefined || w === null) return null;
  if (!(w instanceof Tensor)) throw new TypeError(`${op}: ${name} must be ${spec.expected}`);
  spec.checkShape(w);
  if (w.dtype !== input.dtype) {
    throw new TypeError(`${op}: ${name} is ${w.dtype} but the input is ${input.dtype}; they must match`);
  }
  requireInputBackend(op, name, w, input);
  if (!spec.differentiable && w.requiresGrad) {
    throw new TypeError(
      `${op}: ${name} requires a gradient, but ${spec.constantBecause ?? 'it is a constant of the loss'} (PyTorch refuses it too); pass ${name}.detach()`,
    );
  }
  return w;
}

/**
 * The per-class `weight` option: null (or absent) for none, else a 1-D tensor with one weight per
 * class, of the input's dtype and backend. With class-index targets PyTorch's nll_loss does not
 * differentiate it and refuses one that requires a gradient; `differentiable` (probability targets)
 * lets the gradient flow, as PyTorch's composed formula there does.
 */
export function checkClassWeight(
  op: string,
  weight: unknown,
  input: Tensor,
  differentiable: boolean,
): Tensor | null {
  const classes = classCount(input);
  return checkConstantWeight({
    op,
    name: 'weight',
    value: weight,
    input,
    expected: 'a Tensor of one weight per class, or null',
    differentiable,
    constantBecause: 'with class-index targets it is a constant',
    checkShape: (w) => {
      if (w.ndim !== 1 || w.shape[0] !== classes) {
        throw new RangeError(
          `${op}: weight must hold one value per class, shape [${classes}] for input ${formatShape(input.shape)}, got ${formatShape(w.shape)}`,
        );
      }
    },
  });
}

/** What `weight` and `ignoreIndex` make of the class targets, one entry per row of the [M, C] input. */
export interface ClassRows {
  /** The targets flattened to [M], an ignored one replaced by class 0 (its row is masked out). */
  safe: Tensor;
  /** 1 where a target counts, 0 where it equals ignoreIndex; null when every target counts. */
  keep: Tensor | null;
  /** weight[target] per row [M], 0 where ignored; null without class weights. */
  rowWeight: Tensor | null;
  /**
   * Σ of rowWeight over the rows that count (their number without weights): the mean's divisor. A
   * tensor where the rows were made on the device (a backend that reads only asynchronously).
   */
  total: number | Tensor;
}

interface RowsSpec {
  op: string;
  target: Tensor;
  classes: number;
  ignoreIndex: number;
  weight: Tensor | null;
  /** The input's dtype and backend, for keep and rowWeight. */
  dtype: DType;
  backend: Backend;
}

/** The rows as the host computes them from one read of the targets (and weights). */
interface ScannedRows {
  safe: Int32Array;
  keep: Float64Array;
  rowWeight: Float64Array;
  total: number;
  ignored: number;
}

/** A [n] tensor of `dtype` filled by `produce` (the backend's write converts, as TypedArray.set does). */
function upload(n: number, dtype: DType, backend: Backend, produce: () => TypedArray): Tensor {
  const t = empty([n], dtype, backend);
  if (n > 0) hostWrite(backend, t.storage.buffer, produce);
  return t;
}

/**
 * Checks every target (a class index in [0, C) or ignoreIndex) and builds the rows' safe targets,
 * mask and weights. A target out of range is refused as PyTorch refuses it ("Target 5 is out of
 * bounds"), naming the value and the accepted range.
 *
 * The read is a host check (src/capture/host_effects.ts) and the uploads host writes, so a captured
 * step re-reads its new targets at every replay, refuses a bad one as an eager step does, and uploads
 * their rows; what the trace fixed from the first targets (whether any is ignored, the mean's divisor)
 * must not change, or the replay refuses the step with an error saying so.
 */
export function readClassTargets(spec: RowsSpec): ClassRows {
  if (spec.backend.read === undefined) return deviceClassRows(spec);
  let traced: ScannedRows | undefined;
  let latest: ScannedRows | undefined;
  hostCheck({
    reads: spec.weight === null ? [spec.target] : [spec.target, spec.weight],
    check: ([targets, w]) => {
      latest = scanClassTargets(spec, targets!, w ?? null);
      traced ??= latest;
      if ((latest.ignored === 0) !== (traced.ignored === 0) || latest.total !== traced.total) {
        throw new RangeError(
          `${spec.op}: the ignored targets or the targets' total weight changed since this step was captured (${traced.total} then, ${latest.total} now); run it uncaptured`,
        );
      }
    },
  });
  const first = traced!;
  const n = first.safe.length;
  const { dtype, backend } = spec;
  return {
    safe: upload(n, 'int32', backend, () => latest!.safe),
    keep: first.ignored === 0 ? null : upload(n, dtype, backend, () => latest!.keep),
    rowWeight: spec.weight === null ? null : upload(n, dtype, backend, () => latest!.rowWeight),
    total: first.total,
  };
}

/**
 * The rows on a backend that reads only asynchronously (a GPU), made on the device: the targets as
 * they are, their weights gathered from `weight`, the mean's divisor those weights' sum (rounded to
 * the input's dtype, where the host sums in float64). The check of the targets is deferred
 * (src/capture/host_effects.ts): a bad one is refused at the next read point (an out-of-range one
 * meanwhile reads garbage, never past the row's end: a GPU's reads are bounds-checked). A target
 * equal to ignoreIndex is refused there too: masking it out of the mean would need it on the host
 * before the kernels run.
 */
function deviceClassRows(spec: RowsSpec): ClassRows {
  const { op, target, classes, ignoreIndex, weight, backend } = spec;
  hostCheck({
    reads: [target],
    check: ([targets]) => {
      for (const t of targets!) {
        if (t === ignoreIndex) {
          throw new RangeError(
            `${op}: a target equals ignoreIndex (${ignoreIndex}), which the ${backend.name} backend cannot leave out of the mean: it reads only asynchronously, and the divisor would need the targets on the host before the kernels run; leave such rows out of the batch, or train on a backend that reads synchronously`,
          );
        }
        if (t < 0 || t >= classes) throw targetOutOfRange(op, t, classes, ignoreIndex);
      }
    },
  });
  const safe = reshape(target, [target.size]);
  const rowWeight = weight === null ? null : gatherInRange(weight, 0, safe);
  return { safe, keep: null, rowWeight, total: rowWeight === null ? safe.size : sum(rowWeight) };
}

/** PyTorch's refusal of a class index out of range ("Target 5 is out of bounds"), naming the range. */
function targetOutOfRange(op: string, t: number, classes: number, ignoreIndex: number): RangeError {
  return new RangeError(
    `${op}: target index ${t} is out of range for axis 1 of size ${classes}; indices must lie in [0, ${classes - 1}] or equal ignoreIndex (${ignoreIndex})`,
  );
}

/** One read of the targets (and weights): the rows, or a RangeError naming a target out of range. */
function scanClassTargets(spec: RowsSpec, targets: TypedArray, w: TypedArray | null): ScannedRows {
  const { op, classes, ignoreIndex } = spec;
  const safe = new Int32Array(targets.length);
  const keep = new Float64Array(targets.length);
  const rowWeight = new Float64Array(targets.length);
  let total = 0;
  let ignored = 0;
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!;
    if (t === ignoreIndex) {
      ignored++;
      continue;
    }
    if (t < 0 || t >= classes) throw targetOutOfRange(op, t, classes, ignoreIndex);
    safe[i] = t;
    keep[i] = 1;
    rowWeight[i] = w === null ? 1 : w[t]!;
    total += rowWeight[i]!;
  }
  return { safe, keep, rowWeight, total, ignored };
}
