/**
 * A view of a backend that exposes only its required core (capabilities.ts): no fused kernel, so
 * every op runs its composed form. It is how the suite proves that a backend implementing the core
 * alone runs the whole library (test/backends.ts runs the specs on `coreOnly(new ReferenceBackend())`),
 * and a starting point for a new backend: wrap an existing one, then replace the core kernels one by
 * one with the new device's.
 *
 * @example
 * const core = coreOnly(new ReferenceBackend());
 * setBackend(core); // every op now composes linear, batch norm, pooling… from the core kernels
 */
import type { Backend } from './backend.js';
import { CORE_KERNELS, CORE_METHODS, OPTIONAL_CORE_METHODS } from './capabilities.js';
import type { Precision } from './precision.js';

/**
 * The wrapper's contract: the wrapped backend's core kernels, exact where it is; its ops composed
 * from several kernels, each rounding its own result, so op results agree with the fused ones of the
 * same backend to float32 rounding: relatively 1e-5, and absolutely 1e-5 for values of order one
 * (the fused direct convolution sums in float32, and a composed gradient cancels in other roundings).
 */
function coreOnlyPrecision(inner: Precision): Precision {
  return {
    reference: false,
    exact: inner.reference ? CORE_KERNELS : inner.exact,
    ulps: inner.ulps,
    accumulation: inner.accumulation,
    rtol: Math.max(inner.rtol, 1e-5),
    atol: Math.max(inner.atol, 1e-5),
  };
}

/** `backend` with only its core members (bound to it): its fused kernels hidden from the op layer. */
export function coreOnly(backend: Backend): Backend {
  const core: Record<string, unknown> = {
    name: `${backend.name} (core only)`,
    precision: coreOnlyPrecision(backend.precision),
  };
  const source = backend as unknown as Record<string, unknown>;
  for (const method of [...CORE_METHODS, ...OPTIONAL_CORE_METHODS]) {
    const f = source[method];
    if (typeof f === 'function') core[method] = f.bind(backend);
  }
  return core as unknown as Backend;
}
