/**
 * Which WebAssembly features this runtime has, asked the standard way: `WebAssembly.validate` on tiny
 * probe modules (a function returning a v128 constant; one applying f32x4.relaxed_madd).
 */

export type WasmVariant = 'relaxed-simd' | 'simd' | 'scalar';

const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
// One type, () → v128, and one function of that type.
const typeAndFunction = [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00];
const v128Zero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

function probe(body: number[]): Uint8Array<ArrayBuffer> {
  const code = [0x00, ...body, 0x0b]; // no locals, the body, end
  const section = [0x01, code.length, ...code];
  return new Uint8Array([...header, ...typeAndFunction, 0x0a, section.length, ...section]);
}

/** (func (result v128) v128.const 0) */
export const simdProbe = probe(v128Zero);
/** (func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0))) */
export const relaxedSimdProbe = probe([...v128Zero, ...v128Zero, ...v128Zero, 0xfd, 0x85, 0x02]);

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

interface NodeProcess {
  versions?: { node?: string };
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
}

function nodeProcess(): NodeProcess | undefined {
  const proc = (globalThis as { process?: NodeProcess }).process;
  return proc?.versions?.node === undefined ? undefined : proc;
}

let relaxedFlagTried = false;

/**
 * Node 20 (V8 11.3) ships relaxed SIMD behind `--experimental-wasm-relaxed-simd`; Node 22 and every
 * current browser have it on. The flag only changes what WebAssembly.validate/compile accept, so it
 * can be turned on at run time, before the first module is compiled, with `v8.setFlagsFromString`
 * (reached through `process.getBuiltinModule`, Node ≥ 20.16, so that this file stays browser-safe).
 * That gives Node 20 the fused multiply-add GEMM (about 1.4× faster) and makes it run the same build
 * as browsers. DESCENT_WASM_VARIANT=simd opts out.
 */
function enableRelaxedSimdInNode(): void {
  if (relaxedFlagTried) return;
  relaxedFlagTried = true;
  const proc = nodeProcess();
  if (proc === undefined || typeof proc.getBuiltinModule !== 'function') return;
  try {
    const v8 = proc.getBuiltinModule('node:v8') as { setFlagsFromString?: (flags: string) => void };
    v8.setFlagsFromString?.('--experimental-wasm-relaxed-simd');
  } catch {
    // An embedder that forbids flag changes keeps plain SIMD.
  }
}

const variants: readonly WasmVariant[] = ['relaxed-simd', 'simd', 'scalar'];

/** DESCENT_WASM_VARIANT from the environment (Node), checked; undefined when unset or in browsers. */
export function requestedVariant(): WasmVariant | undefined {
  const value = nodeProcess()?.env?.DESCENT_WASM_VARIANT;
  if (value === undefined || value === '') return undefined;
  if (!(variants as readonly string[]).includes(value)) {
    throw new Error(`DESCENT_WASM_VARIANT=${value} is not a build; use ${variants.join(', ')}`);
  }
  return value as WasmVariant;
}

/**
 * The build to run: DESCENT_WASM_VARIANT when set (Node), else the fastest this runtime can run.
 * The relaxed-SIMD build fuses the matrix product's multiply-adds where the processor has FMA, so its
 * products differ from the plain SIMD build's in the last bits (identical from run to run).
 */
export function detectVariant(): WasmVariant {
  if (typeof WebAssembly !== 'object') throw new Error('this runtime has no WebAssembly');
  const requested = requestedVariant();
  if (requested === 'relaxed-simd' || requested === undefined) enableRelaxedSimdInNode();
  const best: WasmVariant = validates(relaxedSimdProbe)
    ? 'relaxed-simd'
    : validates(simdProbe)
      ? 'simd'
      : 'scalar';
  if (requested === undefined) return best;
  if (variants.indexOf(requested) < variants.indexOf(best)) {
    throw new Error(
      `DESCENT_WASM_VARIANT=${requested}: this runtime cannot run that build; the best it has is ${best}`,
    );
  }
  return requested;
}
