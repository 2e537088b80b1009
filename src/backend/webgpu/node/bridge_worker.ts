/**
 * The worker of the blocking WebGPU backend (blocking_backend.ts): it owns a real WebGpuBackend, runs
 * the calls the calling thread posts in batches, in order, and answers reads and flushes. Node only;
 * started by blocking_backend.ts as compiled JavaScript (dist) or as an esbuild bundle of this file
 * (source tree, see worker_script.ts).
 *
 * A call that throws does not stop the ones after it (the calling thread has moved on long ago): the
 * first error is kept, with the method's name, and is the answer to the next read or flush.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { DType } from '../../../tensor/dtype.js';
import type { BufferHandle } from '../../backend.js';
import { FUSED_KERNELS } from '../../capabilities.js';
import { requestWebGpuDevice } from '../adapter.js';
import { WebGpuBackend } from '../webgpu_backend.js';
import {
  type Batch,
  type Call,
  decodeArgs,
  type InitReply,
  type MethodCall,
  type RemoteError,
  type Reply,
  type Request,
  toRemoteError,
} from './protocol.js';

/** What the calling thread hands the worker at start. */
export interface BridgeWorkerData {
  /** Where synchronous answers go (drained with receiveMessageOnPort). */
  readonly syncPort: MessagePort;
  /**
   * Two Int32 words: [0] set to 1 and notified when a synchronous answer has been posted; [1] set to
   * 1 (and [0] notified) when the worker exits, never cleared.
   */
  readonly flag: SharedArrayBuffer;
  readonly powerPreference?: 'low-power' | 'high-performance';
}

const DTYPES: readonly DType[] = ['float32', 'int32', 'float64'];

class Bridge {
  private readonly handles = new Map<number, BufferHandle>();
  private firstError: RemoteError | null = null;
  private readonly flag: Int32Array;

  constructor(
    private readonly backend: WebGpuBackend,
    private readonly data: BridgeWorkerData,
  ) {
    this.flag = new Int32Array(data.flag);
  }

  async run(batch: Batch): Promise<void> {
    for (const call of batch.calls) this.call(call);
    if (batch.request) await this.answer(batch.request);
  }

  private call(call: Call): void {
    try {
      if (call.method === 'allocate' && 'id' in call && 'dtype' in call) {
        this.handles.set(call.id, this.backend.allocate(call.dtype, call.length));
      } else if (call.method === 'release' && 'id' in call) {
        const handle = this.handles.get(call.id);
        this.handles.delete(call.id);
        if (handle) this.backend.release(handle);
      } else {
        const { method, args } = call as MethodCall;
        const decoded = args.map((a) => decodeArgs(a, (id) => this.handle(id)));
        const f = (this.backend as unknown as Record<string, (...a: unknown[]) => unknown>)[method];
        if (typeof f !== 'function') throw new Error(`the WebGPU backend has no method ${method}`);
        f.apply(this.backend, decoded);
      }
    } catch (error) {
      this.firstError ??= toRemoteError(error, call.method);
    }
  }

  private handle(id: number): BufferHandle {
    const handle = this.handles.get(id);
    if (!handle) throw new Error(`buffer #${id} is not allocated (released, or its allocation failed)`);
    return handle;
  }

  private async answer(request: Request): Promise<void> {
    const reply = await this.reply(request);
    const target = request.sync ? this.data.syncPort : parentPort;
    const message = request.sync ? reply : { ...reply, token: request.token };
    try {
      target?.postMessage(message, transferable(reply));
    } catch (error) {
      const failed: Reply = { ok: false, error: toRemoteError(error, request.kind) };
      target?.postMessage(request.sync ? failed : { ...failed, token: request.token });
    }
    if (request.sync) {
      // The message is in the port's queue before the flag is set: the waiting thread finds it.
      Atomics.store(this.flag, 0, 1);
      Atomics.notify(this.flag, 0);
    }
  }

  /** Runs the request; the first error of the calls before it wins over its own. */
  private async reply(request: Request): Promise<Reply> {
    let result: Reply;
    try {
      if (request.kind === 'flush') {
        this.backend.flush();
        result = { ok: true };
      } else {
        result = { ok: true, data: await this.backend.readAsync(this.handle(request.id)) };
      }
    } catch (error) {
      result = { ok: false, error: toRemoteError(error, request.kind) };
    }
    const earlier = this.firstError;
    this.firstError = null;
    return earlier ? { ok: false, error: earlier } : result;
  }
}

/** The reply's data buffer, moved rather than copied when the data is all of it. */
function transferable(reply: Reply): ArrayBuffer[] {
  if (!reply.ok || !reply.data) return [];
  const { buffer, byteLength } = reply.data;
  return buffer instanceof ArrayBuffer && buffer.byteLength === byteLength ? [buffer] : [];
}

async function start(data: BridgeWorkerData): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('bridge_worker.ts runs only as a worker thread');
  let backend: WebGpuBackend;
  try {
    const { device, adapterName } = await requestWebGpuDevice(
      data.powerPreference ? { powerPreference: data.powerPreference } : {},
    );
    backend = new WebGpuBackend({ device, adapterName });
  } catch (error) {
    port.postMessage({ type: 'failed', error: toRemoteError(error, 'init') } satisfies InitReply);
    return;
  }
  const bridge = new Bridge(backend, data);
  // One batch at a time, in order: a read awaits the device before the next batch's calls run.
  let queue = Promise.resolve();
  port.on('message', (message: Batch | { type: 'destroy' }) => {
    if (message.type === 'destroy') {
      queue = queue.then(() => {
        backend.destroy();
        port.close();
      });
      return;
    }
    queue = queue.then(() => bridge.run(message));
  });
  const ready: InitReply = {
    type: 'ready',
    name: backend.name,
    adapterName: backend.adapterName,
    precision: backend.precision,
    dtypes: DTYPES.filter((d) => backend.supports(d)),
    fused: FUSED_KERNELS.filter(
      (k) => typeof (backend as unknown as Record<string, unknown>)[k] === 'function',
    ),
  };
  port.postMessage(ready);
}

// A thread blocked in a read would otherwise wait for its timeout if the worker ended without answering.
process.on('exit', () => {
  const flag = new Int32Array((workerData as BridgeWorkerData).flag);
  Atomics.store(flag, 1, 1);
  Atomics.notify(flag, 0);
});

void start(workerData as BridgeWorkerData);
