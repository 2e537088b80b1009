/**
 * The error a backend throws when a tensor does not fit in its memory, with what is needed to act on
 * it: the tensor, the memory in use, the limit, and what to do. It is a RangeError, as the engine's
 * own "Array buffer allocation failed" is.
 */

/**
 * Bytes for people: 512 B, 3.50 KiB, 1.94 GiB, 256.0 MiB. The one definition, here because this file is core
 * (browsers too); the Node-only readers (src/io/safe_path.ts) use it for their limits.
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** What could not be allocated, and the state of the memory at that moment. */
export interface OutOfMemoryDetails {
  /** The backend's name (wasm). */
  readonly backend: string;
  /** What was being allocated: 'a float32 tensor of shape [520000000]', 'a scratch block'. */
  readonly what: string;
  /** Bytes the allocation needed. */
  readonly requested: number;
  /** Bytes taken from the backend's memory: live tensors, and released blocks kept for reuse. */
  readonly live: number;
  readonly cached: number;
  /** The backend's limit in bytes, and what sets it. */
  readonly limit: number;
  readonly limitReason: string;
}

export class OutOfMemoryError extends RangeError {
  override readonly name = 'OutOfMemoryError';
  constructor(readonly details: OutOfMemoryDetails) {
    const d = details;
    super(
      `the ${d.backend} backend is out of memory: ${d.what} needs ${formatBytes(d.requested)}, and ` +
        `${formatBytes(d.live + d.cached)} of its ${formatBytes(d.limit)} (${d.limitReason}) is taken ` +
        `(${formatBytes(d.live)} by live tensors, ${formatBytes(d.cached)} by released blocks kept for reuse). ` +
        'Release what you no longer need (run each training step inside scope(), or dispose() tensors), ' +
        'use smaller batches or a smaller model, or use the reference backend ' +
        "(--backend reference, or setBackend(new ReferenceBackend())), which is bounded by the machine's memory instead.",
    );
  }
}
