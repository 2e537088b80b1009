/**
 * The numbers the kernels dispatch on — op codes, copy kinds, activation codes and the optimizer
 * kernels' flag bits — defined once, here. The kernels import these enums; scripts/gen_wasm_bindings.mjs
 * (run by `npm run asbuild`) generates src/backend/wasm/opcodes.ts, the tables the TypeScript side
 * passes, from this file. Nothing else may spell these numbers.
 *
 * Member names are the TypeScript names: `UnaryOp.leakyRelu` here is `unaryCodes.leakyRelu` there, and
 * the generated tables are typed `Record<UnaryOp, number>` (src/backend/backend.ts's unions), so an op
 * added on one side only is a type error. Every member has an explicit value (the generator refuses
 * implicit ones): a number here is a number in a binary, and reordering must not renumber silently.
 *
 * Plain `enum`s, not `const enum`s: with constant members the compiler folds both to the same
 * constants, but `const enum` changed how binaryen inlined elementwise.ts's switches (its SIMD build
 * grew by 9 KiB); with `enum` the binaries are byte-identical to the hand-numbered constants they replace.
 */

/** Elementwise unary ops (assembly/elementwise.ts `unary`); members are backend.ts's `UnaryOp`. */
export enum UnaryOp {
  neg = 0,
  abs = 1,
  sign = 2,
  exp = 3,
  log = 4,
  sqrt = 5,
  rsqrt = 6,
  square = 7,
  sigmoid = 8,
  tanh = 9,
  relu = 10,
  erf = 11,
  leakyRelu = 12,
  elu = 13,
  softplus = 14,
  clamp = 15,
  gelu = 16,
}

/** Elementwise binary ops (assembly/elementwise.ts `binary`); members are backend.ts's `BinaryOp`. */
export enum BinaryOp {
  add = 0,
  sub = 1,
  mul = 2,
  div = 3,
  pow = 4,
  maximum = 5,
  minimum = 6,
  gt = 7,
  ge = 8,
  lt = 9,
  le = 10,
  eq = 11,
  ne = 12,
}

/** Reductions (assembly/reduce.ts `reduce`); members are backend.ts's `ReduceOp`. */
export enum ReduceOp {
  sum = 0,
  max = 1,
  min = 2,
  argmax = 3,
  argmin = 4,
}

/** `copy`'s conversions: a 32-bit move, float32 → int32 (truncation), int32 → float32. */
export enum CopyKind {
  same = 0,
  f32ToI32 = 1,
  i32ToF32 = 2,
}

/** The activations fused into a product's epilogue (assembly/fused.ts); backend.ts's `FusedActivation`. */
export enum FusedActivation {
  none = 0,
  relu = 1,
  sigmoid = 2,
  tanh = 3,
}

/**
 * The stage switches of the fused optimizer updates (assembly/optim.ts), OR-ed into their `flags`
 * argument; the caller decides them on the float64 values, as the unfused chain does.
 */
export enum OptimFlag {
  maximize = 1,
  /** Coupled L2: g ← g + λθ before the scaling. */
  decay = 2,
  /** AdamW's decoupled decay: u ← u + λθ after the scaling. */
  decoupled = 4,
  amsgrad = 8,
  epsInsideSqrt = 16,
  /** Divide the update by a scalar: Adam's bias correction 1 − β₁^t, AdaGrad's 1 + (t − 1)·lrDecay. */
  divide = 32,
  momentum = 64,
  /** The momentum buffer's first step: b ← u. */
  initMomentum = 128,
  nesterov = 256,
  centered = 512,
}
