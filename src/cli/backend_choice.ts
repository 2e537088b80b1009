/**
 * `--backend` and `--threads`: which backend the CLI's tensors live on — the WebAssembly one unless
 * told otherwise (the flag, else DESCENT_BACKEND) — and how many threads its matrix products use: one
 * per core by default, as the results do not depend on the thread count.
 *
 * webgpu runs through createBlockingWebGpuBackend (the WebGPU backend in a worker thread, with a
 * synchronous read): the commands read tensors synchronously in places (checkpoints, layer statistics,
 * evaluation, experiments), which the direct WebGpuBackend cannot. No adapter is bad input or
 * environment (exit 2, the adapter's message saying what was tried and what to do). auto uses WebGPU
 * where a device can be had and otherwise wasm, saying so in one line on stderr; it never fails for
 * want of a GPU. `--threads` sets wasm threads, so webgpu, like reference, refuses it; auto takes it
 * for the fallback.
 */
import { availableParallelism } from 'node:os';
import type { Backend } from '../backend/backend.js';
import { ReferenceBackend } from '../backend/reference/reference_backend.js';
import { type BackendName, getBackend, requestedBackend, setBackend } from '../backend/registry.js';
import { useWasmThreads } from '../backend/wasm/threads_node.js';
import { threadCount } from '../backend/wasm/threads_protocol.js';
import { WasmBackend } from '../backend/wasm/wasm_backend.js';
import { isWebGpuUnavailable } from '../backend/webgpu/adapter.js';
import { autoFallbackLine } from '../backend/webgpu/init.js';
import {
  type BlockingWebGpuBackend,
  createBlockingWebGpuBackend,
} from '../backend/webgpu/node/blocking_backend.js';
import { UsageError } from './exit_codes.js';

/** What a command asks for. */
export interface BackendRequest {
  /** `--backend`; undefined: DESCENT_BACKEND, else the current default (wasm). */
  readonly name: BackendName | undefined;
  /** `--threads` (wasm only). */
  readonly threads?: number | undefined;
  /** Where auto's one-line fallback note goes (default: stderr, so that --json's stdout stays clean). */
  readonly note?: (line: string) => void;
}

/** What the command runs on: for the start line, summary.json and `descent info`. */
export interface SelectedBackend {
  /** reference, wasm or webgpu (auto resolved). */
  readonly name: string;
  /** The WebGPU adapter's name (webgpu only). */
  readonly adapterName?: string;
}

/** A WebGPU backend this module made the default, to destroy when the command ends. */
let owned: { backend: BlockingWebGpuBackend; previous: Backend } | undefined;

/** Makes the requested backend the default for the command's tensors. */
export async function selectBackend(request: BackendRequest): Promise<SelectedBackend> {
  releaseBackend();
  const name = request.name ?? environmentBackend();
  // How the request is named in messages: the flag, or the variable it came from.
  const asked = request.name !== undefined ? `--backend ${name}` : `DESCENT_BACKEND=${name}`;
  if (name === 'webgpu' && request.threads !== undefined) {
    throw new UsageError(`--threads sets the WebAssembly backend's threads; ${asked} would ignore it`);
  }
  switch (name) {
    case undefined:
      return useDefault(request.threads);
    case 'reference':
      return useReference();
    case 'wasm':
      return useWasm(request.threads);
    case 'webgpu':
      return useWebGpu(asked);
    case 'auto':
      return useAuto(request);
  }
}

/**
 * Ends what `selectBackend` started for WebGPU (the worker and its device) and restores the default
 * from before; nothing for the CPU backends. main() calls it when a command ends, however it ends.
 */
export function releaseBackend(): void {
  if (owned === undefined) return;
  const { backend, previous } = owned;
  owned = undefined;
  if (getBackend() === backend) setBackend(previous);
  backend.destroy();
}

/** DESCENT_BACKEND, a value that names no backend being bad input (exit 2) like a bad flag. */
export function environmentBackend(): BackendName | undefined {
  try {
    return requestedBackend();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** No flag, no DESCENT_BACKEND: wasm, unless the process already made another default (tests do). */
function useDefault(threads: number | undefined): SelectedBackend {
  const current = getBackend();
  if (!(current instanceof WasmBackend)) return { name: current.name };
  return useWasm(threads);
}

function useReference(): SelectedBackend {
  if (!(getBackend() instanceof ReferenceBackend)) setBackend(new ReferenceBackend());
  return { name: 'reference' };
}

function useWasm(requested: number | undefined): SelectedBackend {
  const threads = threadCount('--threads', { threads: requested }, availableParallelism());
  const current = getBackend();
  if (current instanceof WasmBackend && current.threads === threads) return { name: 'wasm' };
  if (threads > 1) useWasmThreads({ threads });
  else setBackend(new WasmBackend());
  return { name: 'wasm' };
}

/** WebGPU or a UsageError naming `asked` and the adapter's explanation. */
async function useWebGpu(asked: string): Promise<SelectedBackend> {
  try {
    return await openWebGpu();
  } catch (error) {
    if (isWebGpuUnavailable(error)) throw new UsageError(`${asked}: ${(error as Error).message}`);
    throw error;
  }
}

/**
 * WebGPU where a device can be had, else wasm with one line saying why: any failure to start the
 * WebGPU backend counts as "no GPU" here, so that auto never fails for want of one.
 */
async function useAuto(request: BackendRequest): Promise<SelectedBackend> {
  try {
    return await openWebGpu();
  } catch (error) {
    const note = request.note ?? ((line: string) => process.stderr.write(`${line}\n`));
    note(autoFallbackLine(error));
    return useWasm(request.threads);
  }
}

async function openWebGpu(): Promise<SelectedBackend> {
  const backend = await createBlockingWebGpuBackend();
  owned = { backend, previous: setBackend(backend) };
  return { name: backend.name, adapterName: backend.adapterName };
}

/** The line that names the backend a command runs on (the start of `train`, `descent info`). */
export function backendLine(selected: SelectedBackend): string {
  return selected.adapterName === undefined
    ? `backend: ${selected.name}`
    : `backend: ${selected.name} (${selected.adapterName})`;
}
