/**
 * WebGPU gather and scatterAdd against the reference backend: the same bits (a move; float32 adds in
 * the reference's order, one invocation per column), float32 and int32, with view offsets, repeated
 * indices (several sources into one row) and outputs that are not cleared.
 */
import { describe, it } from 'vitest';
import type { Backend } from '../../../src/backend/backend.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import { at, expectSame, floats, reference, run } from './matmul_support.js';

const gpu = await testWebGpuBackend();

interface Shape {
  readonly outer: number;
  readonly length: number;
  readonly indexLength: number;
  readonly inner: number;
}

const SHAPES: Shape[] = [
  { outer: 1, length: 1, indexLength: 1, inner: 1 },
  { outer: 3, length: 5, indexLength: 7, inner: 2 },
  { outer: 2, length: 4, indexLength: 17, inner: 65 },
  { outer: 65, length: 3, indexLength: 2, inner: 1 },
  { outer: 2, length: 6, indexLength: 0, inner: 3 },
];

/** Indices in [0, length), from index offset 2; several repeat (scatterAdd then sums into one row). */
function indices(s: Shape, seed: number): Int32Array {
  const r = floats(s.outer * s.indexLength * s.inner, seed);
  return Int32Array.of(-5, 99, ...Array.from(r, (v) => Math.floor(((v + 1) / 2) * s.length) % s.length));
}

function data(n: number, seed: number, dtype: 'float32' | 'int32'): Float32Array | Int32Array {
  const f = floats(n + 3, seed, 1000);
  // Float32 values of mixed magnitudes, so that the order of the adds shows in the bits.
  // Every fifth a subnormal (which devices that flush them would turn into 0).
  return dtype === 'int32'
    ? Int32Array.from(f, Math.round)
    : f.map((v, i) => (i % 5 === 0 ? v * 2 ** -140 : i % 3 === 0 ? v * 1e-4 : v));
}

async function gatherOn(backend: Backend, s: Shape, dtype: 'float32' | 'int32') {
  const x = data(s.outer * s.length * s.inner, 1 + s.inner, dtype);
  const [out] = await run(backend, [x, indices(s, 7 + s.outer)], ([bx, bi]) => {
    const o = backend.allocate(dtype, s.outer * s.indexLength * s.inner);
    backend.gather({
      x: at(bx!, 3),
      index: at(bi!, 2),
      outer: s.outer,
      xLength: s.length,
      indexLength: s.indexLength,
      inner: s.inner,
      out: o,
    });
    return [o];
  });
  return out!;
}

async function scatterAddOn(backend: Backend, s: Shape, dtype: 'float32' | 'int32') {
  const src = data(s.outer * s.indexLength * s.inner, 2 + s.inner, dtype);
  const initial = data(s.outer * s.length * s.inner, 5 + s.length, dtype).subarray(3);
  const [out] = await run(backend, [src, indices(s, 9 + s.outer), initial], ([bs, bi, bo]) => {
    backend.scatterAdd({
      src: at(bs!, 3),
      index: at(bi!, 2),
      outer: s.outer,
      outLength: s.length,
      indexLength: s.indexLength,
      inner: s.inner,
      out: bo!,
    });
    return [bo!];
  });
  return out!;
}

describe('webgpu gather and scatterAdd', () => {
  it.skipIf(!gpu)(
    `gather gives the reference's values, float32 and int32 (${webgpuSkipReason})`,
    async () => {
      for (const s of SHAPES) {
        for (const dtype of ['float32', 'int32'] as const) {
          expectSame(
            await gatherOn(gpu!, s, dtype),
            await gatherOn(reference, s, dtype),
            `gather ${dtype} ${JSON.stringify(s)}`,
          );
        }
      }
    },
  );

  it.skipIf(!gpu)(
    `scatterAdd adds into the uncleared output with the reference's bits, repeated rows summed in index order (${webgpuSkipReason})`,
    async () => {
      for (const s of SHAPES) {
        for (const dtype of ['float32', 'int32'] as const) {
          expectSame(
            await scatterAddOn(gpu!, s, dtype),
            await scatterAddOn(reference, s, dtype),
            `scatterAdd ${dtype} ${JSON.stringify(s)}`,
          );
        }
      }
    },
  );
});
