/**
 * The WebGPU matrix product against the reference backend: within the declared float32 accumulation
 * bound (|Δ| ≤ k·accumulation·Σ|aᵢbᵢ|) for every transpose combination, odd sizes on both sides of
 * the tile edges, view offsets, batches with broadcast operands and more batch dimensions than the
 * shader decomposes; the same bits whatever the path and tile shape; and the grid arithmetic (batch
 * chunks, leading batch dimensions, refused tiles) on a recording context.
 */
import { describe, expect, it } from 'vitest';
import type { Backend, MatmulSpec } from '../../../src/backend/backend.js';
import { DEFAULT_TILE, type GemmTile, matrixOperand } from '../../../src/backend/webgpu/kernels/gemm_wgsl.js';
import {
  choosePath,
  chooseTile,
  collapseBatch,
  matmul,
  recordGemm,
} from '../../../src/backend/webgpu/kernels/matmul.js';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';
import {
  at,
  expectAccumulated,
  expectSame,
  floats,
  narrowed,
  recording,
  reference,
  run,
} from './matmul_support.js';

const gpu = await testWebGpuBackend();
const accumulation = gpu?.precision.accumulation ?? 2 ** -23;

interface Case {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transA?: boolean;
  readonly transB?: boolean;
  readonly batchShape?: readonly number[];
  readonly aBatchStrides?: readonly number[];
  readonly bBatchStrides?: readonly number[];
}

const A_OFFSET = 3;
const B_OFFSET = 5;

function specOf(c: Case): MatmulSpec {
  return {
    m: c.m,
    n: c.n,
    k: c.k,
    transA: c.transA ?? false,
    transB: c.transB ?? false,
    batchShape: c.batchShape ?? [],
    aBatchStrides: c.aBatchStrides ?? [],
    bBatchStrides: c.bBatchStrides ?? [],
  };
}

/** Elements an operand needs: its offset, its last batch's start and one matrix. */
function extent(
  offset: number,
  shape: readonly number[],
  strides: readonly number[],
  matrix: number,
): number {
  return offset + shape.reduce((s, d, i) => s + (d - 1) * strides[i]!, 0) + matrix;
}

/** The product on a backend, with A and B from their offsets; `abs` multiplies |A| by |B|. */
async function product(backend: Backend, c: Case, abs = false): Promise<Float32Array> {
  const s = specOf(c);
  const batch = s.batchShape.reduce((x, y) => x * y, 1);
  let a = floats(extent(A_OFFSET, s.batchShape, s.aBatchStrides, c.m * c.k), 11 + c.m + 7 * c.k);
  let b = floats(extent(B_OFFSET, s.batchShape, s.bBatchStrides, c.k * c.n), 13 + c.n + 5 * c.k);
  if (abs) [a, b] = [a.map(Math.abs), b.map(Math.abs)];
  const [out] = await run(backend, [a, b], ([ba, bb]) => {
    const o = backend.allocate('float32', batch * c.m * c.n);
    backend.matmul(at(ba!, A_OFFSET), at(bb!, B_OFFSET), s, o);
    return [o];
  });
  return out as Float32Array;
}

async function expectProduct(c: Case): Promise<void> {
  const [got, want, magnitude] = await Promise.all([
    product(gpu!, c),
    product(reference, c),
    product(reference, c, true),
  ]);
  const label = `${c.m}×${c.n}×${c.k} transA ${c.transA ?? false} transB ${c.transB ?? false} batch [${c.batchShape ?? []}]`;
  expectAccumulated(got, want, (i) => c.k * accumulation * magnitude[i]!, label);
}

const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

describe('webgpu matmul', () => {
  it.skipIf(!gpu)(
    `matches the reference within float32 accumulation for every transpose combination and odd sizes (${webgpuSkipReason})`,
    async () => {
      for (const [transA, transB] of TRANSPOSES) {
        // Small path (≤ 2¹⁸ multiply-adds) and 64×64 tiles; sizes 1, 3, 65, 130 cross the tile edges.
        for (const [m, n, k] of [
          [1, 1, 1],
          [3, 5, 7],
          [65, 130, 33],
          [130, 65, 40],
        ] as const) {
          await expectProduct({ m, n, k, transA, transB });
        }
      }
    },
  );

  it.skipIf(!gpu)(
    `narrows the tile to the rows or columns a product has (16, 32), edges included (${webgpuSkipReason})`,
    async () => {
      // The tile shape changes only the blocking, not the loads (every transpose on 64×64 above).
      for (const [m, n, k] of [
        [17, 65, 300],
        [9, 600, 60],
        [600, 20, 30],
      ] as const) {
        await expectProduct({ m, n, k });
      }
    },
  );

  it.skipIf(!gpu)(
    `thin products (a few rows or columns) take one thread per output (${webgpuSkipReason})`,
    async () => {
      await expectProduct({ m: 2, n: 3000, k: 9, transA: true });
      await expectProduct({ m: 3000, n: 1, k: 9, transB: true });
    },
  );

  it.skipIf(!gpu)(`writes zeros for an empty sum (k = 0) on both paths (${webgpuSkipReason})`, async () => {
    await expectProduct({ m: 4, n: 3, k: 0 });
    await expectProduct({ m: 600, n: 600, k: 0 });
  });

  it.skipIf(!gpu)(
    `batches with broadcast operands (stride 0) and transposes (${webgpuSkipReason})`,
    async () => {
      await expectProduct({
        m: 5,
        n: 6,
        k: 7,
        transA: true,
        batchShape: [2, 3],
        aBatchStrides: [0, 35],
        bBatchStrides: [126, 42],
      });
      await expectProduct({
        m: 65,
        n: 66,
        k: 12,
        transB: true,
        batchShape: [3, 2],
        aBatchStrides: [65 * 12, 0],
        bBatchStrides: [0, 66 * 12],
      });
    },
  );

  it.skipIf(!gpu)(
    `batches of more dimensions than the shader decomposes (six, with size-1 and broadcast dims) (${webgpuSkipReason})`,
    async () => {
      await expectProduct({
        m: 5,
        n: 6,
        k: 7,
        transA: true,
        batchShape: [2, 1, 3, 2, 2, 2],
        aBatchStrides: [0, 0, 35 * 8, 35 * 4, 35 * 2, 35],
        bBatchStrides: [42 * 24, 0, 42 * 8, 0, 42 * 2, 42],
      });
    },
  );

  it.skipIf(!gpu)(
    `splits a batch larger than the grid's z limit into several dispatches (${webgpuSkipReason})`,
    async () => {
      const c: Case = { m: 3, n: 4, k: 5, batchShape: [7], aBatchStrides: [15], bBatchStrides: [20] };
      const s = specOf(c);
      const a = floats(extent(0, [7], [15], 15), 1);
      const b = floats(extent(0, [7], [20], 20), 2);
      const multiply = (backend: Backend, ctx?: ReturnType<typeof narrowed>) =>
        run(backend, [a, b], ([ba, bb]) => {
          const o = backend.allocate('float32', 7 * 12);
          if (ctx === undefined) backend.matmul(at(ba!), at(bb!), s, o);
          else matmul(ctx, at(ba!), at(bb!), s, o);
          return [o];
        });
      const [[got], [want]] = await Promise.all([multiply(gpu!, narrowed(gpu!.context, 2)), multiply(gpu!)]);
      expectSame(got!, want!, 'batch of 7 in chunks of 2');
    },
  );

  it.skipIf(!gpu)(
    `gives the same bits on the small path and tiled with any tile shape (sums in order of k) (${webgpuSkipReason})`,
    async () => {
      const [m, n, k] = [37, 29, 41];
      const a = floats(m * k, 3);
      const b = floats(n * k, 4);
      const variants: { path: 'small' | 'tiled'; tile?: GemmTile }[] = [
        { path: 'small' },
        { path: 'tiled', tile: DEFAULT_TILE },
        { path: 'tiled', tile: { bm: 32, bn: 16, bk: 8, tm: 2, tn: 4 } },
        { path: 'tiled', tile: { bm: 16, bn: 32, bk: 5, tm: 4, tn: 1 } },
      ];
      const outs = await Promise.all(
        variants.map(async ({ path, tile }) => {
          const [out] = await run(gpu!, [a, b], ([ba, bb]) => {
            const o = gpu!.allocate('float32', m * n);
            recordGemm(gpu!.context, {
              ...gemmOf(m, n, k),
              a: ba!,
              b: bb!,
              out: o,
              path,
              ...(tile === undefined ? {} : { tile }),
            });
            return [o];
          });
          return out!;
        }),
      );
      for (let v = 1; v < variants.length; v++) expectSame(outs[v]!, outs[0]!, `variant ${v}`);
    },
  );
});

/** The fields of a plain A·Bᵀ product for recordGemm (buffers filled in by the caller). */
function gemmOf(m: number, n: number, k: number) {
  return {
    bias: null,
    m,
    n,
    k,
    aOffset: 0,
    bOffset: 0,
    biasOffset: 0,
    batch: { shape: [], aStrides: [], bStrides: [] },
    aOperand: matrixOperand('A', false),
    bOperand: matrixOperand('B', true),
    epilogue: { bias: 'none', activation: 'none' },
  } as const;
}

describe('webgpu GEMM dispatch arithmetic (no device)', () => {
  const buffer = { dtype: 'float32', length: 1 } as const;

  it('drops size-1 batch dimensions and merges dimensions both operands walk contiguously', () => {
    // 2 and 3 merge (A: 12 = 4·3, B: 0 = 0·3); 3 and 4 do not (B: 0 ≠ 1·4); the size-1 one drops.
    expect(collapseBatch({ shape: [2, 1, 3, 4], aStrides: [12, 99, 4, 1], bStrides: [0, 5, 0, 1] })).toEqual({
      shape: [6, 4],
      aStrides: [4, 1],
      bStrides: [0, 1],
    });
    expect(collapseBatch({ shape: [2, 3], aStrides: [3, 1], bStrides: [0, 1] })).toEqual({
      shape: [2, 3],
      aStrides: [3, 1],
      bStrides: [0, 1],
    });
  });

  it('covers a batch past the z limit with dispatches whose base batch indices step by the limit', () => {
    const ctx = recording({ maxWorkgroupsPerDimension: 4 });
    recordGemm(ctx, {
      ...gemmOf(2, 2, 2),
      a: buffer,
      b: buffer,
      out: buffer,
      batch: { shape: [10], aStrides: [4], bStrides: [4] },
    });
    expect(ctx.specs.map((s) => s.workgroups[2])).toEqual([4, 4, 2]);
    // Params' fourth word is the base batch index.
    expect(ctx.specs.map((s) => new Uint32Array(s.uniforms!.bytes().buffer)[3])).toEqual([0, 4, 8]);
  });

  it('dispatches each index of batch dimensions beyond four separately, with its offsets', () => {
    const ctx = recording();
    const shape = [2, 3, 2, 2, 2];
    // Strides no neighbours share, so nothing merges: rank 5, the leading dimension split off.
    const aStrides = [1000, 200, 50, 20, 4];
    const bStrides = [0, 0, 0, 0, 4];
    recordGemm(ctx, {
      ...gemmOf(2, 2, 2),
      a: buffer,
      b: buffer,
      out: buffer,
      batch: { shape, aStrides, bStrides },
    });
    // Words 4…6 of Params: A's offset, B's offset, the output's offset (24 products of 2×2 per index).
    const words = ctx.specs.map((s) => Array.from(new Uint32Array(s.uniforms!.bytes().buffer).slice(4, 7)));
    expect(words).toEqual([
      [0, 0, 0],
      [1000, 0, 24 * 4],
    ]);
  });

  it('refuses a tile the device cannot hold, naming its size and the limits', () => {
    const ctx = recording({ maxInvocationsPerWorkgroup: 128 });
    expect(() =>
      recordGemm(ctx, { ...gemmOf(200, 200, 2), a: buffer, b: buffer, out: buffer, path: 'tiled' }),
    ).toThrow(
      'webgpu: GEMM tile 64×64×8 needs 256 threads and 4160 bytes of workgroup memory; the device allows 128 and 16384',
    );
    expect(() =>
      recordGemm(recording(), {
        ...gemmOf(9, 9, 2),
        a: buffer,
        b: buffer,
        out: buffer,
        path: 'tiled',
        tile: { bm: 10, bn: 8, bk: 4, tm: 4, tn: 4 },
      }),
    ).toThrow('webgpu: GEMM tile 10×8 is not a multiple of 4×4 per thread');
  });

  it('picks one thread per output for small or thin products and narrows tiles to the rows and columns there are', () => {
    expect([
      choosePath(64, 64, 64, 1), // 2¹⁸ multiply-adds
      choosePath(64, 64, 65, 1),
      choosePath(4, 5000, 100, 1), // thin
      choosePath(5, 5000, 100, 1),
      choosePath(600, 600, 0, 1), // k = 0 counts as 1
    ]).toEqual(['small', 'tiled', 'small', 'tiled', 'tiled']);
    expect(choosePath(32, 32, 64, 5)).toBe('tiled'); // 5 products of 2¹⁶
    expect(chooseTile(6, 784)).toEqual({ bm: 16, bn: 64, bk: 8, tm: 1, tn: 4 });
    expect(chooseTile(1000, 20)).toEqual({ bm: 64, bn: 32, bk: 8, tm: 4, tn: 2 });
    expect(chooseTile(65, 64)).toEqual(DEFAULT_TILE);
  });

  it('refuses a product wider than the grid allows, naming its size', () => {
    const ctx = recording({ maxWorkgroupsPerDimension: 2 });
    expect(() =>
      recordGemm(ctx, { ...gemmOf(100, 300, 2), a: buffer, b: buffer, out: buffer, path: 'tiled' }),
    ).toThrow("webgpu: a 100×300 product needs 2×5 tiles, more than the device's 2 workgroups per dimension");
  });
});
