/**
 * A WebGPU backend with a synchronous `read`, for Node (exported from descent/node).
 *
 * A GPU reads back asynchronously, so WebGpuBackend has only readAsync and the library's synchronous
 * API (`tensor.data()`, `fit`, every test spec) cannot run on it. In Node a thread may block, so this
 * backend runs a real WebGpuBackend in a worker thread (bridge_worker.ts) and forwards every call
 * there: `allocate` returns a handle at once (the calling thread numbers its buffers itself), kernels
 * are queued and posted in batches, and `read` posts the queue with a read request and blocks in
 * Atomics.wait until the worker has run everything before it, read the buffer back and posted the
 * data (drained with receiveMessageOnPort). `readAsync` works too, without blocking.
 *
 * Errors: a kernel that throws in the worker is reported at the next `read` or `flush` (or the next
 * readAsync), as an Error naming the kernel (`webgpu worker: matmul failed: …`); what was queued
 * after it still runs. A GPU out-of-memory error surfaces the same way.
 *
 * The worker is unref'd: it never keeps a process alive (a pending readAsync holds it until it
 * settles). `destroy()` releases the device and ends the worker.
 *
 * @example
 * import { createBlockingWebGpuBackend, setBackend } from 'descent/node';
 * setBackend(await createBlockingWebGpuBackend()); // tensor.data(), fit… now run on the GPU
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { DType, TypedArray } from '../../../tensor/dtype.js';
import { checkOptions } from '../../../util/options.js';
import type {
  Backend,
  BinaryOp,
  BufferHandle,
  Col2imCall,
  FusedKernels,
  GatherCall,
  Im2colCall,
  MatmulSpec,
  ReduceCall,
  ScatterAddCall,
  SoftmaxCall,
  UnaryCall,
  View,
} from '../../backend.js';
import { checkOptimizerUpdate } from '../../optimizer_update.js';
import type { Precision } from '../../precision.js';
import type { BridgeWorkerData } from './bridge_worker.js';
import {
  type Batch,
  type Call,
  encodeArgs,
  type InitReply,
  type Reply,
  type Request,
  rebuildError,
} from './protocol.js';
import { workerScript } from './worker_script.js';

export interface BlockingWebGpuOptions {
  /** Passed to the adapter request (requestWebGpuDevice). */
  readonly powerPreference?: 'low-power' | 'high-performance';
  /**
   * How long a read or flush waits for the worker before it throws, in milliseconds (default 600 000:
   * a read waits for every kernel queued before it, which on a CPU emulation of a GPU can take long).
   */
  readonly timeoutMs?: number;
}

/** What createBlockingWebGpuBackend returns: a Backend whose read, flush and destroy are always there. */
export interface BlockingWebGpuBackend extends Backend {
  readonly adapterName: string;
  read(buffer: BufferHandle): TypedArray;
  flush(): void;
  /** Releases the GPU device and ends the worker; the backend cannot be used afterwards. */
  destroy(): void;
}

/** Calls queued before the queue is posted to the worker without waiting for a read. */
const BATCH_CALLS = 256;

/** The calling thread's handle: the worker holds the real buffer under the same id. */
class BridgeBuffer implements BufferHandle {
  released = false;
  constructor(
    readonly dtype: DType,
    readonly length: number,
    readonly id: number,
  ) {}
}

function idOf(x: object): number | undefined {
  if (x instanceof BridgeBuffer) return x.id;
  if ('dtype' in x && 'length' in x) {
    throw new TypeError('webgpu: a buffer of another backend was passed to the WebGPU backend');
  }
  return undefined;
}

type Ready = Extract<InitReply, { type: 'ready' }>;

class BlockingBackend implements BlockingWebGpuBackend {
  readonly name = 'webgpu';
  readonly precision: Precision;
  readonly adapterName: string;
  private readonly dtypes: ReadonlySet<DType>;
  private readonly flag: Int32Array;
  private queue: Call[] = [];
  private transfer: ArrayBuffer[] = [];
  private postScheduled = false;
  private nextId = 1;
  private live = 0;
  private nextToken = 1;
  private readonly pending = new Map<
    number,
    { resolve: (d: TypedArray) => void; reject: (e: Error) => void }
  >();
  private gone: string | null = null;

  constructor(
    private readonly worker: Worker,
    private readonly syncPort: MessagePort,
    flag: SharedArrayBuffer,
    ready: Ready,
    private readonly timeoutMs: number,
  ) {
    this.flag = new Int32Array(flag);
    this.precision = ready.precision;
    this.adapterName = ready.adapterName;
    this.dtypes = new Set(ready.dtypes);
    for (const kernel of ready.fused) {
      (this as unknown as Record<string, unknown>)[kernel] = (...args: unknown[]) =>
        this.enqueue(kernel, args);
    }
    if (ready.fused.includes('optimizerUpdate')) {
      // Its argument errors are thrown at the call on every backend (the optimizer relies on it), so
      // they are checked here rather than at the next read.
      (this as unknown as FusedKernels).optimizerUpdate = (call, buffers) => {
        checkOptimizerUpdate(call, buffers);
        this.enqueue('optimizerUpdate', [call, buffers]);
      };
    }
    worker.on('message', (reply: Reply) => this.settle(reply));
    worker.on('exit', () => this.workerGone('the WebGPU worker has exited'));
    worker.on('error', (error) => this.workerGone(`the WebGPU worker failed: ${error.message}`));
    // Listening for messages refs the worker's port again: unref it, so it never keeps a process alive.
    worker.unref();
  }

  supports(dtype: DType): boolean {
    return this.dtypes.has(dtype);
  }

  allocate(dtype: DType, length: number): BufferHandle {
    if (!this.supports(dtype)) {
      throw new TypeError(
        `webgpu: ${dtype} is not stored on this backend (${[...this.dtypes].join(' and ')} are)`,
      );
    }
    const buffer = new BridgeBuffer(dtype, length, this.nextId++);
    this.push({ method: 'allocate', id: buffer.id, dtype, length });
    this.live += length * 4;
    return buffer;
  }

  release(buffer: BufferHandle): void {
    const b = this.own(buffer);
    if (b.released) return;
    b.released = true;
    this.live -= b.length * 4;
    // After destroy() the memory went with the device: a late release (a tensor's finalizer) is a no-op.
    if (this.gone === null) this.push({ method: 'release', id: b.id });
  }

  bytesInUse(): number {
    return this.live;
  }

  write(buffer: BufferHandle, data: TypedArray): void {
    const copy = data.slice();
    this.transfer.push(copy.buffer as ArrayBuffer);
    this.enqueue('write', [buffer, copy]);
  }

  read(buffer: BufferHandle): TypedArray {
    return this.answerOf(this.syncRequest({ kind: 'read', id: this.own(buffer).id, sync: true }));
  }

  readAsync(buffer: BufferHandle): Promise<TypedArray> {
    const id = this.own(buffer).id;
    return new Promise((resolve, reject) => {
      this.checkAlive();
      const token = this.nextToken++;
      this.pending.set(token, { resolve, reject });
      this.worker.ref();
      this.post({ kind: 'read', id, sync: false, token });
    });
  }

  flush(): void {
    this.answerOf(this.syncRequest({ kind: 'flush', sync: true }));
  }

  /** Releases the GPU device and ends the worker; the backend cannot be used afterwards. */
  destroy(): void {
    if (this.gone !== null) return;
    this.post();
    this.worker.postMessage({ type: 'destroy' });
    this.workerGone('the WebGPU backend was destroyed');
  }

  fill(out: BufferHandle, value: number): void {
    this.enqueue('fill', [out, value]);
  }
  copy(src: View, dst: View): void {
    this.enqueue('copy', [src, dst]);
  }
  unary(call: UnaryCall, x: View, out: BufferHandle): void {
    this.enqueue('unary', [call, x, out]);
  }
  binary(op: BinaryOp, a: View, b: View, out: BufferHandle): void {
    this.enqueue('binary', [op, a, b, out]);
  }
  where(cond: View, a: View, b: View, out: BufferHandle): void {
    this.enqueue('where', [cond, a, b, out]);
  }
  reduce(call: ReduceCall): void {
    this.enqueue('reduce', [call]);
  }
  matmul(a: View, b: View, spec: MatmulSpec, out: BufferHandle): void {
    this.enqueue('matmul', [a, b, spec, out]);
  }
  softmax(call: SoftmaxCall): void {
    this.enqueue('softmax', [call]);
  }
  gather(call: GatherCall): void {
    this.enqueue('gather', [call]);
  }
  scatterAdd(call: ScatterAddCall): void {
    this.enqueue('scatterAdd', [call]);
  }
  im2col(call: Im2colCall): void {
    this.enqueue('im2col', [call]);
  }
  col2im(call: Col2imCall): void {
    this.enqueue('col2im', [call]);
  }

  private own(buffer: BufferHandle): BridgeBuffer {
    if (buffer instanceof BridgeBuffer) return buffer;
    throw new TypeError('webgpu: a buffer of another backend was passed to the WebGPU backend');
  }

  private enqueue(method: string, args: readonly unknown[]): void {
    this.push({ method, args: args.map((a) => encodeArgs(a, idOf)) });
  }

  private push(call: Call): void {
    this.checkAlive();
    this.queue.push(call);
    if (this.queue.length >= BATCH_CALLS) this.post();
    else if (!this.postScheduled) {
      // Hands the calls over when the current task yields, so the worker starts on them early.
      this.postScheduled = true;
      queueMicrotask(() => {
        this.postScheduled = false;
        if (this.queue.length > 0 && this.gone === null) this.post();
      });
    }
  }

  /** Posts the queued calls, and `request` after them. */
  private post(request?: Request): void {
    const batch: Batch = request
      ? { type: 'batch', calls: this.queue, request }
      : { type: 'batch', calls: this.queue };
    const transfer = this.transfer;
    this.queue = [];
    this.transfer = [];
    if (batch.calls.length > 0 || request) this.worker.postMessage(batch, transfer);
  }

  /** Posts the queue with `request` and blocks until the worker answers it. */
  private syncRequest(request: Request): Reply {
    this.checkAlive();
    Atomics.store(this.flag, 0, 0);
    this.post(request);
    const deadline = Date.now() + this.timeoutMs;
    // Word 1 stays set once the worker has exited (a crash between two reads included).
    while (Atomics.load(this.flag, 0) === 0 && Atomics.load(this.flag, 1) === 0) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `webgpu: the WebGPU worker did not answer a ${request.kind} within ${this.timeoutMs} ms (the timeoutMs option of createBlockingWebGpuBackend)`,
        );
      }
      Atomics.wait(this.flag, 0, 0, left);
    }
    const received = receiveMessageOnPort(this.syncPort);
    if (received === undefined) {
      this.workerGone('the WebGPU worker has exited');
      throw new Error(`webgpu: the WebGPU worker has exited before answering a ${request.kind}`);
    }
    return received.message as Reply;
  }

  private answerOf(reply: Reply): TypedArray {
    if (!reply.ok) throw rebuildError(reply.error);
    return reply.data as TypedArray;
  }

  private settle(reply: Reply): void {
    const waiting = reply.token === undefined ? undefined : this.pending.get(reply.token);
    if (!waiting || reply.token === undefined) return;
    this.pending.delete(reply.token);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) waiting.resolve(reply.data as TypedArray);
    else waiting.reject(rebuildError(reply.error));
  }

  private checkAlive(): void {
    if (this.gone !== null) throw new Error(`webgpu: ${this.gone}; create a new backend`);
  }

  private workerGone(why: string): void {
    this.gone ??= why;
    for (const { reject } of this.pending.values()) reject(new Error(`webgpu: ${why}`));
    this.pending.clear();
    this.worker.unref();
  }
}

/**
 * A WebGPU backend whose `read` is synchronous (see the file comment), for Node. Rejects with the
 * adapter's message (WebGpuUnavailableError's) when there is no WebGPU adapter.
 */
export async function createBlockingWebGpuBackend(
  options: BlockingWebGpuOptions = {},
): Promise<BlockingWebGpuBackend> {
  checkOptions('createBlockingWebGpuBackend', options, { powerPreference: true, timeoutMs: true });
  const timeoutMs = options.timeoutMs ?? 600_000;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new RangeError(
      `createBlockingWebGpuBackend: timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`,
    );
  }
  const { port1, port2 } = new MessageChannel();
  const flag = new SharedArrayBuffer(8);
  const workerData: BridgeWorkerData = {
    syncPort: port2,
    flag,
    ...(options.powerPreference && { powerPreference: options.powerPreference }),
  };
  const worker = new Worker(await workerScript(), { workerData, transferList: [port2] });
  worker.unref();
  port1.unref();
  const ready = await initReply(worker);
  return new BlockingBackend(worker, port1, flag, ready, timeoutMs);
}

/** The worker's first message; the worker is ended when it failed. */
function initReply(worker: Worker): Promise<Ready> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      void worker.terminate();
      reject(error);
    };
    worker.once('message', (reply: InitReply) => {
      worker.off('error', fail);
      if (reply.type === 'ready') resolve(reply);
      else fail(rebuildError(reply.error, { bare: true }));
    });
    worker.once('error', fail);
    worker.once('exit', (code) =>
      fail(new Error(`webgpu: the WebGPU worker exited (code ${code}) before it started`)),
    );
    worker.ref();
  }).finally(() => worker.unref()) as Promise<Ready>;
}
