/**
 * The page's side of a lab worker: `run(kind, input, { onProgress })` sends a job and returns its
 * result as a promise plus a `cancel()`. Each panel owns one worker (see `useLabWorker`), so a long
 * training run in one panel never delays another panel's computations.
 */
import type { BackendInfo, FromWorker, ToWorker } from './protocol';

export interface RunningJob<R> {
  /** Resolves with the handler's result; rejects with its error message; never settles once cancelled. */
  result: Promise<R>;
  cancel(): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (data: never) => void;
}

type BackendListener = (info: BackendInfo) => void;

export class LabWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private backendInfo: BackendInfo | undefined;
  private readonly backendListeners = new Set<BackendListener>();

  constructor() {
    this.worker = new Worker(new URL('./lab_worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      const error = new Error(`the lab's worker failed: ${event.message || 'unknown error'}`);
      for (const job of this.pending.values()) job.reject(error);
      this.pending.clear();
    };
  }

  run<R, P = unknown>(
    kind: string,
    input: unknown,
    options: { onProgress?: (data: P) => void } = {},
  ): RunningJob<R> {
    const id = this.nextId++;
    const result = new Promise<R>((resolve, reject) => {
      this.pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: options.onProgress as ((data: never) => void) | undefined,
      });
    });
    this.send({ type: 'job', id, kind, input });
    return {
      result,
      cancel: () => {
        if (this.pending.delete(id)) this.send({ type: 'cancel', id });
      },
    };
  }

  /** Calls `listener` with the worker's backend once known (at once if it already is). */
  onBackend(listener: BackendListener): () => void {
    if (this.backendInfo) listener(this.backendInfo);
    this.backendListeners.add(listener);
    return () => this.backendListeners.delete(listener);
  }

  terminate(): void {
    this.worker.terminate();
    this.pending.clear();
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    if (message.type === 'ready') {
      this.backendInfo = message.backend;
      for (const listener of this.backendListeners) listener(message.backend);
      return;
    }
    const job = this.pending.get(message.id);
    if (!job) return; // cancelled
    if (message.type === 'progress') job.onProgress?.(message.data as never);
    else {
      this.pending.delete(message.id);
      if (message.type === 'done') job.resolve(message.result);
      else job.reject(new Error(message.message));
    }
  }
}
