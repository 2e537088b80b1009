/** `--backend`: which backend the CLI's tensors live on (the WebAssembly one unless told otherwise). */

import { ReferenceBackend } from '../backend/reference/reference_backend.js';
import { getBackend, setBackend } from '../backend/registry.js';
import { WasmBackend } from '../backend/wasm/wasm_backend.js';

export function selectBackend(name: 'reference' | 'wasm' | undefined): void {
  if (name === undefined || name === getBackend().name) return;
  setBackend(name === 'reference' ? new ReferenceBackend() : new WasmBackend());
}
