/**
 * descent: tensors, reverse-mode autograd and the ops of deep learning, in TypeScript, in Node and
 * in the browser. This entry point is browser-safe; Node-only code (files, CLI) lives in other modules.
 */

export { gradRules, sumTo, type Vjp, type VjpContext } from './autograd/grad_rules.js';
export type { Primitive, PrimitiveParams } from './autograd/primitives.js';
export { type BackwardOptions, backward, type GradNode, isGradEnabled, noGrad } from './autograd/tape.js';
export type {
  Backend,
  BinaryOp,
  BufferHandle,
  CoreBackend,
  FusedKernels,
  MatmulSpec,
  Precision,
  ReduceOp,
  UnaryCall,
  UnaryOp,
  View,
  WindowSpec,
} from './backend/backend.js';
export { coreOnly } from './backend/core_only.js';
export type * from './backend/kernel_calls.js';
export { formatBytes, type OutOfMemoryDetails, OutOfMemoryError } from './backend/out_of_memory.js';
export { ReferenceBackend } from './backend/reference/reference_backend.js';
export {
  BACKEND_NAMES,
  type BackendName,
  getBackend,
  initWasmBackend,
  setBackend,
  withBackend,
} from './backend/registry.js';
export type { WasmVariant } from './backend/wasm/features.js';
export {
  closeWebWorkerThreads,
  createWebWorkerWasmBackend,
  useWebWorkerThreads,
  type WasmThreadsOptions,
} from './backend/wasm/threads_browser.js';
export { WasmBackend, type WasmBackendOptions } from './backend/wasm/wasm_backend.js';
export {
  isWebGpuDeviceLost,
  isWebGpuUnavailable,
  requestWebGpuDevice,
  type WebGpuDevice,
  WebGpuDeviceLostError,
  type WebGpuDeviceOptions,
  WebGpuUnavailableError,
} from './backend/webgpu/adapter.js';
export { type InitBackendOptions, initBackend, initWebGpuBackend } from './backend/webgpu/init.js';
export { WebGpuBackend, type WebGpuBackendOptions } from './backend/webgpu/webgpu_backend.js';
export { type CapturedStep, type CaptureSpec, type CaptureStats, capture } from './capture/capture.js';
export { type HostCheck, hostCheck, hostWrite, settleHostChecks } from './capture/host_effects.js';
export * from './data/index.js';
/** The lecture's experiments (pure `run` and bilingual `present`), as `descent experiment` runs them. */
export * as experiments from './experiments/index.js';
export * from './init/index.js';
/** Saving and loading models in the browser: download, IndexedDB, File/Blob/URL. */
export { downloadSafetensors } from './io/browser_download.js';
export {
  deleteFromIndexedDb,
  type IndexedDbEntry,
  listIndexedDb,
  loadFromIndexedDb,
  saveToIndexedDb,
} from './io/browser_indexeddb.js';
export { loadSafetensorsFrom } from './io/browser_load.js';
export { type BrowserLoadOptions, modelToSafetensors } from './io/browser_model_bytes.js';
export { FormatError } from './io/format_error.js';
export {
  bfloat16ToFloat,
  halfToFloat,
  type NamedTensors,
  type ParsedSafetensors,
  parseSafetensors,
  type SafetensorsDType,
  serializeSafetensors,
  serializeSafetensorsAsync,
} from './io/safetensors.js';
// Classification metrics beyond accuracy: confusion matrix, per-class precision/recall/F1, top-k.
export * from './metrics/index.js';
export * from './nn/index.js';
export * from './ops/activation.js';
export { type Conv2dOptions, col2im, conv2d, im2col, type Pair } from './ops/conv.js';
export {
  abs,
  add,
  clamp,
  div,
  eq,
  erf,
  exp,
  ge,
  gt,
  le,
  log,
  lt,
  maximum,
  minimum,
  mul,
  ne,
  neg,
  pow,
  rsqrt,
  sign,
  sqrt,
  square,
  sub,
  where,
} from './ops/elementwise.js';
export type { IndexSpec } from './ops/index_spec.js';
export { gather, indexSelect, scatterAdd } from './ops/indexing.js';
export { matmul } from './ops/linalg.js';
export { linear } from './ops/linear.js';
export * from './ops/loss.js';
export { type BatchNormResult, batchNormTrain, type RunningStats } from './ops/normalization.js';
export * from './ops/pool.js';
export * from './ops/reduce.js';
export {
  cast,
  clone,
  concat,
  contiguous,
  expand,
  flatten,
  pad,
  permute,
  reshape,
  slice,
  split,
  squeeze,
  stack,
  transpose,
  unsqueeze,
  view,
} from './ops/shape_ops.js';
export * from './optim/index.js';
export {
  type ContourLine,
  contourLevels,
  contourLines,
  type Window as ContourWindow,
} from './report/contour.js';
export * from './run/index.js';
export { distanceToCriticalPoints } from './surfaces/convergence.js';
export * from './surfaces/index.js';
export {
  arange,
  type CreateOptions,
  eye,
  full,
  linspace,
  ones,
  type RandomOptions,
  rand,
  randint,
  randn,
  type TensorOptions,
  tensor,
  zeros,
} from './tensor/creation.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export { deterministicLog, Generator, getDefaultGenerator, manualSeed } from './tensor/random.js';
export { broadcastShapes, type Shape } from './tensor/shape.js';
export { keepStorage, Storage, scope } from './tensor/storage.js';
export { type NestedArray, Tensor, type TensorLike } from './tensor/tensor.js';
export * from './train/index.js';
export { type LrDiagnostics, type LrDiagnosticsOptions, lrDiagnostics } from './train/lr_diagnostics.js';

import { keepStorage as keepS } from './tensor/storage.js';
import type { Tensor as T } from './tensor/tensor.js';

/** Lets tensors outlive the current scope (parameters, optimizer state, values to report). */
export function keep<X extends T | readonly T[]>(x: X): X {
  for (const t of (Array.isArray(x) ? x : [x]) as T[]) keepS(t.storage);
  return x;
}
