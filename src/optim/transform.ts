/**
 * Gradient transformations, in the spirit of Optax (Babuschkin et al. 2020, "The DeepMind JAX
 * Ecosystem"): an optimizer is a chain of small transformations, each an `init`/`update` pair with
 * typed state. The chain turns gradients into updates, which are added to the parameters:
 * θ ← θ + u. The order of a chain carries meaning: `addDecayedWeights` before `scaleByAdam` is L2
 * regularization inside Adam (PyTorch's Adam with weightDecay); after it, decoupled weight decay
 * (AdamW).
 *
 * Hyperparameters are given as numbers or as functions returning numbers, read at every update, so
 * that a schedule or the PyTorch-like facade can change them while training.
 */
import { keepStorage } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import type { FusedForm } from './fused.js';

/** A hyperparameter: a constant, or a function read at each update. */
export type Hyper<T> = T | (() => T);

export function read<T>(h: Hyper<T>): T {
  return typeof h === 'function' ? (h as () => T)() : h;
}

/**
 * One gradient transformation. `init` makes the state of one parameter; `update` maps the updates
 * of a list of parameters (with their states, in the same order) to new updates, mutating the states
 * in place (with `Tensor.assign`) or replacing their fields.
 */
export interface GradientTransformation<S = unknown> {
  readonly name: string;
  init(param: Tensor): S;
  update(updates: readonly Tensor[], states: readonly S[], params: readonly Tensor[]): Tensor[];
}

/** A chain of transformations; `parts` lists them in order. */
export interface Chain extends GradientTransformation<unknown[]> {
  // biome-ignore lint/suspicious/noExplicitAny: a chain holds transformations with different state types
  readonly parts: readonly GradientTransformation<any>[];
  /**
   * The chain as one fused kernel call per parameter, declared by the alias that built it (fused.ts);
   * absent, the chain always runs as a chain.
   */
  readonly fused?: FusedForm;
}

/** A transformation that treats each parameter on its own. */
export function perParameter<S>(
  name: string,
  init: (param: Tensor) => S,
  update: (u: Tensor, state: S, param: Tensor) => Tensor,
): GradientTransformation<S> {
  return {
    name,
    init,
    update: (updates, states, params) => updates.map((u, i) => update(u, states[i]!, params[i]!)),
  };
}

/** Composes transformations left to right; the state of each parameter is the tuple of their states. */
// biome-ignore lint/suspicious/noExplicitAny: a chain holds transformations with different state types
export function chain(...transforms: GradientTransformation<any>[]): Chain {
  return {
    parts: transforms,
    name: `chain(${transforms.map((t) => t.name).join(', ')})`,
    init: (param) => transforms.map((t) => t.init(param)),
    update: (updates, states, params) => {
      let u = updates.slice();
      transforms.forEach((t, k) => {
        u = t.update(
          u,
          states.map((s) => s[k]),
          params,
        );
      });
      return u;
    },
  };
}

/** A zero tensor shaped like `t`, outside any scope: optimizer state outlives training steps. */
export function zerosLikeState(t: Tensor): Tensor {
  const z = t.detach().zerosLike();
  keepStorage(z.storage);
  return z;
}

/** Moves every tensor reachable from a state object out of the current scope. */
export function keepState(state: unknown, depth = 0): void {
  if (depth > 6 || state === null || typeof state !== 'object') return;
  if (state instanceof Tensor) {
    keepStorage(state.storage);
    return;
  }
  for (const v of Array.isArray(state) ? state : Object.values(state)) keepState(v, depth + 1);
}
