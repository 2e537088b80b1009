/** Op codes of the WebAssembly kernels; assembly/elementwise.ts and assembly/reduce.ts define the same numbers. */
import type { BinaryOp, ReduceOp, UnaryOp } from '../backend.js';

export const unaryCodes: Record<UnaryOp, number> = {
  neg: 0,
  abs: 1,
  sign: 2,
  exp: 3,
  log: 4,
  sqrt: 5,
  rsqrt: 6,
  square: 7,
  sigmoid: 8,
  tanh: 9,
  relu: 10,
  erf: 11,
  leakyRelu: 12,
  elu: 13,
  softplus: 14,
  clamp: 15,
  gelu: 16,
};

export const binaryCodes: Record<BinaryOp, number> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  pow: 4,
  maximum: 5,
  minimum: 6,
  gt: 7,
  ge: 8,
  lt: 9,
  le: 10,
  eq: 11,
  ne: 12,
};

export const reduceCodes: Record<ReduceOp, number> = { sum: 0, max: 1, min: 2, argmax: 3, argmin: 4 };

/** copy kinds: a 32-bit move, float32 → int32 (truncation), int32 → float32. */
export const COPY_SAME = 0;
export const COPY_F32_TO_I32 = 1;
export const COPY_I32_TO_F32 = 2;
