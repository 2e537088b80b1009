/**
 * `--backend` and `--threads`: which backend the CLI's tensors live on — the WebAssembly one unless
 * told otherwise — and how many threads its matrix products use: one per core by default, as the
 * results do not depend on the thread count.
 */
import { availableParallelism } from 'node:os';
import { ReferenceBackend } from '../backend/reference/reference_backend.js';
import { getBackend, setBackend } from '../backend/registry.js';
import { useWasmThreads } from '../backend/wasm/threads_node.js';
import { threadCount } from '../backend/wasm/threads_protocol.js';
import { WasmBackend } from '../backend/wasm/wasm_backend.js';

export function selectBackend(name: 'reference' | 'wasm' | undefined, requested?: number): void {
  const threads = threadCount('--threads', { threads: requested }, availableParallelism());
  const current = getBackend();
  if (name === 'reference') {
    if (!(current instanceof ReferenceBackend)) setBackend(new ReferenceBackend());
    return;
  }
  if (name === undefined && !(current instanceof WasmBackend)) return; // DESCENT_BACKEND=reference
  if (current instanceof WasmBackend && current.threads === threads) return;
  if (threads > 1) useWasmThreads({ threads });
  else setBackend(new WasmBackend());
}
