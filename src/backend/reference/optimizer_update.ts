import type { TypedArray } from '../../tensor/dtype.js';
import type { OptimizerUpdateCall } from '../optimizer_update.js';

/** The reference meaning of every fused optimizer update, over the buffers' typed arrays. (Placeholder.) */
export function referenceOptimizerUpdate(call: OptimizerUpdateCall, _buffers: readonly TypedArray[]): void {
  throw new Error(`optimizerUpdate: unknown update kind '${call.kind}'`);
}
