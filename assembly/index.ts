/**
 * The descent WebAssembly kernels: one module, compiled by scripts/build_wasm.mjs as scalar, SIMD and
 * relaxed-SIMD (fused multiply-add) builds, the SIMD ones also over a shared memory for threads, and
 * picked at run time by feature probes.
 *
 * Memory belongs to the host: the module imports its linear memory, and the TypeScript side
 * (src/backend/wasm/) allocates every buffer, including the descriptors and scratch space the kernels
 * read, so the kernels themselves never allocate.
 */
export { copy, fill32, unary, binary, where } from './elementwise';
export { reduce } from './reduce';
export { softmax } from './softmax';
export { gather, scatterAdd } from './gather';
export { im2col, col2im } from './im2col';
export { conv2dForward, conv2dInputGrad, conv2dWeightGrad, conv2dScratchBytes } from './conv';
export { gemm, gemmRows, gemmScratchBytes } from './gemm';
export * from './optim';
export * from './fused';

/** The first byte the host may use: everything below belongs to the module's static data. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
