/**
 * Which members a backend must have and which fused capabilities it offers.
 *
 * A fused capability is a forward kernel together with the backward kernels its gradient rule calls:
 * the op layer uses the fused path only when the backend has the whole group (a backend with
 * batchNormForward but no batchNormBackward gets the composed batch norm, whose gradient autograd
 * derives from the core ops), so a backend can grow kernel by kernel without a half-fused op.
 */
import type { Backend, CoreBackend, FusedKernels } from './backend.js';

/** The kernels of the core, each a required method (see CoreBackend). */
export type CoreKernelName =
  | 'fill'
  | 'copy'
  | 'unary'
  | 'binary'
  | 'where'
  | 'reduce'
  | 'matmul'
  | 'softmax'
  | 'gather'
  | 'scatterAdd'
  | 'im2col'
  | 'col2im';
export type FusedKernelName = keyof FusedKernels;
export type KernelName = CoreKernelName | FusedKernelName;

// Records rather than arrays, so that a kernel added to the interface and missing here fails to compile.
const coreKernels: Record<CoreKernelName, true> = {
  fill: true,
  copy: true,
  unary: true,
  binary: true,
  where: true,
  reduce: true,
  matmul: true,
  softmax: true,
  gather: true,
  scatterAdd: true,
  im2col: true,
  col2im: true,
};
const fusedKernels: Record<FusedKernelName, true> = {
  linear: true,
  activationBackward: true,
  batchNormForward: true,
  batchNormBackward: true,
  softmaxCrossEntropy: true,
  softmaxCrossEntropyBackward: true,
  conv2d: true,
  conv2dInputGrad: true,
  conv2dWeightGrad: true,
  maxPool2dForward: true,
  maxPool2dBackward: true,
  optimizerUpdate: true,
};

/** The core's methods, memory first: every one of them is required of a backend. */
export const CORE_METHODS = [
  'supports',
  'allocate',
  'release',
  'write',
  'readAsync',
  'bytesInUse',
  ...(Object.keys(coreKernels) as CoreKernelName[]),
] as const satisfies readonly (keyof CoreBackend)[];

/**
 * The core's optional members (a GPU has no synchronous read; only a bounded heap has a limit; only
 * a queueing device needs flushing).
 */
export const OPTIONAL_CORE_METHODS = [
  'read',
  'availableBytes',
  'flush',
] as const satisfies readonly (keyof CoreBackend)[];

export const CORE_KERNELS = Object.keys(coreKernels) as readonly CoreKernelName[];
export const FUSED_KERNELS = Object.keys(fusedKernels) as readonly FusedKernelName[];

/** Each fused capability: its forward kernel first, then the kernels its gradient needs. */
export const FUSED_CAPABILITIES = {
  linear: ['linear', 'activationBackward'],
  activationBackward: ['activationBackward'],
  batchNorm: ['batchNormForward', 'batchNormBackward'],
  softmaxCrossEntropy: ['softmaxCrossEntropy', 'softmaxCrossEntropyBackward'],
  conv2d: ['conv2d', 'conv2dInputGrad', 'conv2dWeightGrad'],
  maxPool2d: ['maxPool2dForward', 'maxPool2dBackward'],
  optimizerUpdate: ['optimizerUpdate'],
} as const satisfies Record<string, readonly FusedKernelName[]>;

export type FusedCapability = keyof typeof FUSED_CAPABILITIES;

/** A backend narrowed to one that has every kernel of capability C. */
export type WithFused<C extends FusedCapability> = Backend &
  Pick<FusedKernels, (typeof FUSED_CAPABILITIES)[C][number]>;

/** Whether `backend` has every kernel of `capability`, so the op layer may take the fused path. */
export function hasFused<C extends FusedCapability>(
  backend: Backend,
  capability: C,
): backend is WithFused<C> {
  return FUSED_CAPABILITIES[capability].every(
    (k) => typeof (backend as Partial<FusedKernels>)[k] === 'function',
  );
}

/**
 * The required members `candidate` lacks (none: an empty list), for a clear error where a backend is
 * registered instead of a TypeError deep inside an op.
 */
export function missingCoreMembers(candidate: object): string[] {
  const b = candidate as Record<string, unknown>;
  const missing: string[] = CORE_METHODS.filter((m) => typeof b[m] !== 'function');
  if (typeof b.name !== 'string') missing.unshift('name');
  if (b.precision === null || typeof b.precision !== 'object') missing.push('precision');
  return missing;
}
