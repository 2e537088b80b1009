// WebAssembly's own arithmetic peak on one thread: a register-only multiply-add loop, no memory traffic
// (bench/peak.mjs compiles it with AssemblyScript at bench time, plain SIMD and relaxed SIMD, and
// measures GFLOP/s). Each step updates every accumulator as c = c·x + y: one f32x4.relaxed_madd (one
// fused multiply-add instruction where the CPU has FMA) or, in the plain SIMD build, an f32x4.mul and
// an f32x4.add, exactly as assembly/gemm.ts's micro-kernel computes. The accumulators are independent
// chains, enough of them to cover the instructions' latency (a chain issues one multiply-add per
// latency, 4 cycles, and the CPU takes two a cycle); too many spill out of the 16 registers V8 uses.
// x < 1 and y > 0 keep every value near y / (1 − x): no overflow, no subnormals.

// (Binaryen's -O3 inlines it: a single instruction, or two.)
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** `iterations` steps of 8 independent f32x4 multiply-add chains: 64 flops a step. */
export function peak8(iterations: i32, seed: f32): f32 {
  const x = f32x4.splat(seed);
  const y = f32x4.splat(1 - seed);
  let c0 = f32x4.splat(0.1);
  let c1 = f32x4.splat(0.2);
  let c2 = f32x4.splat(0.3);
  let c3 = f32x4.splat(0.4);
  let c4 = f32x4.splat(0.5);
  let c5 = f32x4.splat(0.6);
  let c6 = f32x4.splat(0.7);
  let c7 = f32x4.splat(0.8);
  for (let i = 0; i < iterations; i++) {
    c0 = madd(c0, x, y);
    c1 = madd(c1, x, y);
    c2 = madd(c2, x, y);
    c3 = madd(c3, x, y);
    c4 = madd(c4, x, y);
    c5 = madd(c5, x, y);
    c6 = madd(c6, x, y);
    c7 = madd(c7, x, y);
  }
  const s = f32x4.add(
    f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)),
    f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7)),
  );
  return f32x4.extract_lane(s, 0);
}

/** `iterations` steps of 12 independent chains: 96 flops a step. */
export function peak12(iterations: i32, seed: f32): f32 {
  const x = f32x4.splat(seed);
  const y = f32x4.splat(1 - seed);
  let c0 = f32x4.splat(0.1);
  let c1 = f32x4.splat(0.2);
  let c2 = f32x4.splat(0.3);
  let c3 = f32x4.splat(0.4);
  let c4 = f32x4.splat(0.5);
  let c5 = f32x4.splat(0.6);
  let c6 = f32x4.splat(0.7);
  let c7 = f32x4.splat(0.8);
  let c8 = f32x4.splat(0.9);
  let c9 = f32x4.splat(1.1);
  let c10 = f32x4.splat(1.2);
  let c11 = f32x4.splat(1.3);
  for (let i = 0; i < iterations; i++) {
    c0 = madd(c0, x, y);
    c1 = madd(c1, x, y);
    c2 = madd(c2, x, y);
    c3 = madd(c3, x, y);
    c4 = madd(c4, x, y);
    c5 = madd(c5, x, y);
    c6 = madd(c6, x, y);
    c7 = madd(c7, x, y);
    c8 = madd(c8, x, y);
    c9 = madd(c9, x, y);
    c10 = madd(c10, x, y);
    c11 = madd(c11, x, y);
  }
  const a = f32x4.add(
    f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)),
    f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7)),
  );
  const b = f32x4.add(f32x4.add(c8, c9), f32x4.add(c10, c11));
  return f32x4.extract_lane(f32x4.add(a, b), 0);
}
