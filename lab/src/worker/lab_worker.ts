/**
 * The lab's Web Worker: it starts descent's WebAssembly backend (with Web Worker threads when the
 * page is cross-origin isolated) and runs the panels' jobs, so that training never blocks the page.
 */
import { initWasmBackend, useWebWorkerThreads } from 'descent';
import { handlers } from './handlers';
import { type BackendInfo, type FromWorker, JobCancelled, type JobContext, type ToWorker } from './protocol';

const post = (message: FromWorker) => (self as unknown as Worker).postMessage(message);
const cancelled = new Set<number>();

async function startBackend(): Promise<BackendInfo> {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  try {
    await initWasmBackend();
  } catch (error) {
    return { name: 'reference', threads: 1, isolated, note: `WebAssembly unavailable: ${String(error)}` };
  }
  if (!isolated) return { name: 'wasm', threads: 1, isolated, note: 'the page is not cross-origin isolated' };
  const cores = navigator.hardwareConcurrency ?? 1;
  const threads = Math.max(1, Math.min(4, cores));
  if (threads === 1) return { name: 'wasm', threads, isolated, note: 'one core' };
  try {
    await useWebWorkerThreads({ threads });
    return { name: 'wasm', threads, isolated };
  } catch (error) {
    return { name: 'wasm', threads: 1, isolated, note: `threads unavailable: ${String(error)}` };
  }
}

const ready = startBackend().then((backend) => {
  post({ type: 'ready', backend });
  return backend;
});

function contextFor(id: number): JobContext {
  return {
    progress: (data) => post({ type: 'progress', id, data }),
    cancelled: () => cancelled.has(id),
    yield: () =>
      new Promise<void>((resolve, reject) =>
        setTimeout(() => (cancelled.has(id) ? reject(new JobCancelled()) : resolve()), 0),
      ),
  };
}

async function runJob(id: number, kind: string, input: unknown): Promise<void> {
  await ready;
  const handler = handlers[kind];
  try {
    if (!handler) throw new Error(`unknown job kind ${JSON.stringify(kind)}`);
    const result = await handler(input as never, contextFor(id));
    if (!cancelled.has(id)) post({ type: 'done', id, result });
  } catch (error) {
    if (error instanceof JobCancelled || cancelled.has(id)) return;
    post({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
  } finally {
    cancelled.delete(id);
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'cancel') cancelled.add(message.id);
  else void runJob(message.id, message.kind, message.input);
};
