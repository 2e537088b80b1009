/**
 * Captured training steps: trace a step of static shape once, then replay the recorded kernels.
 *
 * `capture({ step, params })` returns a `CapturedStep` whose `run(...inputs)` gives what `step(...inputs)`
 * would, bit for bit: the result, every parameter's `.grad`, the layers' running statistics and the
 * random draws (dropout), the seeded generator advancing exactly as eagerly. Per input signature
 * (the inputs' shapes and dtypes) the first run is eager (gradients and lazily made state appear
 * then), the second is traced (run eagerly while every backend call is recorded, see tracer.ts), and
 * every later one replays the recording (program.ts): a loop over pre-bound kernel calls on buffers
 * the captured step owns, with no autograd, no allocation and no JavaScript of the step. A new
 * signature (the last, smaller batch) gets its own trace.
 *
 * Assumptions, as torch.compile's guards make them: the JavaScript state the step reads (the model's
 * training mode, the loss function, its options) is the same at every run of one signature; call
 * `invalidate()` after changing it. Buffers the step uses but does not own (parameters, gradients,
 * running statistics) are watched: when one is freed or a parameter's `.grad` replaced, the step is
 * traced again. Values loaded in place (`loadStateDict`) need nothing.
 *
 * What cannot be captured runs eagerly instead, never wrongly: a read on the host inside the step
 * outside `hostCheck` (`.item()` on the loss, say), a step that writes a parameter (the optimizer
 * update, which belongs after `run`: its scalars change every step), a host check that reads a
 * temporary. That step completes eagerly, `stats.fallback` says why in one line, and every later run
 * is eager.
 *
 * The results of `run` are valid until the next `run`: they live in buffers the captured step reuses
 * (copy one with `.clone()` to keep it). Run each step inside a `scope()`, as an eager step.
 *
 * @example
 * const step = capture({
 *   step: (x, y) => { opt.zeroGrad(); const loss = crossEntropy(model.call(x), y); loss.backward(); return loss; },
 *   params: model.parameters(),
 * });
 * for (const [x, y] of batches) scope(() => { const loss = step.run(x, y); opt.step(); total.assign(total.add(loss)); });
 */
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, type OptionKeys } from '../util/options.js';
import type { Program } from './program.js';
import { traceStep } from './trace_step.js';

export interface CaptureSpec<I extends readonly Tensor[], O> {
  /** One training step: zeroGrad, forward, loss, backward (the optimizer update runs after `run`, outside). */
  step: (...inputs: I) => O;
  /** The leaves whose `.grad` the step writes (model.parameters()): their gradients are results too. */
  params: readonly Tensor[];
  /** Names the step in errors and in the fallback reason. */
  name?: string;
}

export interface CaptureStats {
  traces: number;
  replays: number;
  eagerSteps: number;
  /** Why the step runs eagerly from now on; null while it is captured. */
  fallback: string | null;
}

export interface CapturedStep<I extends readonly Tensor[], O> {
  /** Runs the step on these inputs: eagerly, by tracing it, or by replaying a trace of this input signature. */
  run(...inputs: I): O;
  readonly stats: CaptureStats;
  /** Drops every trace (the next run traces again), e.g. after the model's parameters were replaced. */
  invalidate(): void;
  /** Releases the buffers the traces own. */
  dispose(): void;
}

const CAPTURE_KEYS: OptionKeys<CaptureSpec<readonly Tensor[], unknown>> = {
  step: true,
  params: true,
  name: true,
};

/**
 * Signatures one captured step traces at most (torch.compile's recompile limit is 8 too): a step
 * whose shapes change at every step would trace at every step, keep a recording per shape, and be
 * slower than eager steps.
 */
const MAX_SIGNATURES = 8;

const backendIds = new WeakMap<object, number>();
let nextBackendId = 1;

/** The inputs' shapes, dtypes and backends: what one trace is valid for. */
function signatureOf(inputs: readonly Tensor[]): string {
  return inputs
    .map((t) => {
      let id = backendIds.get(t.backend);
      if (id === undefined) {
        id = nextBackendId++;
        backendIds.set(t.backend, id);
      }
      return `${t.dtype}[${t.shape.join(',')}]@${id}`;
    })
    .join(' ');
}

class Captured<I extends readonly Tensor[], O> implements CapturedStep<I, O> {
  readonly stats: CaptureStats = { traces: 0, replays: 0, eagerSteps: 0, fallback: null };
  /** Per signature: its program, or null after its first (eager) step. */
  private readonly programs = new Map<string, Program<O> | null>();
  /** What the last run left to release once its result is no longer needed. */
  private leftovers: (() => void) | null = null;
  private disposed = false;

  constructor(private readonly spec: CaptureSpec<I, O>) {}

  private get label(): string {
    return this.spec.name === undefined ? 'capture' : `capture '${this.spec.name}'`;
  }

  run(...inputs: I): O {
    if (this.disposed) throw new Error(`${this.label}: run() after dispose(); capture the step again`);
    this.checkInputs(inputs);
    this.releaseLeftovers();
    for (const p of this.programs.values()) p?.retire();
    if (this.stats.fallback !== null) return this.eager(inputs);
    const key = signatureOf(inputs);
    const program = this.programs.get(key);
    if (program === undefined) {
      if (this.programs.size === MAX_SIGNATURES)
        return this.giveUp(
          `more than ${MAX_SIGNATURES} input signatures (do the shapes change at every step?)`,
          inputs,
        );
      this.programs.set(key, null);
      return this.eager(inputs);
    }
    if (program?.valid()) {
      const refusal = program.load(inputs);
      if (refusal !== null)
        return this.giveUp(`a host check refused to replay this step (${refusal})`, inputs);
      this.stats.replays++;
      return program.replay();
    }
    program?.dispose();
    return this.trace(key, inputs);
  }

  private eager(inputs: I): O {
    this.stats.eagerSteps++;
    return this.spec.step(...inputs);
  }

  private trace(key: string, inputs: I): O {
    this.programs.set(key, null);
    const outcome = traceStep({ step: this.spec.step, params: this.spec.params, inputs });
    this.stats.traces++;
    if (outcome.program !== null) {
      this.programs.set(key, outcome.program);
      return outcome.result;
    }
    this.leftovers = outcome.leftovers;
    this.fallBack(outcome.reason);
    return outcome.result;
  }

  /** From now on every run is eager; the traces' memory goes back. */
  private fallBack(reason: string): void {
    this.stats.fallback = `${this.label}: ${reason}; every later step runs eagerly`;
    this.dropPrograms();
  }

  private giveUp(reason: string, inputs: I): O {
    this.fallBack(reason);
    return this.eager(inputs);
  }

  private checkInputs(inputs: readonly unknown[]): void {
    inputs.forEach((t, i) => {
      if (!(t instanceof Tensor)) {
        throw new TypeError(
          `${this.label}: run() takes tensors; input ${i} is ${t === null ? 'null' : typeof t}`,
        );
      }
      if (t.requiresGrad) {
        throw new TypeError(
          `${this.label}: input ${i} requires a gradient; a captured step's inputs are data (pass x.detach()), its parameters are spec.params`,
        );
      }
    });
  }

  private releaseLeftovers(): void {
    const leftovers = this.leftovers;
    this.leftovers = null;
    leftovers?.();
  }

  private dropPrograms(): void {
    for (const p of this.programs.values()) p?.dispose();
    for (const key of this.programs.keys()) this.programs.set(key, null);
  }

  invalidate(): void {
    this.dropPrograms();
  }

  dispose(): void {
    this.disposed = true;
    this.releaseLeftovers();
    this.dropPrograms();
    this.programs.clear();
  }
}

/** Captures `spec.step` for replay; see the module's comment for the semantics and the limits. */
export function capture<I extends readonly Tensor[], O>(spec: CaptureSpec<I, O>): CapturedStep<I, O> {
  checkOptions('capture', spec, CAPTURE_KEYS);
  if (typeof spec?.step !== 'function') {
    throw new TypeError(
      'capture: spec.step must be a function (one training step: zeroGrad, forward, loss, backward)',
    );
  }
  if (!Array.isArray(spec.params) || !spec.params.every((p) => p instanceof Tensor)) {
    throw new TypeError('capture: spec.params must be an array of tensors (model.parameters())');
  }
  return new Captured(spec);
}
