/**
 * Fused optimizer updates: the call a backend's `optimizerUpdate` kernel receives.
 * (Placeholder; the fused-optimizer work defines the calls.)
 */
export interface OptimizerUpdateCall {
  readonly kind: string;
}
