/**
 * The core matrix product on WebGPU, and `recordGemm`, which records any product the GEMM shader
 * (gemm_wgsl.ts) describes: matmul here, linear and the convolutions in fused/.
 *
 * Batches: the batch dimensions are collapsed where both operands' strides allow, the last four are
 * decomposed in the shader (uniform shape and strides, 0 where broadcast), any further leading ones
 * become separate dispatches, and batches beyond the per-dimension workgroup limit are split into
 * dispatches with a base batch index. A and B are read in place from their view offsets, transposed
 * or not, so no product copies an operand.
 */
import type { BufferHandle, MatmulSpec, View } from '../../backend.js';
import { type DispatchSpec, gridFor, type KernelContext, Uniforms } from '../kernel_context.js';
import {
  DEFAULT_TILE,
  type GemmEpilogue,
  type GemmOperand,
  type GemmShader,
  type GemmTile,
  gemmKey,
  gemmWgsl,
  matrixOperand,
  SMALL_WORKGROUP,
} from './gemm_wgsl.js';

/**
 * Products of at most this many multiply-adds take the one-thread-per-output path (above it, tiles
 * were twice as fast on SwiftShader already: 16×100×784 in 52 ms against 68 ms).
 */
export const SMALL_WORK = 2 ** 18;

/** Products with at most this many rows or columns take the one-thread-per-output path too. */
export const THIN = 4;

/** The batch dimensions the shader decomposes itself; further leading ones are separate dispatches. */
const MAX_BATCH_RANK = 4;

export interface GemmBatch {
  readonly shape: readonly number[];
  readonly aStrides: readonly number[];
  readonly bStrides: readonly number[];
}

/** One product for `recordGemm`: operands, sizes, offsets, batch, epilogue and any operand geometry. */
export interface GemmCall {
  readonly a: BufferHandle;
  readonly b: BufferHandle;
  readonly bias: BufferHandle | null;
  readonly out: BufferHandle;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly aOffset: number;
  readonly bOffset: number;
  readonly biasOffset: number;
  readonly batch: GemmBatch;
  readonly aOperand: GemmOperand;
  readonly bOperand: GemmOperand;
  readonly epilogue: GemmEpilogue;
  /** Named `vec4<i32>` uniform fields the operands' bodies read (params.<name>). */
  readonly extra?: readonly { readonly name: string; readonly values: readonly number[] }[];
  /** Overrides the path choice and the tile shape (tuning, tests). */
  readonly tile?: GemmTile;
  readonly path?: 'tiled' | 'small';
  /** WGSL functions the operands or the epilogue call (GemmShader.library). */
  readonly library?: string;
}

/** out[b] = op(A[b])·op(B[b]) (backend.ts `matmul`), float32 accumulation in order of k. */
export function matmul(ctx: KernelContext, a: View, b: View, spec: MatmulSpec, out: BufferHandle): void {
  recordGemm(ctx, {
    a: a.buffer,
    b: b.buffer,
    bias: null,
    out,
    m: spec.m,
    n: spec.n,
    k: spec.k,
    aOffset: a.offset,
    bOffset: b.offset,
    biasOffset: 0,
    batch: { shape: spec.batchShape, aStrides: spec.aBatchStrides, bStrides: spec.bBatchStrides },
    aOperand: matrixOperand('A', spec.transA),
    bOperand: matrixOperand('B', spec.transB),
    epilogue: { bias: 'none', activation: 'none' },
  });
}

/** Drops batch dimensions of size 1 and merges neighbours that both operands walk contiguously. */
export function collapseBatch(batch: GemmBatch): GemmBatch {
  const shape: number[] = [];
  const aStrides: number[] = [];
  const bStrides: number[] = [];
  batch.shape.forEach((size, d) => {
    if (size === 1) return;
    const last = shape.length - 1;
    const as = batch.aStrides[d]!;
    const bs = batch.bStrides[d]!;
    if (last >= 0 && aStrides[last] === as * size && bStrides[last] === bs * size) {
      shape[last]! *= size;
      aStrides[last] = as;
      bStrides[last] = bs;
      return;
    }
    shape.push(size);
    aStrides.push(as);
    bStrides.push(bs);
  });
  return { shape, aStrides, bStrides };
}

/** Records the dispatches of one product (any batch shape). */
export function recordGemm(ctx: KernelContext, call: GemmCall): void {
  const batch = collapseBatch(call.batch);
  if (batch.shape.some((d) => d === 0) || call.m === 0 || call.n === 0) return;
  splitLeading(ctx, call, batch, 0);
}

/** Dispatches each index of the batch dimensions beyond the last four separately. */
function splitLeading(ctx: KernelContext, call: GemmCall, batch: GemmBatch, outOffset: number): void {
  if (batch.shape.length <= MAX_BATCH_RANK) {
    recordBatches(ctx, call, batch, outOffset);
    return;
  }
  const [size, ...shape] = batch.shape;
  const [as, ...aStrides] = batch.aStrides;
  const [bs, ...bStrides] = batch.bStrides;
  const inner = shape.reduce((x, y) => x * y, 1) * call.m * call.n;
  for (let i = 0; i < size!; i++) {
    const sub = { ...call, aOffset: call.aOffset + i * as!, bOffset: call.bOffset + i * bs! };
    splitLeading(ctx, sub, { shape, aStrides, bStrides }, outOffset + i * inner);
  }
}

/** Records the product over a batch of rank ≤ 4, in chunks the z dimension of the grid can hold. */
function recordBatches(ctx: KernelContext, call: GemmCall, batch: GemmBatch, outOffset: number): void {
  const count = batch.shape.reduce((x, y) => x * y, 1);
  const path = call.path ?? choosePath(call.m, call.n, call.k, count);
  const tile = call.tile ?? chooseTile(call.m, call.n);
  checkTile(ctx, tile);
  const shader: GemmShader = {
    a: call.aOperand,
    b: call.bOperand,
    batchRank: batch.shape.length,
    epilogue: call.epilogue,
    extraParams: (call.extra ?? []).map((f) => f.name),
    path,
    tile,
    ...(call.library === undefined ? {} : { library: call.library }),
  };
  const key = gemmKey(shader);
  const xy = gridXY(ctx, call, path, tile);
  const limit = ctx.limits.maxWorkgroupsPerDimension;
  for (let base = 0; base < count; base += limit) {
    const spec: DispatchSpec = {
      key,
      wgsl: () => gemmWgsl(shader),
      bindings: [
        { buffer: call.a },
        { buffer: call.b },
        { buffer: call.out, write: true },
        ...(call.bias === null ? [] : [{ buffer: call.bias }]),
      ],
      uniforms: gemmUniforms(call, batch, base, outOffset),
      workgroups: [xy[0], xy[1], Math.min(limit, count - base)],
    };
    ctx.dispatch(spec);
  }
}

/**
 * One thread per output for products too small to be worth tiles, and for thin ones (a row or column of
 * a few elements, as a convolution's input gradient over one channel), where a tile would idle most
 * of its threads.
 */
export function choosePath(m: number, n: number, k: number, count: number): 'small' | 'tiled' {
  return m * n * Math.max(k, 1) * count <= SMALL_WORK || Math.min(m, n) <= THIN ? 'small' : 'tiled';
}

/**
 * The default tile, narrowed to 16 or 32 rows (columns) where the product has no more: convolutions
 * have as few rows as output channels (6, 16), linear layers' outputs as few columns as classes.
 * Always 16×16 threads.
 */
export function chooseTile(m: number, n: number): GemmTile {
  const side = (d: number) => (d <= 16 ? 16 : d <= 32 ? 32 : DEFAULT_TILE.bm);
  const bm = side(m);
  const bn = side(n);
  return { bm, bn, bk: DEFAULT_TILE.bk, tm: bm / 16, tn: bn / 16 };
}

function gridXY(
  ctx: KernelContext,
  call: GemmCall,
  path: 'tiled' | 'small',
  tile: GemmTile,
): [number, number] {
  const limit = ctx.limits.maxWorkgroupsPerDimension;
  if (path === 'small') {
    const [x, y] = gridFor(Math.ceil((call.m * call.n) / SMALL_WORKGROUP), limit);
    return [x, y];
  }
  const x = Math.ceil(call.n / tile.bn);
  const y = Math.ceil(call.m / tile.bm);
  if (x > limit || y > limit)
    throw new RangeError(
      `webgpu: a ${call.m}×${call.n} product needs ${y}×${x} tiles, more than the device's ${limit} workgroups per dimension`,
    );
  return [x, y];
}

/** The tile must fit the device: its threads in one workgroup, its two k-slices in workgroup memory. */
function checkTile(ctx: KernelContext, t: GemmTile): void {
  const threads = (t.bm / t.tm) * (t.bn / t.tn);
  const bytes = t.bk * (t.bm + 1 + t.bn + 1) * 4;
  if (!Number.isInteger(t.bm / t.tm) || !Number.isInteger(t.bn / t.tn))
    throw new RangeError(`webgpu: GEMM tile ${t.bm}×${t.bn} is not a multiple of ${t.tm}×${t.tn} per thread`);
  if (threads > ctx.limits.maxInvocationsPerWorkgroup || bytes > ctx.limits.maxWorkgroupStorageBytes)
    throw new RangeError(
      `webgpu: GEMM tile ${t.bm}×${t.bn}×${t.bk} needs ${threads} threads and ${bytes} bytes of workgroup memory; the device allows ${ctx.limits.maxInvocationsPerWorkgroup} and ${ctx.limits.maxWorkgroupStorageBytes}`,
    );
}

/** The uniform block, in gemm_wgsl.ts's Params order. */
function gemmUniforms(call: GemmCall, batch: GemmBatch, base: number, outOffset: number): Uniforms {
  const u = new Uniforms()
    .u32(call.m)
    .u32(call.n)
    .u32(call.k)
    .u32(base)
    .u32(call.aOffset)
    .u32(call.bOffset)
    .u32(outOffset)
    .u32(call.biasOffset)
    .vec4i(batch.shape)
    .vec4i(batch.aStrides)
    .vec4i(batch.bStrides);
  for (const field of call.extra ?? []) u.vec4i(field.values);
  return u;
}
