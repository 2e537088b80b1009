import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

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

  forward(x: Tensor): Tensor {
    for (const m of this.layers) x = m.call(x);
    return x;
  }
}
