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

/** The fastest build this runtime can run. */
export function detectVariant(): WasmVariant {
  if (typeof WebAssembly !== 'object') throw new Error('this runtime has no WebAssembly');
  if (validates(relaxedSimdProbe)) return 'relaxed-simd';
  if (validates(simdProbe)) return 'simd';
  return 'scalar';
}
