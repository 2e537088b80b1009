/**
 * The WebAssembly backend: tensors live in one WebAssembly linear memory managed by the library (see
 * allocator.ts), and every kernel of the Backend interface runs in AssemblyScript code compiled with
 * SIMD (assembly/). It stores float32 and int32; float64, which only gradient checks need, stays on the
 * reference backend.
 *
 * Results are deterministic: every kernel has a fixed order of operations that depends only on the
 * shapes, so a computation gives the same bits on every run and on every engine running the same build.
 * The scalar and SIMD builds agree bit for bit; the relaxed-SIMD build fuses the matrix product's
 * multiply-adds where the processor has FMA, so its matmul results differ from theirs in the last bits
 * (and may differ between machines, never between runs).
 */
import type { DType, TypedArray } from '../../tensor/dtype.js';
import { contiguousStrides } from '../../tensor/shape.js';
import { checkOptions, type OptionKeys } from '../../util/options.js';
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
  FusedActivation,
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
  View,
  WindowSpec,
} from '../backend.js';
import { linearProduct } from '../backend.js';
import type { OptimizerUpdateCall } from '../optimizer_update.js';
import { OutOfMemoryError } from '../out_of_memory.js';
import type { Precision } from '../precision.js';
import { Allocator, HEAP_LIMIT, HeapFull } from './allocator.js';
import { detectVariant, type WasmVariant } from './features.js';
import { compileSync, instantiate, instantiateAsync, type Kernels } from './kernels.js';
import {
  binaryCodes,
  COPY_F32_TO_I32,
  COPY_I32_TO_F32,
  COPY_SAME,
  reduceCodes,
  unaryCodes,
} from './opcodes.js';
import { wasmOptimizerUpdate } from './optimizer_update.js';
import { wasmPrecision } from './precision.js';
import { DESCRIPTOR_WORDS, describeIteration } from './strided.js';
import { convolutionShare, productShare, type Share, type Split } from './thread_policy.js';
import { TaskKind } from './threads_protocol.js';

/** A block of linear memory holding one tensor's elements. */
export class WasmBuffer implements BufferHandle {
  /** False once released; a released buffer must not be used or released again. */
  live = true;
  constructor(
    readonly dtype: DType,
    readonly length: number,
    /** Byte address of element 0. */
    readonly ptr: number,
    /** Bytes reserved (the allocator's size class); 0 for an empty buffer. */
    readonly size: number,
  ) {}
}

export interface WasmBackendOptions {
  /** Which build to run; the fastest the runtime supports by default. */
  variant?: WasmVariant;
  /** Initial memory in 64 KiB pages (default 256, 16 MiB); it grows as needed. */
  initialPages?: number;
  /**
   * Put the tensors in a shared memory (SharedArrayBuffer), which worker threads can work on: see
   * `useWasmThreads` in descent/node and `useWebWorkerThreads` in browsers. Needs a SIMD build, and
   * cross-origin isolation in browsers.
   */
  sharedMemory?: boolean;
}

const WASM_BACKEND_KEYS: OptionKeys<WasmBackendOptions> = {
  variant: true,
  initialPages: true,
  sharedMemory: true,
};

/** An instantiated kernel module and its memory, from `WasmBackend.load` (the asynchronous path). */
interface Loaded {
  variant: WasmVariant;
  memory: WebAssembly.Memory;
  kernels: Kernels;
}

/**
 * Matrix products split by rows, and convolutions by images or output channels, over several threads
 * (threads_protocol.ts's pool implements it, for Node and browsers). Every output element is computed
 * by one thread with the same sequential sum, so the result does not depend on the number of threads.
 */
export interface ParallelKernels {
  /** Threads taking part, the calling one included. */
  readonly threads: number;
  /**
   * Runs items [0, total) of a task (threads_protocol.ts: its kind, then its arguments) in chunks of
   * `size` items, each thread with a scratch block of at least `scratchBytes`.
   */
  run(task: readonly number[], total: number, size: number, scratchBytes: number): void;
}

type Geometry = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/** A window's geometry in the order the kernels take it: height, width, kernel, stride, padding, dilation, output size. */
function geometry(s: WindowSpec): Geometry {
  return [
    s.height,
    s.width,
    s.kernel[0],
    s.kernel[1],
    s.stride[0],
    s.stride[1],
    s.padding[0],
    s.padding[1],
    s.dilation[0],
    s.dilation[1],
    s.outHeight,
    s.outWidth,
  ];
}

/** The scratch block (see scratchBlock) the fused kernels use for per-channel constants. */
const FUSED_SCRATCH_SLOT = 1024;

/** Batch norm's scratch (assembly/fused.ts): up to 3 float32 and 2 float64 per channel. */
function batchNormScratchBytes(channels: number): number {
  return 3 * channels * 4 + 2 * channels * 8 + 16;
}

const activationCodes: Record<FusedActivation, number> = { none: 0, relu: 1, sigmoid: 2, tanh: 3 };

function isInt(b: BufferHandle): number {
  return b.dtype === 'int32' ? 1 : 0;
}

function checkDType(dtype: DType): void {
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new TypeError(
      `the wasm backend does not support dtype ${dtype}; it stores float32 and int32 (use the reference backend for float64)`,
    );
  }
}

const f32Scratch = new Float32Array(1);
const i32Scratch = new Int32Array(f32Scratch.buffer);

/** The 32-bit pattern a fill value becomes in a buffer of this dtype (as a typed array would store it). */
function bitsOf(value: number, dtype: DType): number {
  if (dtype === 'int32') return value | 0;
  f32Scratch[0] = value;
  return i32Scratch[0]!;
}

export class WasmBackend implements Backend, FusedKernels {
  readonly name = 'wasm';
  /** The build in use: relaxed-simd, simd or scalar. */
  readonly variant: WasmVariant;
  /** Bit-exact where the kernels keep the reference's order of operations (precision.ts here). */
  readonly precision: Precision;
  readonly memory: WebAssembly.Memory;
  /** @internal the compiled kernels (for worker threads, with `memory`); null when loaded asynchronously. */
  readonly module: WebAssembly.Module | null = null;
  /** @internal the kernels instantiated on this thread. */
  readonly kernels: Kernels;
  private parallel: ParallelKernels | null = null;
  private readonly allocator: Allocator;
  private heapI32!: Int32Array;
  private heapF32!: Float32Array;
  /** The descriptor region for strided iterations (byte address). */
  private readonly desc: number;
  private readonly scratchBlocks: { ptr: number; size: number }[] = [];
  private live = 0;

  /**
   * Compiles and instantiates the kernels synchronously, which Node and web workers allow; on a
   * browser's main thread use `await WasmBackend.load()` (or `initWasmBackend()`) instead.
   */
  constructor(options: WasmBackendOptions | Loaded = {}) {
    if ('kernels' in options) {
      this.variant = options.variant;
      this.memory = options.memory;
      this.kernels = options.kernels;
    } else {
      checkOptions('WasmBackend', options, WASM_BACKEND_KEYS);
      this.variant = options.variant ?? detectVariant();
      const shared = options.sharedMemory ?? false;
      if (shared && this.variant === 'scalar') {
        throw new Error(
          'the wasm backend needs a SIMD build for shared memory; this runtime has no WebAssembly SIMD',
        );
      }
      const initial = options.initialPages ?? 256;
      this.memory = shared
        ? new WebAssembly.Memory({ initial, maximum: 65536, shared: true })
        : new WebAssembly.Memory({ initial });
      this.module = compileSync(this.variant, shared);
      this.kernels = instantiate(this.module, this.memory);
    }
    this.precision = wasmPrecision(this.variant);
    this.refreshViews();
    this.allocator = new Allocator(this.memory, this.kernels.heapBase(), () => this.refreshViews());
    this.desc = this.allocator.allocate(DESCRIPTOR_WORDS * 4).ptr;
  }

  /** Compiles and instantiates the kernels asynchronously, which every runtime allows. */
  static async load(options: WasmBackendOptions = {}): Promise<WasmBackend> {
    checkOptions('WasmBackend.load', options, WASM_BACKEND_KEYS);
    const variant = options.variant ?? detectVariant();
    const memory = new WebAssembly.Memory({ initial: options.initialPages ?? 256 });
    const kernels = await instantiateAsync(variant, memory);
    return new WasmBackend({ variant, memory, kernels });
  }

  private refreshViews(): void {
    this.heapI32 = new Int32Array(this.memory.buffer);
    this.heapF32 = new Float32Array(this.memory.buffer);
  }

  /** @internal installs (or, with null, removes) the threads that share matrix products. */
  setParallelKernels(parallel: ParallelKernels | null): void {
    this.parallel = parallel;
  }

  /** Threads that matrix products run on (1 unless `useWasmThreads` or `useWebWorkerThreads` added some). */
  get threads(): number {
    return this.parallel?.threads ?? 1;
  }

  /** @internal a block of `bytes` bytes kept for scratch use and grown when needed (per thread slot). */
  scratchBlock(slot: number, bytes: number): number {
    const held = this.scratchBlocks[slot];
    if (held !== undefined && held.size >= bytes) return held.ptr;
    // The new block first: if it cannot be had, the slot keeps its old one.
    const block = this.reserve(bytes, `a scratch block of ${bytes} bytes`);
    if (held !== undefined) this.allocator.release(held.ptr, held.size);
    this.scratchBlocks[slot] = block;
    return block.ptr;
  }

  supports(dtype: DType): boolean {
    return dtype === 'float32' || dtype === 'int32';
  }

  // ---------------------------------------------------------------- memory

  allocate(dtype: DType, length: number, shape?: readonly number[]): BufferHandle {
    checkDType(dtype);
    if (length === 0) return new WasmBuffer(dtype, 0, 0, 0);
    const what = `a ${dtype} tensor of shape [${(shape ?? [length]).join(', ')}]`;
    const { ptr, size } = this.reserve(length * 4, what);
    this.live += length * 4;
    return new WasmBuffer(dtype, length, ptr, size);
  }

  /** A block from the allocator, or an OutOfMemoryError naming `what` (the allocator is left as it was). */
  private reserve(bytes: number, what: string): { ptr: number; size: number } {
    try {
      return this.allocator.allocate(bytes);
    } catch (error) {
      if (!(error instanceof HeapFull)) throw error;
      const refused = error.refusedAt;
      throw new OutOfMemoryError({
        backend: 'wasm',
        what,
        requested: bytes,
        live: this.allocator.reservedBytes(),
        cached: this.allocator.freeBytes(),
        limit: refused ?? HEAP_LIMIT,
        limitReason:
          refused === null
            ? 'a 32-bit WebAssembly memory addresses 4 GiB'
            : 'the JavaScript engine refused to grow its WebAssembly memory further',
      });
    }
  }

  release(buffer: BufferHandle): void {
    const b = buffer as WasmBuffer;
    if (!b.live) return;
    b.live = false;
    this.live -= b.length * 4;
    if (b.size > 0) this.allocator.release(b.ptr, b.size);
  }

  bytesInUse(): number {
    return this.live;
  }

  /** Bytes of WebAssembly memory reserved from the system (what the process holds for this backend). */
  memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** The allocator's high-water mark: bytes ever handed out from the heap, free or in use. */
  heapBytes(): number {
    return this.allocator.heapBytes();
  }

  /**
   * Bytes this backend could still give: the 4 GiB address space (less one page) minus what the heap
   * has handed out, plus released blocks kept for reuse. An upper bound: the engine may refuse to grow
   * the memory sooner (browsers on small devices), and a released block serves only requests of its
   * size class or smaller.
   */
  availableBytes(): number {
    return this.allocator.availableBytes();
  }

  /** A typed-array view of a buffer's elements in linear memory; valid until the memory next grows. */
  view(buffer: BufferHandle): TypedArray {
    const b = this.own(buffer);
    const heap = b.dtype === 'int32' ? this.heapI32 : this.heapF32;
    // Addresses reach 4 GiB: an unsigned shift (`>> 2` turns addresses from 2 GiB up negative).
    const first = b.ptr >>> 2;
    return heap.subarray(first, first + b.length);
  }

  write(buffer: BufferHandle, data: TypedArray): void {
    this.view(buffer).set(data);
  }

  read(buffer: BufferHandle): TypedArray {
    return this.view(buffer).slice();
  }

  readAsync(buffer: BufferHandle): Promise<TypedArray> {
    return Promise.resolve(this.read(buffer));
  }

  // ---------------------------------------------------------------- kernels

  fill(out: BufferHandle, value: number): void {
    const b = this.own(out);
    if (b.length > 0) this.kernels.fill32(b.ptr, b.length, bitsOf(value, b.dtype));
  }

  copy(src: View, dst: View): void {
    const kind =
      src.buffer.dtype === dst.buffer.dtype
        ? COPY_SAME
        : dst.buffer.dtype === 'int32'
          ? COPY_F32_TO_I32
          : COPY_I32_TO_F32;
    const nd = describeIteration(this.heapI32, this.desc >>> 2, dst.shape, dst.strides, src.strides);
    if (nd === 0) return;
    this.kernels.copy(kind, nd, this.desc, this.addr(src), this.addr(dst));
  }

  /**
   * Writes the iteration of an elementwise kernel into the descriptor: a contiguous output of `shape`
   * first, then its inputs' strides; returns the number of dimensions (0: nothing to do).
   */
  private describeElementwise(shape: readonly number[], ...inputs: (readonly number[])[]): number {
    const [s1, s2, s3] = inputs;
    return describeIteration(this.heapI32, this.desc >>> 2, shape, contiguousStrides(shape), s1, s2, s3);
  }

  unary(call: UnaryCall, x: View, out: BufferHandle): void {
    let p0 = 0;
    let p1 = 0;
    switch (call.op) {
      case 'leakyRelu':
        p0 = call.negativeSlope;
        break;
      case 'elu':
        p0 = call.alpha;
        break;
      case 'softplus':
        p0 = call.beta;
        p1 = call.threshold;
        break;
      case 'clamp':
        // Rounding the bounds to float32 first changes no result (x is a float32) and lets the
        // kernel clamp in float32.
        p0 = Math.fround(call.min);
        p1 = Math.fround(call.max);
        break;
      case 'gelu':
        p0 = call.approximate === 'tanh' ? 1 : 0;
        break;
    }
    const nd = this.describeElementwise(x.shape, x.strides);
    if (nd === 0) return;
    this.kernels.unary(
      isInt(out),
      unaryCodes[call.op],
      nd,
      this.desc,
      this.addr(x),
      this.own(out).ptr,
      p0,
      p1,
    );
  }

  binary(op: BinaryOp, a: View, b: View, out: BufferHandle): void {
    const nd = this.describeElementwise(a.shape, a.strides, b.strides);
    if (nd === 0) return;
    this.kernels.binary(
      isInt(out),
      binaryCodes[op],
      nd,
      this.desc,
      this.addr(a),
      this.addr(b),
      this.own(out).ptr,
    );
  }

  where(cond: View, a: View, b: View, out: BufferHandle): void {
    const nd = this.describeElementwise(a.shape, cond.strides, a.strides, b.strides);
    if (nd === 0) return;
    this.kernels.where(
      isInt(cond.buffer),
      nd,
      this.desc,
      this.addr(cond),
      this.addr(a),
      this.addr(b),
      this.own(out).ptr,
    );
  }

  reduce({ op, x, outer, length, inner, out }: ReduceCall): void {
    if (outer * inner === 0) return;
    const o = this.own(out);
    if (length === 0) {
      // Only a sum reaches here with an empty axis (the op layer rejects the others): zeros.
      this.kernels.fill32(o.ptr, o.length, 0);
      return;
    }
    this.kernels.reduce(isInt(x.buffer), reduceCodes[op], this.addr(x), outer, length, inner, o.ptr);
  }

  matmul(a: View, b: View, spec: MatmulSpec, out: BufferHandle): void {
    const { m, n, k, transA, transB, batchShape, aBatchStrides, bBatchStrides } = spec;
    const o = this.own(out);
    if (o.length === 0) return;
    // Which products the threads share, and in what chunks of rows: thread_policy.ts.
    const share = this.parallel === null ? null : productShare(spec, this.parallel.threads);
    const parallel = share === null ? null : this.parallel;
    const scratchBytes = this.kernels.gemmScratchBytes(n);
    const scratch = parallel === null ? this.scratchBlock(0, scratchBytes) : 0;
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    const aBase = this.addr(a);
    const bBase = this.addr(b);
    const nb = batchShape.length;
    let batch = 1;
    for (const d of batchShape) batch *= d;
    const idx = new Array<number>(nb).fill(0);
    let aOff = 0;
    let bOff = 0;
    const rows = share === null ? 0 : share.chunk;
    for (let t = 0; t < batch; t++) {
      if (parallel !== null) {
        const task = [
          TaskKind.gemmRows,
          transA ? 1 : 0,
          transB ? 1 : 0,
          n,
          k,
          aBase + aOff * 4,
          lda,
          bBase + bOff * 4,
          ldb,
          o.ptr + t * m * n * 4,
          n,
        ];
        parallel.run(task, m, rows, scratchBytes);
      } else {
        this.kernels.gemm(
          transA ? 1 : 0,
          transB ? 1 : 0,
          m,
          n,
          k,
          aBase + aOff * 4,
          lda,
          bBase + bOff * 4,
          ldb,
          o.ptr + t * m * n * 4,
          n,
          scratch,
        );
      }
      for (let d = nb - 1; d >= 0; d--) {
        aOff += aBatchStrides[d]!;
        bOff += bBatchStrides[d]!;
        if (++idx[d]! < batchShape[d]!) break;
        aOff -= aBatchStrides[d]! * batchShape[d]!;
        bOff -= bBatchStrides[d]! * batchShape[d]!;
        idx[d] = 0;
      }
    }
  }

  softmax({ x, outer, length, inner, log, out }: SoftmaxCall): void {
    if (outer * length * inner === 0) return;
    this.kernels.softmax(this.addr(x), outer, length, inner, log ? 1 : 0, this.own(out).ptr);
  }

  gather({ x, index, outer, xLength, indexLength, inner, out }: GatherCall): void {
    if (outer * indexLength * inner === 0) return;
    this.kernels.gather(
      this.addr(x),
      this.addr(index),
      outer,
      xLength,
      indexLength,
      inner,
      this.own(out).ptr,
    );
  }

  scatterAdd({ src, index, outer, outLength, indexLength, inner, out }: ScatterAddCall): void {
    if (outer * indexLength * inner === 0) return;
    this.kernels.scatterAdd(
      isInt(out),
      this.addr(src),
      this.addr(index),
      outer,
      outLength,
      indexLength,
      inner,
      this.own(out).ptr,
    );
  }

  im2col({ x, spec, padValue, out }: Im2colCall): void {
    const o = this.own(out);
    if (o.length === 0) return;
    const s = spec;
    this.kernels.im2col(
      this.addr(x),
      s.batch,
      s.channels,
      ...geometry(s),
      bitsOf(padValue, o.dtype),
      s.columnLayout === 'KNL' ? 1 : 0,
      o.ptr,
    );
  }

  col2im({ cols, spec, out }: Col2imCall): void {
    const o = this.own(out);
    if (o.length === 0) return;
    const s = spec;
    this.kernels.col2im(
      isInt(o),
      this.addr(cols),
      s.batch,
      s.channels,
      ...geometry(s),
      s.columnLayout === 'KNL' ? 1 : 0,
      o.ptr,
    );
  }

  linear({ x, weight, bias, m, n, k, activation, out }: LinearCall): void {
    this.matmul(x, weight, linearProduct(m, n, k), out);
    if (m * n === 0 || (bias === null && activation === 'none')) return;
    const b = bias === null ? 0 : this.addr(bias);
    this.kernels.biasActivation(
      this.own(out).ptr,
      m,
      n,
      b,
      bias === null ? 0 : 1,
      activationCodes[activation],
    );
  }

  activationBackward({ activation, g, y, out }: ActivationBackwardCall): void {
    const o = this.own(out);
    if (o.length === 0) return;
    this.kernels.activationBackward(activationCodes[activation], this.addr(g), this.addr(y), o.ptr, o.length);
  }

  batchNormForward({ x, gamma, beta, spec, out, mean, variance, running }: BatchNormForwardCall): void {
    const { outer, channels, inner, eps } = spec;
    if (channels === 0) return;
    const scratch = this.scratchBlock(FUSED_SCRATCH_SLOT, batchNormScratchBytes(channels));
    this.kernels.batchNormForward(
      this.addr(x),
      gamma === null ? 0 : this.addr(gamma),
      gamma === null ? 0 : 1,
      beta === null ? 0 : this.addr(beta),
      beta === null ? 0 : 1,
      outer,
      channels,
      inner,
      eps,
      this.own(out).ptr,
      this.own(mean).ptr,
      this.own(variance).ptr,
      running === null ? 0 : this.addr(running.mean),
      running === null ? 0 : this.addr(running.variance),
      running === null ? 0 : 1,
      running?.momentum ?? 0,
      scratch,
    );
  }

  batchNormBackward(call: BatchNormBackwardCall): void {
    const { g, x, mean, variance, gamma, spec, dx, dGamma, dBeta } = call;
    const { outer, channels, inner, eps } = spec;
    if (channels === 0) return;
    const scratch = this.scratchBlock(FUSED_SCRATCH_SLOT, batchNormScratchBytes(channels));
    this.kernels.batchNormBackward(
      this.addr(g),
      this.addr(x),
      this.addr(mean),
      this.addr(variance),
      gamma === null ? 0 : this.addr(gamma),
      gamma === null ? 0 : 1,
      outer,
      channels,
      inner,
      eps,
      this.own(dx).ptr,
      dGamma === null ? 0 : this.own(dGamma).ptr,
      dGamma === null ? 0 : 1,
      dBeta === null ? 0 : this.own(dBeta).ptr,
      dBeta === null ? 0 : 1,
      scratch,
    );
  }

  softmaxCrossEntropy({ logits, target, rows, classes, probs, losses }: SoftmaxCrossEntropyCall): void {
    if (rows * classes === 0) return;
    this.kernels.softmaxCrossEntropy(
      this.addr(logits),
      this.addr(target),
      rows,
      classes,
      this.own(probs).ptr,
      this.own(losses).ptr,
    );
  }

  softmaxCrossEntropyBackward(call: SoftmaxCrossEntropyBackwardCall): void {
    const { probs, target, g, rows, classes, out } = call;
    if (rows * classes === 0) return;
    this.kernels.softmaxCrossEntropyBackward(
      this.addr(probs),
      this.addr(target),
      this.addr(g),
      rows,
      classes,
      this.own(out).ptr,
    );
  }

  conv2d({ x, weight, bias, spec, outChannels, out }: Conv2dCall): void {
    const o = this.own(out);
    if (o.length === 0) return;
    const args = [
      ...this.convGeometry(spec, weight, outChannels),
      bias === null ? 0 : this.addr(bias),
      bias === null ? 0 : 1,
    ] as const;
    const x0 = this.addr(x);
    if (this.shareImages(TaskKind.convForward, spec, outChannels, x0, args, o.ptr)) return;
    this.kernels.conv2dForward(x0, spec.batch, ...args, o.ptr, this.convScratch(spec, outChannels));
  }

  conv2dInputGrad({ g, weight, spec, outChannels, out }: Conv2dInputGradCall): void {
    const o = this.own(out);
    if (o.length === 0) return;
    const args = this.convGeometry(spec, weight, outChannels);
    const g0 = this.addr(g);
    if (this.shareImages(TaskKind.convInputGrad, spec, outChannels, g0, args, o.ptr)) return;
    this.kernels.conv2dInputGrad(g0, spec.batch, ...args, o.ptr, this.convScratch(spec, outChannels));
  }

  conv2dWeightGrad({ g, x, spec, outChannels, out }: Conv2dWeightGradCall): void {
    const o = this.own(out);
    if (o.length === 0) return;
    const s = spec;
    const args = [
      this.addr(g),
      this.addr(x),
      s.batch,
      s.channels,
      s.height,
      s.width,
      outChannels,
      s.kernel[0],
      s.kernel[1],
      s.padding[0],
      s.padding[1],
      o.ptr,
    ] as const;
    // Split by output channels, in multiples of the kernel's blocks of three.
    const share = this.convolutionShare(spec, outChannels, { items: outChannels, multiple: 3 });
    if (share !== null) {
      this.parallel!.run(
        [TaskKind.convWeightGrad, ...args],
        outChannels,
        share.chunk,
        this.convScratchBytes(spec, outChannels),
      );
      return;
    }
    this.kernels.conv2dWeightGrad(...args, this.convScratch(spec, outChannels), 0, outChannels);
  }

  maxPool2dForward({ x, spec, out, indices }: MaxPool2dForwardCall): void {
    const o = this.own(out);
    if (o.length === 0) return;
    const s = spec;
    this.kernels.maxPool2dForward(
      this.addr(x),
      s.batch * s.channels,
      ...geometry(s),
      o.ptr,
      this.own(indices).ptr,
    );
  }

  maxPool2dBackward({ g, indices, spec, out }: MaxPool2dBackwardCall): void {
    const o = this.own(out);
    if (o.length === 0) return;
    const planes = spec.batch * spec.channels;
    this.kernels.maxPool2dBackward(
      this.addr(g),
      this.addr(indices),
      planes,
      spec.height * spec.width,
      spec.outHeight * spec.outWidth,
      o.ptr,
    );
  }

  optimizerUpdate(call: OptimizerUpdateCall, buffers: readonly BufferHandle[]): void {
    wasmOptimizerUpdate(
      this,
      call,
      buffers.map((b) => this.own(b)),
    );
  }

  // ---------------------------------------------------------------- helpers

  /** Bytes of scratch the direct convolution kernels need (one padded image and its output runs). */
  private convScratchBytes(s: WindowSpec, outChannels: number): number {
    return this.kernels.conv2dScratchBytes(
      s.channels,
      s.height,
      s.width,
      outChannels,
      s.kernel[0],
      s.kernel[1],
      s.padding[0],
      s.padding[1],
    );
  }

  /** What the direct convolution kernels take after the image count: C, H, W, the weight, O, kh, kw, ph, pw. */
  private convGeometry(s: WindowSpec, weight: View, outChannels: number) {
    return [
      s.channels,
      s.height,
      s.width,
      this.addr(weight),
      outChannels,
      s.kernel[0],
      s.kernel[1],
      s.padding[0],
      s.padding[1],
    ] as const;
  }

  /**
   * Hands a forward or input-gradient convolution to the threads, split by images (the task is the
   * input, `args`, the output and both images' sizes in bytes); false where it stays on this thread.
   */
  private shareImages(
    kind: typeof TaskKind.convForward | typeof TaskKind.convInputGrad,
    s: WindowSpec,
    outChannels: number,
    input: number,
    args: readonly number[],
    output: number,
  ): boolean {
    const share = this.convolutionShare(s, outChannels, { items: s.batch });
    if (share === null) return false;
    const xImage = s.channels * s.height * s.width * 4;
    const yImage = outChannels * s.outHeight * s.outWidth * 4;
    const [inImage, outImage] = kind === TaskKind.convForward ? [xImage, yImage] : [yImage, xImage];
    const task = [kind, input, ...args, output, inImage, outImage];
    this.parallel!.run(task, s.batch, share.chunk, this.convScratchBytes(s, outChannels));
    return true;
  }

  /** The single-threaded direct convolution kernels' scratch block. */
  private convScratch(s: WindowSpec, outChannels: number): number {
    return this.scratchBlock(FUSED_SCRATCH_SLOT, this.convScratchBytes(s, outChannels));
  }

  /**
   * How a direct convolution is shared over its images or its output channels (`split`), or null
   * where it stays on this thread (thread_policy.ts).
   */
  private convolutionShare(s: WindowSpec, outChannels: number, split: Split): Share | null {
    if (this.parallel === null) return null;
    const macs = s.batch * outChannels * s.channels * s.kernel[0] * s.kernel[1] * s.outHeight * s.outWidth;
    return convolutionShare({ macs, ...split }, this.parallel.threads);
  }

  private own(buffer: BufferHandle): WasmBuffer {
    if (!(buffer instanceof WasmBuffer)) {
      throw new TypeError('the wasm backend was given a buffer of another backend');
    }
    if (!buffer.live) throw new Error('the wasm backend was given a released buffer');
    return buffer;
  }

  /** Byte address of a view's first element. */
  private addr(v: View): number {
    return this.own(v.buffer).ptr + v.offset * 4;
  }
}
