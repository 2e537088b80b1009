import type { OptimizerUpdateCall } from '../optimizer_update.js';
import type { WasmBackend, WasmBuffer } from './wasm_backend.js';

/** Runs a fused optimizer update in the WebAssembly kernels. (Placeholder.) */
export function wasmOptimizerUpdate(
  _backend: WasmBackend,
  call: OptimizerUpdateCall,
  _buffers: readonly WasmBuffer[],
): void {
  throw new Error(`optimizerUpdate: unknown update kind '${call.kind}'`);
}
