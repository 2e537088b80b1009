/**
 * How much memory training a model takes, estimated before anything is allocated, so that a model that
 * cannot fit is refused at once with the numbers instead of after minutes of allocating (a 30000-wide
 * MLP once took 174 s and 14 GB before its out-of-memory error).
 *
 * Training holds, as long-lived tensors: the parameters, their gradients, the optimizer's state (its
 * slots per parameter: Adam's two moments, SGD's momentum buffer…) and the modules' buffers (batch
 * norm's running statistics); and, within each step: the activations that the forward pass keeps for
 * the backward pass and the gradients the backward pass makes of them. The long-lived part is counted
 * exactly from the tensors' sizes. The step's part is estimated: every intermediate of the forward pass
 * counted once and again for its gradient, as the step's scope keeps both until the step ends; and
 * the step's scratch: one transient tensor the size of the largest parameter (a layer's weight
 * gradient exists once more before it lands in `.grad`: measured on wasm, a 2-4000-4000-3 MLP at batch
 * 64 peaked one 4000×4000 weight above the rest) plus the kernels' own scratch (`kernelScratchBytes`:
 * wasm's matrix-product packing buffers).
 *
 * The footprints below mirror the builders (mlp.ts, resnet.ts) layer by layer; test/train/
 * memory_estimate.test.ts checks their parameter and buffer counts against the built models.
 */

/** What a model holds and makes: element counts, per tensor for the long-lived ones. */
export interface ModelFootprint {
  /** Elements of each parameter tensor. */
  readonly parameters: readonly number[];
  /** Elements of each buffer (running statistics). */
  readonly buffers: readonly number[];
  /** Elements of the forward pass's intermediate tensors for one sample (input and logits included). */
  readonly activationsPerSample: number;
}

interface TrainingMemorySpec {
  readonly model: ModelFootprint;
  readonly batchSize: number;
  /** Optimizer state tensors per parameter tensor, each of its size (Adam 2, SGD with momentum 1). */
  readonly optimizerSlots: number;
  /** Bytes per element (default 4: float32). */
  readonly bytesPerElement?: number;
  /**
   * The bytes a backend reserves for a tensor of `bytes` bytes (its allocator's size classes); by
   * default exactly `bytes`.
   */
  readonly blockBytes?: (bytes: number) => number;
  /** Bytes the backend's kernels keep as scratch during a step (default 0). */
  readonly kernelScratchBytes?: number;
}

/** The estimate, in bytes, by part. */
export interface TrainingMemoryEstimate {
  readonly parameters: number;
  readonly gradients: number;
  readonly optimizerState: number;
  readonly buffers: number;
  readonly activations: number;
  /** A transient copy of the largest parameter and the kernels' scratch (see the module comment). */
  readonly scratch: number;
  readonly total: number;
  /** The largest single tensor, in bytes (a backend may limit one tensor's size). */
  readonly largestTensor: number;
}

export function estimateTrainingMemory(spec: TrainingMemorySpec): TrainingMemoryEstimate {
  const element = spec.bytesPerElement ?? 4;
  const block = spec.blockBytes ?? ((bytes: number) => bytes);
  const bytesOf = (sizes: readonly number[]): number =>
    sizes.reduce((sum, n) => sum + (n === 0 ? 0 : block(n * element)), 0);
  const parameters = bytesOf(spec.model.parameters);
  const buffers = bytesOf(spec.model.buffers);
  // Forward intermediates and their gradients, for the whole batch.
  const activations = 2 * spec.model.activationsPerSample * spec.batchSize * element;
  const largestParameter = Math.max(0, ...spec.model.parameters) * element;
  const scratch = (largestParameter === 0 ? 0 : block(largestParameter)) + (spec.kernelScratchBytes ?? 0);
  const total = parameters * (2 + spec.optimizerSlots) + buffers + activations + scratch;
  return {
    parameters,
    gradients: parameters,
    optimizerState: parameters * spec.optimizerSlots,
    buffers,
    activations,
    scratch,
    total,
    largestTensor: largestParameter,
  };
}

interface MlpFootprintSpec {
  /** Layer widths from input to output, as mlp()'s `sizes`. */
  readonly sizes: readonly number[];
  readonly batchNorm?: boolean;
  readonly dropout?: number;
  readonly inputDropout?: number;
  /** Linear layers with bias (default true). */
  readonly bias?: boolean;
}

/**
 * An mlp()'s tensors: per layer a weight [out, in] and a bias [out]; per hidden layer with batch norm a
 * weight and a bias [out] and the buffers running_mean, running_var [out] and num_batches_tracked [1].
 * A sample's intermediates: the input (and its dropout mask and output), per hidden layer the Linear's
 * output, batch norm's, the activation's (and dropout's mask and output); the logits, and the loss's
 * probabilities and their logarithms.
 */
export function mlpFootprint(spec: MlpFootprintSpec): ModelFootprint {
  const { sizes } = spec;
  const bias = spec.bias ?? true;
  const parameters: number[] = [];
  const buffers: number[] = [];
  let activations = sizes[0]! * ((spec.inputDropout ?? 0) > 0 ? 3 : 1);
  for (let i = 1; i < sizes.length; i++) {
    const width = sizes[i]!;
    parameters.push(sizes[i - 1]! * width);
    if (bias) parameters.push(width);
    if (i === sizes.length - 1) {
      activations += 3 * width;
      break;
    }
    let perUnit = 2; // the Linear's output and the activation's
    if (spec.batchNorm) {
      parameters.push(width, width);
      buffers.push(width, width, 1);
      perUnit += 1;
    }
    if ((spec.dropout ?? 0) > 0) perUnit += 2;
    activations += perUnit * width;
  }
  return { parameters, buffers, activationsPerSample: activations };
}

interface ResNetFootprintSpec {
  /** 6n + 2. */
  readonly depth: number;
  /** Channels of the first stage (the stages have w, 2w, 4w). */
  readonly width: number;
  readonly inChannels: number;
  readonly classes: number;
  /** The input images' height and width. */
  readonly imageSize: readonly [number, number];
  /** With projection shortcuts (resnet) or without (plainNet). */
  readonly shortcut: boolean;
}

/**
 * A ResNet's tensors (resnet.ts, basic_block.ts): 3×3 convolutions without bias, each followed by batch
 * norm (weight and bias; running_mean, running_var, num_batches_tracked); a 1×1 convolution and batch
 * norm as the shortcut where a block changes shape; the final Linear. A sample's intermediates: per
 * convolution its output, batch norm's and the ReLU's (and the residual sum), at the stage's
 * resolution (halved by each stride-2 stage, rounding up as a padded 3×3 convolution does).
 */
export function resnetFootprint(spec: ResNetFootprintSpec): ModelFootprint {
  const n = (spec.depth - 2) / 6;
  const w = spec.width;
  const parameters: number[] = [];
  const buffers: number[] = [];
  let [h, wd] = spec.imageSize;
  let activations = spec.inChannels * h * wd;
  const convBn = (inC: number, outC: number, k: number, maps: number): void => {
    parameters.push(outC * inC * k * k, outC, outC);
    buffers.push(outC, outC, 1);
    activations += 2 * outC * maps; // the convolution's output and batch norm's
  };
  convBn(spec.inChannels, w, 3, h * wd);
  activations += w * h * wd; // ReLU
  let inPlanes = w;
  for (const [planes, stride] of [
    [w, 1],
    [2 * w, 2],
    [4 * w, 2],
  ] as const) {
    for (let b = 0; b < n; b++) {
      const s = b === 0 ? stride : 1;
      if (s === 2) {
        h = Math.ceil(h / 2);
        wd = Math.ceil(wd / 2);
      }
      const maps = h * wd;
      convBn(inPlanes, planes, 3, maps);
      activations += planes * maps; // ReLU
      convBn(planes, planes, 3, maps);
      if (spec.shortcut && (s !== 1 || inPlanes !== planes)) convBn(inPlanes, planes, 1, maps);
      activations += (spec.shortcut ? 2 : 1) * planes * maps; // the sum, the ReLU
      inPlanes = planes;
    }
  }
  parameters.push(4 * w * spec.classes, spec.classes);
  activations += 4 * w + 3 * spec.classes; // pooled features, logits and the loss's
  return { parameters, buffers, activationsPerSample: activations };
}
