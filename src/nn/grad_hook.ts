/**
 * Gradient hooks on tensors (PyTorch's `Tensor.register_hook`, observe-only): `fn(g)` runs during
 * backward with the total gradient of the loss with respect to the tensor.
 *
 * Why it works without a hook table in the tape: backward hands the summed gradient of every tensor
 * that retains its gradient (and of every leaf) to that tensor's `accumulateGrad` exactly once per
 * backward, after all of the tensor's consumers have been processed. The hook replaces
 * `accumulateGrad` on that one tensor object with a function that calls the hooks, and that still
 * stores `.grad` only when the tensor is a leaf or already retained its gradient before it was hooked.
 * So hooking an intermediate output keeps no gradient alive: `g` belongs to the scope backward runs
 * in; clone and `keep()` it, or read its numbers, to use it later. When src/autograd grows a hook
 * table, this file becomes a one-line call into it.
 */
import type { Tensor } from '../tensor/tensor.js';

/** Returned by every `register…Hook`: `remove()` unregisters the hook (idempotent). */
export interface HookHandle {
  remove(): void;
}

const hooksOf = new WeakMap<Tensor, Set<(g: Tensor) => void>>();

/**
 * Calls `fn(gradient)` each time backward computes the gradient with respect to `t` (a tensor that
 * requires grad). Returns a handle whose `remove()` stops it.
 *
 * @example
 * const h = relu(matmul(x, w));
 * registerGradHook(h, (g) => console.log(g.abs().mean().item()));
 * h.sum().backward();
 */
export function registerGradHook(t: Tensor, fn: (gradient: Tensor) => void): HookHandle {
  if (!t.requiresGrad) {
    throw new Error(
      'registerGradHook: this tensor does not require grad, so backward never reaches it (was it computed inside noGrad?)',
    );
  }
  let hooks = hooksOf.get(t);
  if (hooks === undefined) {
    const set = new Set<(g: Tensor) => void>();
    hooks = set;
    hooksOf.set(t, set);
    const store = t.isLeaf || t.retainsGrad;
    if (!t.isLeaf) t.retainGrad();
    const accumulate = t.accumulateGrad.bind(t);
    t.accumulateGrad = (g: Tensor): void => {
      if (store) accumulate(g);
      for (const h of [...set]) h(g);
    };
  }
  const entry = (g: Tensor): void => fn(g);
  hooks.add(entry);
  const owner = hooks;
  return { remove: () => void owner.delete(entry) };
}
