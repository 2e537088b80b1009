/**
 * Refusing a model that cannot fit, before it is built: the training memory estimate
 * (train/memory_estimate.ts) against what the backend can still give. A 30000-wide MLP is refused in
 * milliseconds with the numbers, where building it once took minutes and 14 GB before failing.
 *
 * The budget: the wasm backend's own limit (its 4 GiB address space less what is taken, data
 * included); on the reference backend, which only the machine bounds, the physical memory less what
 * this process already holds (os.totalmem() − rss): more than that would swap or be killed.
 */
import { totalmem } from 'node:os';
import { formatBytes } from '../backend/out_of_memory.js';
import { ReferenceBackend } from '../backend/reference/reference_backend.js';
import { getBackend, withBackend } from '../backend/registry.js';
import { sizeClass } from '../backend/wasm/allocator.js';
import { WasmBackend } from '../backend/wasm/wasm_backend.js';
import { createOptimizer } from '../optim/registry.js';
import { ones, zeros } from '../tensor/creation.js';
import { scope } from '../tensor/storage.js';
import {
  estimateTrainingMemory,
  type ModelFootprint,
  mlpFootprint,
  resnetFootprint,
  type TrainingMemoryEstimate,
} from '../train/memory_estimate.js';
import { optimizerOptionsOf, type RunConfig, UsageError } from './run_config.js';

const PROBE = 1000;

/**
 * State tensors the configured optimizer keeps per parameter, found by stepping it once on a probe
 * parameter on a scratch reference backend: each optimizer declares its state through its transforms,
 * and this reads it instead of a table kept in sync by hand. Options the optimizer refuses leave the
 * error to buildOptimizer (which reports it as a flag error); the estimate then assumes Adam's two.
 */
export function optimizerSlots(c: RunConfig): number {
  const backend = new ReferenceBackend();
  return withBackend(backend, () => {
    const p = zeros([PROBE], { requiresGrad: true });
    const before = backend.bytesInUse();
    let opt: ReturnType<typeof createOptimizer>;
    try {
      opt = createOptimizer(c.optimizer, [p], optimizerOptionsOf(c));
    } catch (error) {
      // The classes option checks throw (as checkOptimizerOptions reads them); anything else is a bug.
      if (error instanceof RangeError || error instanceof TypeError) return 2;
      throw error;
    }
    scope(() => {
      p.grad = ones([PROBE]);
      opt.step();
    });
    const state = backend.bytesInUse() - before - PROBE * 4; // less the gradient
    return Math.max(0, Math.round(state / (PROBE * 4)));
  });
}

/** The model a configuration describes, as counts; null for the fixed small architectures. */
function footprintOf(c: RunConfig, sampleShape: readonly number[], classes: number): ModelFootprint | null {
  if (c.arch === 'mlp') {
    const inputs = sampleShape.reduce((a, b) => a * b, 1);
    return mlpFootprint({
      sizes: [inputs, ...c.hidden, classes],
      batchNorm: c.batchNorm,
      dropout: c.dropout,
      inputDropout: c.inputDropout,
    });
  }
  if ((c.arch === 'resnet' || c.arch === 'plain') && sampleShape.length === 3) {
    return resnetFootprint({
      depth: c.depth,
      width: c.width,
      inChannels: sampleShape[0]!,
      classes,
      imageSize: [sampleShape[1]!, sampleShape[2]!],
      shortcut: c.arch === 'resnet',
    });
  }
  return null; // lenet5 and densenet: fixed, small architectures
}

/** Bytes the current backend can still give, and what bounds it. */
function memoryBudget(): { bytes: number; what: string } {
  const backend = getBackend();
  const own = backend.availableBytes?.();
  if (own !== undefined) {
    return { bytes: own, what: `what the ${backend.name} backend's 4 GiB address space has left` };
  }
  return {
    bytes: totalmem() - process.memoryUsage().rss,
    what: `the machine's ${formatBytes(totalmem())} of memory less what this process holds`,
  };
}

function describe(e: TrainingMemoryEstimate, slots: number): string {
  const parts = [
    `${formatBytes(e.parameters)} of parameters`,
    `${formatBytes(e.gradients)} of gradients`,
    `${formatBytes(e.optimizerState)} of optimizer state (${slots} per parameter)`,
    `${formatBytes(e.activations)} of activations`,
    `${formatBytes(e.scratch)} of scratch`,
  ];
  return parts.join(', ');
}

/**
 * Throws a UsageError when training the configured model at its batch size would need more memory
 * than the backend can give; does nothing for architectures without a footprint.
 */
export function checkModelFits(c: RunConfig, sampleShape: readonly number[], classes: number): void {
  const model = footprintOf(c, sampleShape, classes);
  if (model === null) return;
  const slots = optimizerSlots(c);
  const backend = getBackend();
  const wasm = backend instanceof WasmBackend;
  const widest = Math.max(...model.parameters);
  const estimate = estimateTrainingMemory({
    model,
    batchSize: c.batchSize,
    optimizerSlots: slots,
    // The packing buffers of a matrix product grow with its output width, up to a cap; the largest
    // parameter's element count bounds every width from above.
    ...(wasm ? { blockBytes: sizeClass, kernelScratchBytes: backend.kernels.gemmScratchBytes(widest) } : {}),
  });
  const budget = memoryBudget();
  if (estimate.total <= budget.bytes) return;
  const backendHint = wasm
    ? ", or --backend reference, which is bounded by the machine's memory instead of 4 GiB"
    : '';
  throw new UsageError(
    `the model does not fit in memory: training it needs about ${formatBytes(estimate.total)} ` +
      `(${describe(estimate, slots)}, at batch size ${c.batchSize}), and ${formatBytes(budget.bytes)} ` +
      `is available (${budget.what}). Use a smaller model (--hidden, --width, --depth), a smaller ` +
      `--batch-size, an optimizer with less state (sgd without momentum keeps none)${backendHint}.`,
  );
}
