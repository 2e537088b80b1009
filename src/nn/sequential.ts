import type { FusedActivation } from '../backend/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import { ReLU, Sigmoid, Tanh } from './activations.js';
import { Linear } from './linear.js';
import { Module } from './module.js';

function fusableActivation(m: Module): FusedActivation | null {
  if (m instanceof ReLU) return 'relu';
  if (m instanceof Sigmoid) return 'sigmoid';
  if (m instanceof Tanh) return 'tanh';
  return null;
}

/**
 * A chain of modules applied in order (torch.nn.Sequential): y = fₙ(…f₂(f₁(x))).
 *
 * Children are named "0", "1", … in the order given, so parameters are `0.weight`, `2.bias`, as in
 * PyTorch; pass one record `{ conv0: …, norm0: … }` instead to name them (PyTorch's OrderedDict form).
 *
 * @example
 * const net = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * net.call(randn([5, 4])).shape; // [5, 2]
 * [...net.stateDict().keys()]; // ['0.weight', '0.bias', '2.weight', '2.bias']
 */
export class Sequential extends Module {
  private readonly layers: Module[] = [];

  constructor(...modules: Module[] | [Readonly<Record<string, Module>>]) {
    super();
    const first = modules[0];
    if (modules.length === 1 && first !== undefined && !(first instanceof Module)) {
      for (const [name, m] of Object.entries(first)) this.add(name, m);
    } else {
      for (const m of modules as Module[]) this.append(m);
    }
  }

  private add(name: string, m: Module): void {
    if (!(m instanceof Module)) {
      throw new TypeError(
        `Sequential: entry '${name}' is not a Module (got ${m === null ? 'null' : typeof m})`,
      );
    }
    this.registerModule(name, m);
    this.layers.push(m);
  }

  /** Adds a module at the end, named by its index. Returns this. */
  append(m: Module): this {
    this.add(String(this.layers.length), m);
    return this;
  }

  /** The i-th module (negative i counts from the end). */
  at(i: number): Module {
    const m = this.layers.at(i);
    if (m === undefined) {
      throw new RangeError(`Sequential.at: index ${i} is out of range for ${this.layers.length} modules`);
    }
    return m;
  }

  get length(): number {
    return this.layers.length;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.layers[Symbol.iterator]();
  }

  /**
   * Runs the modules in order. A Linear followed by a ReLU, Sigmoid or Tanh, neither with hooks, runs
   * as one fused `linear(x, W, b, activation)`: the same values, one kernel instead of three passes.
   */
  forward(x: Tensor): Tensor {
    const layers = this.layers;
    for (let i = 0; i < layers.length; i++) {
      const m = layers[i]!;
      const next = layers[i + 1];
      const activation = next === undefined ? null : fusableActivation(next);
      if (m instanceof Linear && activation !== null && !m.hasHooks() && !next!.hasHooks()) {
        x = m.forward(x, activation);
        i++;
      } else x = m.call(x);
    }
    return x;
  }
}
