/**
 * Precision contracts: how closely a backend's results agree with the reference backend's.
 *
 * The reference backend is the contract itself: arithmetic in float64 rounded once when stored, sums
 * accumulated in float64 in index order, batch-norm and cross-entropy statistics in float64 (see
 * backend.ts for each kernel). Every other backend declares, kernel by kernel, where it gives the
 * same bits from the same inputs and otherwise how far it may be; the parity suites
 * (test/backend/*parity*.test.ts, differential.test.ts) read the declaration instead of constants of
 * their own, so a new backend (a float32 GPU) is held to what it declares by the same tests.
 */
import type { BinaryOp, ReduceOp, UnaryOp } from './backend.js';
import { CORE_KERNELS, FUSED_KERNELS, type KernelName } from './capabilities.js';

export interface Precision {
  /** True for the reference backend alone: the contract the others are measured against. */
  readonly reference: boolean;
  /** Kernels that give the reference backend's bits for the same float32 inputs. */
  readonly exact: readonly KernelName[];
  /**
   * Elementwise ops and reductions of the unary, binary and reduce kernels that are within some ulps
   * of the reference instead of exact; an op not listed gives the same bits.
   */
  readonly ulps: Partial<Record<UnaryOp | BinaryOp | ReduceOp, number>>;
  /**
   * Products summed in float32 (matmul, linear, the convolutions) where not exact: each of the k
   * terms of a sum adds at most `accumulation` times the sum of the terms' magnitudes, so
   * |result − reference| ≤ k·accumulation·Σ|aᵢ·bᵢ|.
   */
  readonly accumulation: number;
  /** Every other kernel not in `exact` (softmax, softmax cross-entropy): |Δ| ≤ atol + rtol·|reference|. */
  readonly rtol: number;
  readonly atol: number;
}

/** The reference backend's declaration: it is the specification, so every kernel is exact. */
export const REFERENCE_PRECISION: Precision = {
  reference: true,
  exact: [...CORE_KERNELS, ...FUSED_KERNELS],
  ulps: {},
  accumulation: 0,
  rtol: 0,
  atol: 0,
};

/** Whether `kernel` gives the reference backend's bits on a backend that declares `precision`. */
export function isExact(precision: Precision, kernel: KernelName): boolean {
  return precision.reference || precision.exact.includes(kernel);
}

/** The ulps an elementwise op or reduction may differ from the reference by (0: the same bits). */
export function ulpsOf(precision: Precision, op: UnaryOp | BinaryOp | ReduceOp): number {
  return precision.reference ? 0 : (precision.ulps[op] ?? 0);
}
