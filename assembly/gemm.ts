/**
 * C = op(A) · op(B) for row-major float32 matrices, op = identity or transpose.
 *
 * The structure is Goto's/BLIS's: the k dimension is cut into KC-deep slices and n into NC-wide
 * blocks; each slice of B is packed into NR-wide column panels and each MC×KC block of A into MR-high
 * row panels, with the transposes absorbed by the packing (so AᵀB and ABᵀ run the same inner loop as
 * AB). A register-blocked MR×NR micro-kernel then keeps its C tile in SIMD registers across the slice.
 *
 * Summation order: every C element is accumulated as ((0 + a₀b₀) + a₁b₁) + … in order of k — a slice
 * after the first starts from the partial sum stored in C — so the result does not depend on the block
 * sizes, the SIMD width or on how rows and columns are split between threads, and the scalar build
 * computes the same bits as the SIMD build. The relaxed-SIMD build fuses each multiply-add
 * (f32x4.relaxed_madd), which rounds once instead of twice and so gives slightly different bits.
 */
import { at } from './strided';

const MR = 4;
const NR = 8;
const KC = 256;
const MC = 128;
const NC = 2048;
/**
 * Products of at most this many rows skip packing: with fewer rows than two whole 4-row tiles, packing
 * B (and padding A to whole tiles) costs more than it saves. (Measured: 6 rows run 1.2–1.4× faster
 * unpacked, 8 rows 1.3× slower.)
 */
const SMALL_ROWS = 7;

/** Bytes of scratch memory gemm needs for products with n columns. */
export function gemmScratchBytes(n: i32): i32 {
  const nc = min<i32>(n, NC);
  const ncPadded = ((nc + NR - 1) / NR) * NR;
  return (MC * KC + KC * ncPadded + MR * NR) * 4 + 64;
}

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * Packs rows i0 … i0+mc−1, columns p0 … p0+kc−1 of op(A) into MR-high panels: element (r, p) of
 * panel t is at dst[t·MR·kc + p·MR + r]; rows past mc are zero.
 */
function packA(transA: bool, a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min<i32>(MR, mc - ir);
    const panel = at(dst, ir * kc);
    if (transA) {
      // A is stored k×m: the MR values of one p are adjacent.
      if (rows == MR) {
        for (let p = 0; p < kc; p++) {
          const src = at(a, (p0 + p) * lda + i0 + ir);
          if (ASC_FEATURE_SIMD) {
            v128.store(at(panel, p * MR), v128.load(src));
          } else {
            for (let r = 0; r < MR; r++) store<f32>(at(panel, p * MR + r), load<f32>(at(src, r)));
          }
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = at(a, (p0 + p) * lda + i0 + ir);
          for (let r = 0; r < MR; r++) store<f32>(at(panel, p * MR + r), r < rows ? load<f32>(at(src, r)) : 0);
        }
      }
    } else {
      // A is stored m×k: gather MR rows; with SIMD, 4×4 blocks are transposed in registers.
      let p = 0;
      if (ASC_FEATURE_SIMD) {
        if (rows == MR) {
          const r0 = at(a, (i0 + ir) * lda + p0);
          const r1 = at(r0, lda);
          const r2 = at(r1, lda);
          const r3 = at(r2, lda);
          for (; p + 4 <= kc; p += 4) {
            const v0 = v128.load(at(r0, p));
            const v1 = v128.load(at(r1, p));
            const v2 = v128.load(at(r2, p));
            const v3 = v128.load(at(r3, p));
            const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
            const t1 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
            const t2 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
            const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
            const d = at(panel, p * MR);
            v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
            v128.store(d, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 16);
            v128.store(d, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 32);
            v128.store(d, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 48);
          }
        }
      }
      for (; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          store<f32>(at(panel, p * MR + r), r < rows ? load<f32>(at(a, (i0 + ir + r) * lda + p0 + p)) : 0);
        }
      }
    }
  }
}

/**
 * Packs rows p0 … p0+kc−1, columns j0 … j0+nc−1 of op(B) into NR-wide panels: element (p, c) of panel
 * t is at dst[t·NR·kc + p·NR + c]; columns past nc are zero.
 */
function packB(transB: bool, b: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min<i32>(NR, nc - jr);
    const panel = at(dst, jr * kc);
    if (!transB) {
      // B is stored k×n: the NR values of one p are adjacent.
      if (cols == NR) {
        for (let p = 0; p < kc; p++) {
          const src = at(b, (p0 + p) * ldb + j0 + jr);
          if (ASC_FEATURE_SIMD) {
            v128.store(at(panel, p * NR), v128.load(src));
            v128.store(at(panel, p * NR), v128.load(src, 16), 16);
          } else {
            for (let c = 0; c < NR; c++) store<f32>(at(panel, p * NR + c), load<f32>(at(src, c)));
          }
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = at(b, (p0 + p) * ldb + j0 + jr);
          for (let c = 0; c < NR; c++) store<f32>(at(panel, p * NR + c), c < cols ? load<f32>(at(src, c)) : 0);
        }
      }
    } else {
      // B is stored n×k: column j of op(B) is row j of storage; transpose 4×4 blocks in registers.
      let p = 0;
      if (ASC_FEATURE_SIMD) {
        if (cols == NR) {
          for (; p + 4 <= kc; p += 4) {
            for (let g = 0; g < NR; g += 4) {
              const r0 = at(b, (j0 + jr + g) * ldb + p0 + p);
              const r1 = at(r0, ldb);
              const r2 = at(r1, ldb);
              const r3 = at(r2, ldb);
              const v0 = v128.load(r0);
              const v1 = v128.load(r1);
              const v2 = v128.load(r2);
              const v3 = v128.load(r3);
              const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
              const t1 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
              const t2 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
              const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
              const d = at(panel, p * NR + g);
              v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
              v128.store(d, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), NR * 4);
              v128.store(d, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), NR * 8);
              v128.store(d, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), NR * 12);
            }
          }
        }
      }
      for (; p < kc; p++) {
        for (let c = 0; c < NR; c++) {
          store<f32>(at(panel, p * NR + c), c < cols ? load<f32>(at(b, (j0 + jr + c) * ldb + p0 + p)) : 0);
        }
      }
    }
  }
}

/**
 * The MR×NR micro-kernel: C[0:MR, 0:NR] (row stride ldc) = (accumulate ? C : 0) + Σ_p a_p b_pᵀ over
 * one packed A panel and one packed B panel.
 */
function micro(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, accumulate: bool): void {
  if (ASC_FEATURE_SIMD) {
    const c1 = at(c, ldc);
    const c2 = at(c1, ldc);
    const c3 = at(c2, ldc);
    let c00 = f32x4.splat(0);
    let c01 = f32x4.splat(0);
    let c10 = f32x4.splat(0);
    let c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0);
    let c21 = f32x4.splat(0);
    let c30 = f32x4.splat(0);
    let c31 = f32x4.splat(0);
    if (accumulate) {
      c00 = v128.load(c);
      c01 = v128.load(c, 16);
      c10 = v128.load(c1);
      c11 = v128.load(c1, 16);
      c20 = v128.load(c2);
      c21 = v128.load(c2, 16);
      c30 = v128.load(c3);
      c31 = v128.load(c3, 16);
    }
    for (let p = 0; p < kc; p++) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      const a4 = v128.load(pa);
      let av = i32x4.shuffle(a4, a4, 0, 0, 0, 0);
      c00 = madd(av, b0, c00);
      c01 = madd(av, b1, c01);
      av = i32x4.shuffle(a4, a4, 1, 1, 1, 1);
      c10 = madd(av, b0, c10);
      c11 = madd(av, b1, c11);
      av = i32x4.shuffle(a4, a4, 2, 2, 2, 2);
      c20 = madd(av, b0, c20);
      c21 = madd(av, b1, c21);
      av = i32x4.shuffle(a4, a4, 3, 3, 3, 3);
      c30 = madd(av, b0, c30);
      c31 = madd(av, b1, c31);
      pa += MR * 4;
      pb += NR * 4;
    }
    v128.store(c, c00);
    v128.store(c, c01, 16);
    v128.store(c1, c10);
    v128.store(c1, c11, 16);
    v128.store(c2, c20);
    v128.store(c2, c21, 16);
    v128.store(c3, c30);
    v128.store(c3, c31, 16);
  } else {
    // One row at a time with NR scalar accumulators: the same sums, in the same order.
    for (let r = 0; r < MR; r++) {
      const cr = at(c, r * ldc);
      let s0: f32 = 0;
      let s1: f32 = 0;
      let s2: f32 = 0;
      let s3: f32 = 0;
      let s4: f32 = 0;
      let s5: f32 = 0;
      let s6: f32 = 0;
      let s7: f32 = 0;
      if (accumulate) {
        s0 = load<f32>(cr);
        s1 = load<f32>(cr, 4);
        s2 = load<f32>(cr, 8);
        s3 = load<f32>(cr, 12);
        s4 = load<f32>(cr, 16);
        s5 = load<f32>(cr, 20);
        s6 = load<f32>(cr, 24);
        s7 = load<f32>(cr, 28);
      }
      let qa = at(pa, r);
      let qb = pb;
      for (let p = 0; p < kc; p++) {
        const av = load<f32>(qa);
        s0 = s0 + av * load<f32>(qb);
        s1 = s1 + av * load<f32>(qb, 4);
        s2 = s2 + av * load<f32>(qb, 8);
        s3 = s3 + av * load<f32>(qb, 12);
        s4 = s4 + av * load<f32>(qb, 16);
        s5 = s5 + av * load<f32>(qb, 20);
        s6 = s6 + av * load<f32>(qb, 24);
        s7 = s7 + av * load<f32>(qb, 28);
        qa += MR * 4;
        qb += NR * 4;
      }
      store<f32>(cr, s0);
      store<f32>(cr, s1, 4);
      store<f32>(cr, s2, 8);
      store<f32>(cr, s3, 12);
      store<f32>(cr, s4, 16);
      store<f32>(cr, s5, 20);
      store<f32>(cr, s6, 24);
      store<f32>(cr, s7, 28);
    }
  }
}

/** The micro-kernel on a partial tile (mr < MR or nr < NR), through a full-size buffer. */
function microEdge(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, accumulate: bool, mr: i32, nr: i32, tile: usize): void {
  if (accumulate) {
    for (let r = 0; r < mr; r++) {
      for (let j = 0; j < nr; j++) store<f32>(at(tile, r * NR + j), load<f32>(at(c, r * ldc + j)));
    }
  }
  micro(kc, pa, pb, tile, NR, accumulate);
  for (let r = 0; r < mr; r++) {
    for (let j = 0; j < nr; j++) store<f32>(at(c, r * ldc + j), load<f32>(at(tile, r * NR + j)));
  }
}

/** A vector of B's columns j … j+count−1 (count < 4) at row p, zero in the other lanes. */
// @ts-ignore: decorator
@inline function partialColumns(transB: bool, b: usize, ldb: i32, p: i32, j: i32, count: i32): v128 {
  let v = f32x4.splat(0);
  const at0 = transB ? at(b, j * ldb + p) : at(b, p * ldb + j);
  const step = transB ? ldb : 1;
  v = f32x4.replace_lane(v, 0, load<f32>(at0));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(at(at0, step)));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(at(at0, 2 * step)));
  return v;
}

/**
 * Row i of C, columns j0 … n−1, without packing: packing B costs as much as multiplying one row by it.
 * Every element is the same sequential sum as on the packed path, with the same multiply-add, so the
 * bits do not depend on the path taken.
 */
function smallRow(
  transA: bool,
  transB: bool,
  i: i32,
  j0: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
): void {
  const crow = at(c, i * ldc);
  // A(i, p) is at aRow + p·aStep elements.
  const aRow = transA ? at(a, i) : at(a, i * lda);
  const aStep = transA ? lda : 1;
  if (!ASC_FEATURE_SIMD) {
    for (let j = j0; j < n; j++) {
      let sum: f32 = 0;
      for (let p = 0; p < k; p++) {
        const bv = transB ? load<f32>(at(b, j * ldb + p)) : load<f32>(at(b, p * ldb + j));
        sum = sum + load<f32>(at(aRow, p * aStep)) * bv;
      }
      store<f32>(at(crow, j), sum);
    }
    return;
  }
  let j = j0;
  if (!transB) {
    // B(p, j…j+15) is contiguous: four accumulators across the columns.
    for (; j + 16 <= n; j += 16) {
      let s0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      let s2 = f32x4.splat(0);
      let s3 = f32x4.splat(0);
      for (let p = 0; p < k; p++) {
        const av = v128.load32_splat(at(aRow, p * aStep));
        const bp = at(b, p * ldb + j);
        s0 = madd(av, v128.load(bp), s0);
        s1 = madd(av, v128.load(bp, 16), s1);
        s2 = madd(av, v128.load(bp, 32), s2);
        s3 = madd(av, v128.load(bp, 48), s3);
      }
      v128.store(at(crow, j), s0);
      v128.store(at(crow, j), s1, 16);
      v128.store(at(crow, j), s2, 32);
      v128.store(at(crow, j), s3, 48);
    }
    for (; j + 4 <= n; j += 4) {
      let s0 = f32x4.splat(0);
      for (let p = 0; p < k; p++) {
        s0 = madd(v128.load32_splat(at(aRow, p * aStep)), v128.load(at(b, p * ldb + j)), s0);
      }
      v128.store(at(crow, j), s0);
    }
  } else {
    // B(p, j) is row j of storage: 4×4 blocks are transposed in registers, eight columns at a time.
    for (; j + 8 <= n; j += 8) {
      let s0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      const r0 = at(b, j * ldb);
      const r1 = at(r0, ldb);
      const r2 = at(r1, ldb);
      const r3 = at(r2, ldb);
      const r4 = at(r3, ldb);
      const r5 = at(r4, ldb);
      const r6 = at(r5, ldb);
      const r7 = at(r6, ldb);
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        const v0 = v128.load(at(r0, p));
        const v1 = v128.load(at(r1, p));
        const v2 = v128.load(at(r2, p));
        const v3 = v128.load(at(r3, p));
        const w0 = v128.load(at(r4, p));
        const w1 = v128.load(at(r5, p));
        const w2 = v128.load(at(r6, p));
        const w3 = v128.load(at(r7, p));
        const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
        const t1 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
        const t2 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
        const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
        const u0 = v128.shuffle<f32>(w0, w1, 0, 4, 1, 5);
        const u1 = v128.shuffle<f32>(w0, w1, 2, 6, 3, 7);
        const u2 = v128.shuffle<f32>(w2, w3, 0, 4, 1, 5);
        const u3 = v128.shuffle<f32>(w2, w3, 2, 6, 3, 7);
        let av = v128.load32_splat(at(aRow, p * aStep));
        s0 = madd(av, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), s0);
        s1 = madd(av, v128.shuffle<f32>(u0, u2, 0, 1, 4, 5), s1);
        av = v128.load32_splat(at(aRow, (p + 1) * aStep));
        s0 = madd(av, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), s0);
        s1 = madd(av, v128.shuffle<f32>(u0, u2, 2, 3, 6, 7), s1);
        av = v128.load32_splat(at(aRow, (p + 2) * aStep));
        s0 = madd(av, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), s0);
        s1 = madd(av, v128.shuffle<f32>(u1, u3, 0, 1, 4, 5), s1);
        av = v128.load32_splat(at(aRow, (p + 3) * aStep));
        s0 = madd(av, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), s0);
        s1 = madd(av, v128.shuffle<f32>(u1, u3, 2, 3, 6, 7), s1);
      }
      for (; p < k; p++) {
        const av = v128.load32_splat(at(aRow, p * aStep));
        let col = f32x4.splat(0);
        col = f32x4.replace_lane(col, 0, load<f32>(at(r0, p)));
        col = f32x4.replace_lane(col, 1, load<f32>(at(r1, p)));
        col = f32x4.replace_lane(col, 2, load<f32>(at(r2, p)));
        col = f32x4.replace_lane(col, 3, load<f32>(at(r3, p)));
        s0 = madd(av, col, s0);
        col = f32x4.replace_lane(col, 0, load<f32>(at(r4, p)));
        col = f32x4.replace_lane(col, 1, load<f32>(at(r5, p)));
        col = f32x4.replace_lane(col, 2, load<f32>(at(r6, p)));
        col = f32x4.replace_lane(col, 3, load<f32>(at(r7, p)));
        s1 = madd(av, col, s1);
      }
      v128.store(at(crow, j), s0);
      v128.store(at(crow, j), s1, 16);
    }
    for (; j + 4 <= n; j += 4) {
      let s0 = f32x4.splat(0);
      const r0 = at(b, j * ldb);
      for (let p = 0; p < k; p++) {
        let col = f32x4.splat(0);
        col = f32x4.replace_lane(col, 0, load<f32>(at(r0, p)));
        col = f32x4.replace_lane(col, 1, load<f32>(at(r0, ldb + p)));
        col = f32x4.replace_lane(col, 2, load<f32>(at(r0, 2 * ldb + p)));
        col = f32x4.replace_lane(col, 3, load<f32>(at(r0, 3 * ldb + p)));
        s0 = madd(v128.load32_splat(at(aRow, p * aStep)), col, s0);
      }
      v128.store(at(crow, j), s0);
    }
  }
  if (j < n) {
    // The last one to three columns, in the lanes of one vector.
    const count = n - j;
    let s0 = f32x4.splat(0);
    for (let p = 0; p < k; p++) {
      s0 = madd(v128.load32_splat(at(aRow, p * aStep)), partialColumns(transB, b, ldb, p, j, count), s0);
    }
    store<f32>(at(crow, j), f32x4.extract_lane(s0, 0));
    if (count > 1) store<f32>(at(crow, j + 1), f32x4.extract_lane(s0, 1));
    if (count > 2) store<f32>(at(crow, j + 2), f32x4.extract_lane(s0, 2));
  }
}

/**
 * Rows i … i+3 of C, as many columns as whole vectors cover (returned: columns [0, j) are done), without
 * packing: each value of B read serves four rows. The same sequential sums as every other path.
 */
function fourRows(
  transA: bool,
  transB: bool,
  i: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
): i32 {
  const aStep = transA ? lda : 1;
  const a0 = transA ? at(a, i) : at(a, i * lda);
  const a1 = transA ? at(a0, 1) : at(a0, lda);
  const a2 = transA ? at(a1, 1) : at(a1, lda);
  const a3 = transA ? at(a2, 1) : at(a2, lda);
  const c0 = at(c, i * ldc);
  const c1 = at(c0, ldc);
  const c2 = at(c1, ldc);
  const c3 = at(c2, ldc);
  let j = 0;
  if (!transB) {
    for (; j + 8 <= n; j += 8) {
      let s00 = f32x4.splat(0);
      let s01 = f32x4.splat(0);
      let s10 = f32x4.splat(0);
      let s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0);
      let s21 = f32x4.splat(0);
      let s30 = f32x4.splat(0);
      let s31 = f32x4.splat(0);
      for (let p = 0; p < k; p++) {
        const bp = at(b, p * ldb + j);
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const q = p * aStep;
        let av = v128.load32_splat(at(a0, q));
        s00 = madd(av, b0, s00);
        s01 = madd(av, b1, s01);
        av = v128.load32_splat(at(a1, q));
        s10 = madd(av, b0, s10);
        s11 = madd(av, b1, s11);
        av = v128.load32_splat(at(a2, q));
        s20 = madd(av, b0, s20);
        s21 = madd(av, b1, s21);
        av = v128.load32_splat(at(a3, q));
        s30 = madd(av, b0, s30);
        s31 = madd(av, b1, s31);
      }
      v128.store(at(c0, j), s00);
      v128.store(at(c0, j), s01, 16);
      v128.store(at(c1, j), s10);
      v128.store(at(c1, j), s11, 16);
      v128.store(at(c2, j), s20);
      v128.store(at(c2, j), s21, 16);
      v128.store(at(c3, j), s30);
      v128.store(at(c3, j), s31, 16);
    }
    return j;
  }
  // B(p, j…j+3) is column p of four rows of storage: 4×4 blocks transposed in registers.
  for (; j + 4 <= n; j += 4) {
    let s0 = f32x4.splat(0);
    let s1 = f32x4.splat(0);
    let s2 = f32x4.splat(0);
    let s3 = f32x4.splat(0);
    const r0 = at(b, j * ldb);
    const r1 = at(r0, ldb);
    const r2 = at(r1, ldb);
    const r3 = at(r2, ldb);
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      const v0 = v128.load(at(r0, p));
      const v1 = v128.load(at(r1, p));
      const v2 = v128.load(at(r2, p));
      const v3 = v128.load(at(r3, p));
      const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
      const t1 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
      const t2 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
      const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
      let col = v128.shuffle<f32>(t0, t2, 0, 1, 4, 5);
      let q = p * aStep;
      s0 = madd(v128.load32_splat(at(a0, q)), col, s0);
      s1 = madd(v128.load32_splat(at(a1, q)), col, s1);
      s2 = madd(v128.load32_splat(at(a2, q)), col, s2);
      s3 = madd(v128.load32_splat(at(a3, q)), col, s3);
      col = v128.shuffle<f32>(t0, t2, 2, 3, 6, 7);
      q += aStep;
      s0 = madd(v128.load32_splat(at(a0, q)), col, s0);
      s1 = madd(v128.load32_splat(at(a1, q)), col, s1);
      s2 = madd(v128.load32_splat(at(a2, q)), col, s2);
      s3 = madd(v128.load32_splat(at(a3, q)), col, s3);
      col = v128.shuffle<f32>(t1, t3, 0, 1, 4, 5);
      q += aStep;
      s0 = madd(v128.load32_splat(at(a0, q)), col, s0);
      s1 = madd(v128.load32_splat(at(a1, q)), col, s1);
      s2 = madd(v128.load32_splat(at(a2, q)), col, s2);
      s3 = madd(v128.load32_splat(at(a3, q)), col, s3);
      col = v128.shuffle<f32>(t1, t3, 2, 3, 6, 7);
      q += aStep;
      s0 = madd(v128.load32_splat(at(a0, q)), col, s0);
      s1 = madd(v128.load32_splat(at(a1, q)), col, s1);
      s2 = madd(v128.load32_splat(at(a2, q)), col, s2);
      s3 = madd(v128.load32_splat(at(a3, q)), col, s3);
    }
    for (; p < k; p++) {
      let col = f32x4.splat(0);
      col = f32x4.replace_lane(col, 0, load<f32>(at(r0, p)));
      col = f32x4.replace_lane(col, 1, load<f32>(at(r1, p)));
      col = f32x4.replace_lane(col, 2, load<f32>(at(r2, p)));
      col = f32x4.replace_lane(col, 3, load<f32>(at(r3, p)));
      const q = p * aStep;
      s0 = madd(v128.load32_splat(at(a0, q)), col, s0);
      s1 = madd(v128.load32_splat(at(a1, q)), col, s1);
      s2 = madd(v128.load32_splat(at(a2, q)), col, s2);
      s3 = madd(v128.load32_splat(at(a3, q)), col, s3);
    }
    v128.store(at(c0, j), s0);
    v128.store(at(c1, j), s1);
    v128.store(at(c2, j), s2);
    v128.store(at(c3, j), s3);
  }
  return j;
}

/**
 * Rows [i0, i1) of C for a product with few rows (inference on one sample; a convolution with a
 * handful of output channels), without packing: four rows at a time share each value of B they read,
 * the rest go one by one.
 */
function gemmSmall(
  transA: bool,
  transB: bool,
  i0: i32,
  i1: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
): void {
  let i = i0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= i1; i += 4) {
      const done = fourRows(transA, transB, i, n, k, a, lda, b, ldb, c, ldc);
      if (done < n) {
        for (let r = 0; r < 4; r++) smallRow(transA, transB, i + r, done, n, k, a, lda, b, ldb, c, ldc);
      }
    }
  }
  for (; i < i1; i++) smallRow(transA, transB, i, 0, n, k, a, lda, b, ldb, c, ldc);
}

/**
 * Rows [i0, i1) of C (m×n, row stride ldc) = op(A)·op(B) where op(A) is m×k and op(B) is k×n.
 * A is stored m×k (lda ≥ k) or, transposed, k×m (lda ≥ m); B is stored k×n (ldb ≥ n) or n×k (ldb ≥ k).
 * `scratch` holds gemmScratchBytes(n) bytes, 16-byte aligned.
 */
export function gemmRows(
  transA: bool,
  transB: bool,
  i0: i32,
  i1: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  scratch: usize,
): void {
  if (i1 <= i0 || n <= 0) return;
  if (k <= 0) {
    for (let i = i0; i < i1; i++) memory.fill(at(c, i * ldc), 0, <usize>n << 2);
    return;
  }
  if (i1 - i0 <= SMALL_ROWS) {
    gemmSmall(transA, transB, i0, i1, n, k, a, lda, b, ldb, c, ldc);
    return;
  }
  const packedA = scratch;
  const packedB = at(packedA, MC * KC);
  const ncMax = min<i32>(n, NC);
  const tile = at(packedB, KC * (((ncMax + NR - 1) / NR) * NR));
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min<i32>(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min<i32>(KC, k - pc);
      const accumulate = pc > 0;
      packB(transB, b, ldb, pc, jc, kc, nc, packedB);
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min<i32>(MC, i1 - ic);
        packA(transA, a, lda, ic, pc, mc, kc, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min<i32>(NR, nc - jr);
          const pb = at(packedB, jr * kc);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min<i32>(MR, mc - ir);
            const pa = at(packedA, ir * kc);
            const cp = at(c, (ic + ir) * ldc + jc + jr);
            if (mr == MR && nr == NR) micro(kc, pa, pb, cp, ldc, accumulate);
            else microEdge(kc, pa, pb, cp, ldc, accumulate, mr, nr, tile);
          }
        }
      }
    }
  }
}

/** The whole product: rows 0 … m−1. */
export function gemm(
  transA: bool,
  transB: bool,
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  scratch: usize,
): void {
  gemmRows(transA, transB, 0, m, n, k, a, lda, b, ldb, c, ldc, scratch);
}
