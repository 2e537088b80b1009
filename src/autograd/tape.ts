/**
 * Reverse-mode automatic differentiation on a tape.
 *
 * Each op that has an input requiring gradients records a node on its output: which primitive ran,
 * its inputs and parameters. `backward` visits the nodes reachable from the root in reverse
 * topological order and applies each primitive's vector-Jacobian product from grad_rules.ts, summing
 * the gradients that meet at a tensor used several times (fan-out). Gradients reaching a leaf are
 * added into its `.grad`, so they accumulate across calls until `zeroGrad`.
 *
 * Gradient rules run with recording off: backward builds no graph of its own, so higher-order
 * gradients (PyTorch's `create_graph=True`) are not supported yet.
 */

import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { gradRules, type VjpContext } from './grad_rules.js';
import type { Primitive, PrimitiveParams } from './primitives.js';

export interface GradNode<P extends Primitive = Primitive> {
  readonly primitive: P;
  readonly inputs: readonly Tensor[];
  readonly params: PrimitiveParams[P];
  /** Set once backward has run without retainGraph: the node's saved tensors may be gone. */
  freed: boolean;
}

let gradEnabled = true;

/** Runs fn with gradient recording off (PyTorch's `torch.no_grad()`): results never require grad. */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Attaches a tape node to `output` when recording is on and an input requires gradients. */
export function record<P extends Primitive>(
  primitive: P,
  inputs: readonly Tensor[],
  output: Tensor,
  params: PrimitiveParams[P],
): Tensor {
  if (gradEnabled && inputs.some((t) => t.requiresGrad)) {
    output.attachGradFn({ primitive, inputs, params, freed: false } as GradNode);
  }
  return output;
}

export interface BackwardOptions {
  /** Keep the graph so that backward can run through it again (PyTorch's `retain_graph`). */
  retainGraph?: boolean;
}

/** Computes gradients of `root` with respect to every leaf that requires them; see Tensor.backward. */
export function backward(root: Tensor, grad: Tensor | undefined, options: BackwardOptions = {}): void {
  checkOptions('backward', options, { retainGraph: true });
  if (!root.requiresGrad) {
    throw new Error(
      'backward: this tensor does not require grad and has no grad_fn; set requiresGrad on the inputs before computing it (and not inside noGrad)',
    );
  }
  let upstream: Tensor;
  if (grad === undefined) {
    if (root.size !== 1) {
      throw new Error(
        `backward: a gradient can be created implicitly only for a single-element output; this one has shape ${formatShape(root.shape)}, so pass an upstream gradient of that shape`,
      );
    }
    upstream = root.onesLike();
  } else {
    if (!shapesEqual(grad.shape, root.shape)) {
      throw new RangeError(
        `backward: the upstream gradient has shape ${formatShape(grad.shape)} but the output has shape ${formatShape(root.shape)}`,
      );
    }
    upstream = grad.dtype === root.dtype ? grad.detach() : grad.cast(root.dtype);
  }

  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>([[root, upstream]]);
  const retain = options.retainGraph ?? false;
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!;
      const g = grads.get(t);
      grads.delete(t);
      if (g === undefined) continue;
      const node = t.gradFn;
      if (node === null) {
        t.accumulateGrad(g);
        continue;
      }
      if (t.retainsGrad) t.accumulateGrad(g);
      if (node.freed) {
        throw new Error(
          `backward: trying to go through the graph a second time (at ${node.primitive}); its intermediate values were freed. Pass { retainGraph: true } to the first backward call`,
        );
      }
      const ctx: VjpContext<Primitive> = {
        inputs: node.inputs,
        output: t,
        params: node.params,
        needs: node.inputs.map((x) => x.requiresGrad),
      };
      const rule = gradRules[node.primitive] as (g: Tensor, ctx: VjpContext<Primitive>) => (Tensor | null)[];
      const inputGrads = rule(g, ctx);
      node.inputs.forEach((x, k) => {
        const gx = inputGrads[k];
        if (!x.requiresGrad || gx === null || gx === undefined) return;
        if (!shapesEqual(gx.shape, x.shape)) {
          throw new Error(
            `backward: internal error in the ${node.primitive} rule: gradient of input ${k} has shape ${formatShape(gx.shape)}, expected ${formatShape(x.shape)}`,
          );
        }
        const prev = grads.get(x);
        grads.set(x, prev === undefined ? gx : prev.add(gx));
      });
      if (!retain) node.freed = true;
    }
  } finally {
    gradEnabled = previous;
  }
}

/** Tensors reachable from root through grad nodes, each after all of its inputs. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [t, k] = top;
    const inputs = t.gradFn?.inputs ?? [];
    if (k < inputs.length) {
      top[1] = k + 1;
      const x = inputs[k]!;
      if (x.requiresGrad && !visited.has(x)) {
        visited.add(x);
        stack.push([x, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}
