/**
 * Instantiating the kernel module (assembly/, embedded by scripts/build_wasm.mjs) over a memory owned
 * by the host, synchronously (Node; browsers allow it for small modules or in workers) or not.
 */
import type { WasmVariant } from './features.js';
import {
  relaxedSimdSharedWasm,
  relaxedSimdWasm,
  scalarWasm,
  simdSharedWasm,
  simdWasm,
} from './kernels_wasm.js';

type Ptr = number;

/** The module's exports; signatures mirror assembly/*.ts (booleans are passed as 0/1). */
export interface Kernels {
  heapBase(): number;
  fill32(p: Ptr, n: number, bits: number): void;
  copy(kind: number, nd: number, desc: Ptr, src: Ptr, dst: Ptr): void;
  unary(isInt: number, op: number, nd: number, desc: Ptr, x: Ptr, out: Ptr, p0: number, p1: number): void;
  binary(isInt: number, op: number, nd: number, desc: Ptr, a: Ptr, b: Ptr, out: Ptr): void;
  where(condInt: number, nd: number, desc: Ptr, cond: Ptr, a: Ptr, b: Ptr, out: Ptr): void;
  reduce(isInt: number, op: number, x: Ptr, outer: number, length: number, inner: number, out: Ptr): void;
  softmax(x: Ptr, outer: number, length: number, inner: number, log: number, out: Ptr): void;
  gather(
    x: Ptr,
    index: Ptr,
    outer: number,
    xLength: number,
    indexLength: number,
    inner: number,
    out: Ptr,
  ): void;
  scatterAdd(
    isInt: number,
    src: Ptr,
    index: Ptr,
    outer: number,
    outLength: number,
    indexLength: number,
    inner: number,
    out: Ptr,
  ): void;
  im2col(
    x: Ptr,
    batch: number,
    channels: number,
    height: number,
    width: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    dh: number,
    dw: number,
    outH: number,
    outW: number,
    padBits: number,
    knl: number,
    out: Ptr,
  ): void;
  col2im(
    isInt: number,
    cols: Ptr,
    batch: number,
    channels: number,
    height: number,
    width: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    dh: number,
    dw: number,
    outH: number,
    outW: number,
    knl: number,
    out: Ptr,
  ): void;
  gemm(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    a: Ptr,
    lda: number,
    b: Ptr,
    ldb: number,
    c: Ptr,
    ldc: number,
    scratch: Ptr,
  ): void;
  gemmRows(
    transA: number,
    transB: number,
    i0: number,
    i1: number,
    n: number,
    k: number,
    a: Ptr,
    lda: number,
    b: Ptr,
    ldb: number,
    c: Ptr,
    ldc: number,
    scratch: Ptr,
  ): void;
  gemmScratchBytes(n: number): number;
  biasActivation(c: Ptr, m: number, n: number, bias: Ptr, hasBias: number, act: number): void;
  activationBackward(act: number, g: Ptr, y: Ptr, out: Ptr, length: number): void;
  batchNormForward(
    x: Ptr,
    gamma: Ptr,
    hasGamma: number,
    beta: Ptr,
    hasBeta: number,
    outer: number,
    channels: number,
    inner: number,
    eps: number,
    out: Ptr,
    mean: Ptr,
    variance: Ptr,
    runningMean: Ptr,
    runningVariance: Ptr,
    hasRunning: number,
    momentum: number,
    scratch: Ptr,
  ): void;
  batchNormBackward(
    g: Ptr,
    x: Ptr,
    mean: Ptr,
    variance: Ptr,
    gamma: Ptr,
    hasGamma: number,
    outer: number,
    channels: number,
    inner: number,
    eps: number,
    dx: Ptr,
    dGamma: Ptr,
    hasDGamma: number,
    dBeta: Ptr,
    hasDBeta: number,
    scratch: Ptr,
  ): void;
  conv2dScratchBytes(
    channels: number,
    height: number,
    width: number,
    outChannels: number,
    kh: number,
    kw: number,
    ph: number,
    pw: number,
  ): number;
  conv2dForward(
    x: Ptr,
    batch: number,
    channels: number,
    height: number,
    width: number,
    weight: Ptr,
    outChannels: number,
    kh: number,
    kw: number,
    ph: number,
    pw: number,
    bias: Ptr,
    hasBias: number,
    out: Ptr,
    scratch: Ptr,
  ): void;
  conv2dInputGrad(
    g: Ptr,
    batch: number,
    channels: number,
    height: number,
    width: number,
    weight: Ptr,
    outChannels: number,
    kh: number,
    kw: number,
    ph: number,
    pw: number,
    dx: Ptr,
    scratch: Ptr,
  ): void;
  conv2dWeightGrad(
    g: Ptr,
    x: Ptr,
    batch: number,
    channels: number,
    height: number,
    width: number,
    outChannels: number,
    kh: number,
    kw: number,
    ph: number,
    pw: number,
    dw: Ptr,
    scratch: Ptr,
    o0: number,
    o1: number,
  ): void;
  maxPool2dForward(
    x: Ptr,
    planes: number,
    height: number,
    width: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    dh: number,
    dw: number,
    outH: number,
    outW: number,
    out: Ptr,
    indices: Ptr,
  ): void;
  maxPool2dBackward(g: Ptr, indices: Ptr, planes: number, planeSize: number, length: number, out: Ptr): void;
  softmaxCrossEntropy(logits: Ptr, target: Ptr, rows: number, classes: number, probs: Ptr, losses: Ptr): void;
  softmaxCrossEntropyBackward(probs: Ptr, target: Ptr, g: Ptr, rows: number, classes: number, out: Ptr): void;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const cache = new Map<string, Uint8Array>();

function encoded(variant: WasmVariant, shared: boolean): string {
  if (shared) {
    if (variant === 'scalar') throw new Error('the wasm backend has no scalar build over shared memory');
    return variant === 'relaxed-simd' ? relaxedSimdSharedWasm : simdSharedWasm;
  }
  return variant === 'relaxed-simd' ? relaxedSimdWasm : variant === 'simd' ? simdWasm : scalarWasm;
}

/** The compiled binary of a variant; `shared`: the build that imports a shared memory (threads). */
export function kernelBytes(variant: WasmVariant, shared = false): Uint8Array {
  const key = `${variant}${shared ? '-shared' : ''}`;
  let bytes = cache.get(key);
  if (bytes === undefined) {
    bytes = decodeBase64(encoded(variant, shared));
    cache.set(key, bytes);
  }
  return bytes;
}

/** Compiles a variant synchronously; throws where the runtime forbids it (a browser's main thread). */
export function compileSync(variant: WasmVariant, shared = false): WebAssembly.Module {
  return new WebAssembly.Module(kernelBytes(variant, shared) as BufferSource);
}

export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): Kernels {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as Kernels;
}

/** Compiles and instantiates a variant without blocking (the path every browser thread allows). */
export async function instantiateAsync(variant: WasmVariant, memory: WebAssembly.Memory): Promise<Kernels> {
  const { instance } = await WebAssembly.instantiate(kernelBytes(variant) as BufferSource, {
    env: { memory },
  });
  return instance.exports as unknown as Kernels;
}
