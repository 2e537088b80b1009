/**
 * The PyTorch-like facade over gradient transformations: `new Adam(params, { lr })`, parameter
 * groups with their own options, `step()`, `zeroGrad()`, `stateDict()` / `loadStateDict()`, and a
 * learning rate that can be read and set while training (`optimizer.lr`, or `paramGroups[i].lr`).
 *
 * Every optimizer is one declaration, an `OptimizerSpec` (optimizer_spec.ts: its options with their
 * checks and defaults, and its chain); this class does the rest for all of them. Each group gets its
 * own chain of transformations whose hyperparameters are read from the group at every step, so
 * changing `group.lr` (as schedules do) takes effect on the next step. A chain whose alias declares a
 * fused form (SGD, Adam, AdamW, RMSprop, Adagrad: see fused.ts) runs as that kernel instead, one pass
 * over memory per parameter instead of about twelve, with bit-identical results.
 */
import { noGrad } from '../autograd/tape.js';
import { clone } from '../ops/shape_ops.js';
import { shapesEqual } from '../tensor/shape.js';
import { scope } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, type OptionKeys } from '../util/options.js';
import { isFlatLike } from './fused.js';
import {
  checkRequired,
  groupHypers,
  type OptimizerSpec,
  resolveDefaults,
  validateOptions,
} from './optimizer_spec.js';
import { disposeState, restoreState, serializeState } from './saved_state.js';
import { type Chain, keepState } from './transform.js';
import type { LookAhead } from './transforms/nesterov_lookahead.js';

/** A parameter group: its tensors plus its options (any option not given takes the optimizer's default). */
export type ParamGroup<O> = O & {
  params: Tensor[] /** Set by learning-rate schedules: the group's lr when the schedule started. */;
  initialLr?: number;
};

/** What an optimizer accepts: a list of tensors, or a list of groups `{ params, ...options }`. */
export type ParamsArg<O> = readonly Tensor[] | readonly ({ params: readonly Tensor[] } & Partial<O>)[];

export type { SerializedTensor } from './saved_state.js';

export interface OptimizerStateDict<O> {
  /** Per parameter (by its index over all groups, in order), the state of each transformation of the chain. */
  state: Record<number, unknown[]>;
  paramGroups: (O & { params: number[] })[];
}

/** What training code needs from an optimizer; `Optimizer` and the wrappers (Lookahead, AdamToSGD) provide it. */
export interface OptimizerLike {
  readonly paramGroups: readonly { params: Tensor[]; lr: number }[];
  lr: number;
  /** One update; with a closure, returns what the closure returned (PyTorch's contract), unread. */
  step(closure?: () => Tensor | number): Tensor | number | undefined;
  zeroGrad(options?: { setToNone?: boolean }): void;
  stateDict(): unknown;
  loadStateDict(sd: never): void;
}

/** The accepted-key table of an optimizer: the options its spec checks. */
function acceptedKeys<O extends { lr: number }>(spec: OptimizerSpec<O>): OptionKeys<O> {
  return Object.fromEntries(Object.keys(spec.checks).map((k) => [k, true])) as OptionKeys<O>;
}

/**
 * The facade every optimizer class is: a subclass only passes its spec, `super(SPEC, params, options)`.
 */
export abstract class Optimizer<O extends { lr: number }> implements OptimizerLike {
  readonly name: string;
  readonly defaults: Readonly<O>;
  readonly paramGroups: ParamGroup<O>[] = [];
  private readonly chains: Chain[] = [];
  private readonly state = new Map<Tensor, unknown[]>();
  /** Steps taken so far. */
  stepCount = 0;
  /**
   * @internal Whether `step()` may run fused kernels (default true). False runs every update through
   * the chain, the specification: tests compare the two paths bit for bit, benchmarks time them.
   * Either way the state is the same tensors, so it may be switched between steps.
   */
  fusedUpdates = true;

  protected constructor(
    private readonly spec: OptimizerSpec<O>,
    params: ParamsArg<O>,
    given: Partial<O> | undefined,
  ) {
    const name = spec.name;
    this.name = name;
    checkRequired(spec, given);
    checkOptions(name, given, acceptedKeys(spec));
    this.defaults = Object.freeze(resolveDefaults(spec, given ?? {}));
    if (!Array.isArray(params) || params.length === 0) {
      throw new TypeError(
        `${name}: params must be a non-empty array of tensors or of parameter groups { params, ...options }`,
      );
    }
    const groups = params.every((p) => p instanceof Tensor)
      ? [{ params: params as readonly Tensor[] } as { params: readonly Tensor[] } & Partial<O>]
      : (params as readonly ({ params: readonly Tensor[] } & Partial<O>)[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Adds a group of parameters with its own options (PyTorch's `add_param_group`). */
  addParamGroup(spec: { params: readonly Tensor[] } & Partial<O>): void {
    if (spec === null || typeof spec !== 'object' || !Array.isArray(spec.params)) {
      throw new TypeError(
        `${this.name}: a parameter group must be an object { params: Tensor[], ...options }`,
      );
    }
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    for (const [i, p] of spec.params.entries()) {
      if (!(p instanceof Tensor)) throw new TypeError(`${this.name}: params[${i}] is not a Tensor`);
      if (!p.isLeaf)
        throw new TypeError(
          `${this.name}: params[${i}] is not a leaf tensor; optimizers update leaves (parameters) only`,
        );
      if (p.dtype === 'int32')
        throw new TypeError(
          `${this.name}: params[${i}] is int32; only floating-point tensors can be optimized`,
        );
      if (seen.has(p))
        throw new Error(`${this.name}: a parameter appears in more than one group (or twice in one)`);
      seen.add(p);
    }
    // A group's keys are `params` plus the optimizer's options; `Omit` of a generic does not narrow.
    const { params: _, ...groupOptions } = spec;
    checkOptions(this.name, groupOptions as unknown as Partial<O>, acceptedKeys(this.spec));
    const options = { ...this.defaults } as O;
    // undefined and null both mean "the optimizer's default", as in the constructors' options.
    for (const [k, v] of Object.entries(spec)) {
      if (k !== 'params' && v !== undefined && v !== null) (options as Record<string, unknown>)[k] = v;
    }
    validateOptions(this.spec, options);
    const group = { ...options, params: [...spec.params] } as ParamGroup<O>;
    this.paramGroups.push(group);
    this.chains.push(this.spec.chain(groupHypers(this.spec, group), group));
  }

  /** The learning rate of the first group; setting it sets every group's. */
  get lr(): number {
    return this.paramGroups[0]!.lr;
  }

  set lr(value: number) {
    if (!(value >= 0) || !Number.isFinite(value))
      throw new RangeError(`${this.name}: lr must be a non-negative number, got ${value}`);
    for (const g of this.paramGroups) g.lr = value;
  }

  /**
   * Takes one optimization step with the gradients in each parameter's `.grad` (parameters without a
   * gradient are skipped, as in PyTorch). `closure` — a function that zeroes the gradients,
   * recomputes the loss, calls backward and returns the loss — is optional, except for optimizers that
   * evaluate the gradient elsewhere than at θ (Nesterov's look-ahead form), which call it themselves.
   * Returns what the closure returned, as PyTorch does: a loss tensor stays on the device (reading it
   * here would cost a read every step).
   */
  step(closure?: () => Tensor | number): Tensor | number | undefined {
    let loss: Tensor | number | undefined;
    if (this.needsLookAhead()) {
      if (closure === undefined) {
        throw new Error(
          `${this.name}: this configuration evaluates the gradient at a look-ahead point; pass a closure to step(closure) that recomputes the loss and calls backward`,
        );
      }
      loss = this.evaluateAtLookAhead(closure);
    } else if (closure !== undefined) {
      loss = closure();
    }
    scope(() =>
      noGrad(() => {
        this.paramGroups.forEach((group, k) => {
          // The fused kernel updates what it can; the chain takes the other parameters with a gradient.
          const params = group.params.filter((p) => p.grad !== null && !this.stepFused(k, p));
          if (params.length === 0) return;
          const states = params.map((p) => this.stateOf(k, p));
          const grads = params.map((p) => p.grad!);
          const updates = this.chains[k]!.update(grads, states, params);
          params.forEach((p, i) => {
            p.assign(p.add(updates[i]!));
          });
          keepState(states);
        });
      }),
    );
    this.stepCount += 1;
    return loss;
  }

  /**
   * Updates one parameter with its group's fused kernel; false (nothing done) when the chain declares
   * no fused form or the backend, the dtype, the layout or the state does not allow it, and the chain
   * updates it instead. A gradient that is a view (strided, offset) is copied first.
   */
  private stepFused(k: number, p: Tensor): boolean {
    const form = this.chains[k]!.fused;
    if (!this.fusedUpdates || form === undefined) return false;
    const backend = p.backend;
    const grad = p.grad!;
    if (typeof backend.optimizerUpdate !== 'function') return false;
    if ((p.dtype !== 'float32' && p.dtype !== 'float64') || !isFlatLike(p, p)) return false;
    if (grad.storage === p.storage || grad.backend !== backend || grad.dtype !== p.dtype) return false;
    if (!shapesEqual(grad.shape, p.shape)) return false;
    const states = this.stateOf(k, p);
    const fused = form(states, p);
    if (fused === null) return false;
    const g = isFlatLike(grad, p) ? grad : clone(grad.detach());
    backend.optimizerUpdate(
      fused.call,
      [p, g, ...fused.state].map((t) => t.strided().buffer),
    );
    keepState(states);
    return true;
  }

  /** Zeroes every parameter's gradient in place (PyTorch 1.13's default), or drops it with setToNone. */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    checkOptions(`${this.name}.zeroGrad`, options, { setToNone: true });
    for (const g of this.paramGroups) for (const p of g.params) p.zeroGrad(options);
  }

  /** The state of one parameter's chain (created on first use, outside any scope). */
  stateOf(groupIndex: number, param: Tensor): unknown[] {
    let s = this.state.get(param);
    if (s === undefined) {
      s = this.chains[groupIndex]!.init(param);
      keepState(s);
      this.state.set(param, s);
    }
    return s;
  }

  private needsLookAhead(): boolean {
    return this.chains.some((c) => lookAheadsOf(c).length > 0);
  }

  private evaluateAtLookAhead(closure: () => Tensor | number): Tensor | number {
    const shifts: [Tensor, Tensor][] = [];
    noGrad(() => {
      this.paramGroups.forEach((group, k) => {
        const la = lookAheadsOf(this.chains[k]!);
        for (const p of group.params) {
          // No state yet means no velocity: the look-ahead point is θ itself.
          const states = this.state.get(p);
          if (states === undefined) continue;
          for (const { index, transform } of la) {
            const offset = transform.lookAhead(states[index], p);
            keepState(offset);
            p.assign(p.add(offset));
            shifts.push([p, offset]);
          }
        }
      });
    });
    try {
      return closure();
    } finally {
      noGrad(() => {
        for (const [p, offset] of shifts.reverse()) {
          p.assign(p.sub(offset));
          offset.dispose();
        }
      });
    }
  }

  /** A snapshot of options and state, PyTorch-style (parameters referred to by index). */
  stateDict(): OptimizerStateDict<O> {
    const state: Record<number, unknown[]> = {};
    let index = 0;
    const paramGroups = this.paramGroups.map((group) => {
      const { params, ...options } = group;
      const ids = params.map((p) => {
        const s = this.state.get(p);
        if (s !== undefined) state[index] = serializeState(s) as unknown[];
        return index++;
      });
      return { ...(options as unknown as O), params: ids };
    });
    return { state, paramGroups };
  }

  /**
   * Restores options and state from `stateDict()`; the groups must hold the same numbers of
   * parameters. Everything is checked before anything changes (a refused state dict changes nothing):
   * the groups' options are this optimizer's (no foreign or missing option, each value valid), and each
   * parameter's state matches what this optimizer's chain keeps for it (see saved_state.ts: moments of
   * the parameter's shape with finite values, step counts that are non-negative integers).
   */
  loadStateDict(sd: OptimizerStateDict<O>): void {
    const who = `${this.name}.loadStateDict`;
    if (
      !sd ||
      typeof sd !== 'object' ||
      !Array.isArray(sd.paramGroups) ||
      !sd.state ||
      typeof sd.state !== 'object'
    ) {
      throw new TypeError(`${who}: expected an object { state, paramGroups } as returned by stateDict()`);
    }
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new RangeError(
        `${who}: the state dict has ${sd.paramGroups.length} parameter groups, this optimizer has ${this.paramGroups.length}`,
      );
    }
    const ids = this.checkSavedIds(sd);
    const staged = sd.paramGroups.map((saved, k) => {
      const group = this.paramGroups[k]!;
      const options = this.savedOptions(saved, k);
      const states = ids[k]!.map((id, i) => {
        const p = group.params[i]!;
        const savedState = sd.state[id];
        if (savedState === undefined) return [p, undefined] as const;
        const fresh = this.chains[k]!.init(p);
        try {
          return [
            p,
            restoreState(this.chains[k]!, fresh, savedState, p, `${who}: state of parameter ${id}`),
          ] as const;
        } finally {
          disposeState(fresh);
        }
      });
      return { group, options, states };
    });
    for (const { group, options, states } of staged) {
      Object.assign(group, options);
      for (const [p, restored] of states) {
        if (restored === undefined) this.state.delete(p);
        else {
          keepState(restored);
          this.state.set(p, restored);
        }
      }
    }
  }

  /** The parameter ids of each saved group: integers, each used once, as many as the group has here. */
  private checkSavedIds(sd: OptimizerStateDict<O>): number[][] {
    const who = `${this.name}.loadStateDict`;
    const seen = new Set<number>();
    const ids = sd.paramGroups.map((saved, k) => {
      const params = (saved as { params?: unknown } | null)?.params;
      if (
        !Array.isArray(params) ||
        !params.every((id) => Number.isSafeInteger(id) && id >= 0 && !seen.has(id) && seen.add(id))
      ) {
        throw new RangeError(
          `${who}: group ${k}'s params must be distinct parameter indices (non-negative integers)`,
        );
      }
      if (params.length !== this.paramGroups[k]!.params.length) {
        throw new RangeError(
          `${who}: group ${k} has ${params.length} parameters in the state dict and ${this.paramGroups[k]!.params.length} here`,
        );
      }
      return params as number[];
    });
    for (const key of Object.keys(sd.state)) {
      if (!seen.has(Number(key)))
        throw new RangeError(`${who}: the state dict holds state for parameter ${key}, which no group lists`);
    }
    return ids;
  }

  /** A saved group's options, checked: exactly this optimizer's options, each valid. */
  private savedOptions(
    saved: OptimizerStateDict<O>['paramGroups'][number],
    k: number,
  ): Omit<ParamGroup<O>, 'params'> {
    const who = `${this.name}.loadStateDict: group ${k}`;
    const { params: _ids, ...options } = saved as unknown as Record<string, unknown>;
    for (const key of Object.keys(options)) {
      if (key !== 'initialLr' && !(key in this.defaults)) {
        throw new RangeError(
          `${who} has option '${key}', which ${this.name} does not take (accepted: ${Object.keys(this.defaults).join(', ')}); was it saved by another optimizer?`,
        );
      }
    }
    for (const key of Object.keys(this.defaults)) {
      if (!(key in options))
        throw new RangeError(`${who} lacks option '${key}'; was it saved by another optimizer?`);
    }
    const initialLr = options.initialLr;
    if (
      initialLr !== undefined &&
      (typeof initialLr !== 'number' || !(initialLr >= 0) || !Number.isFinite(initialLr))
    ) {
      throw new RangeError(`${who}: initialLr must be a non-negative number, got ${String(initialLr)}`);
    }
    try {
      validateOptions(this.spec, { ...(options as unknown as O) });
    } catch (error) {
      const E = error instanceof TypeError ? TypeError : RangeError;
      throw new E(`${who}: ${(error as Error).message}`);
    }
    return options as Omit<ParamGroup<O>, 'params'>;
  }
}

function lookAheadsOf(chain: Chain): { index: number; transform: LookAhead<unknown> }[] {
  return chain.parts
    .map((t, index) => ({ index, transform: t as unknown as LookAhead<unknown> }))
    .filter(({ transform }) => typeof transform.lookAhead === 'function');
}
