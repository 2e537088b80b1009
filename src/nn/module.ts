/**
 * The Module base class (torch.nn.Module): named, nested parameters, buffers and child modules,
 * training mode, freezing, hooks and state dicts with PyTorch's names.
 *
 * A *parameter* is a floating-point leaf tensor with `requiresGrad`, registered by name with
 * `registerParameter`; a *buffer* is state that is saved but not trained (BatchNorm's running
 * statistics and its `num_batches_tracked` counter), registered with `registerBuffer`; a *child* is a
 * module registered with `registerModule`. Registration order is the order of `parameters()`,
 * `stateDict()` and the printed summary, as in PyTorch.
 *
 * Memory: parameters and buffers are long-lived. Registering one takes its storage out of the current
 * `scope`, so a model built anywhere survives the training steps run in scopes; every update (the
 * optimizer's, BatchNorm's running statistics, `loadStateDict`) writes through it with `assign`.
 *
 * Calling: subclasses implement `forward(x)`; callers use `module.call(x)`, which runs the forward
 * pre-hooks, `forward`, the forward hooks, and arms the output-gradient hooks. A container's
 * `forward` calls its children with `call` so that their hooks run too.
 *
 * Divergences from PyTorch: a module's forward takes and returns one tensor; modules are called with
 * `call(x)` (JavaScript objects are not callable); there is no `__setattr__` magic, so layers assign
 * their fields from the `register…` methods, which return what they register; `loadStateDict` checks
 * every key before copying anything, so a failed load leaves the model unchanged.
 *
 * @example
 * class TwoLayer extends Module {
 *   readonly fc1 = this.registerModule('fc1', new Linear(4, 8));
 *   readonly fc2 = this.registerModule('fc2', new Linear(8, 2));
 *   forward(x: Tensor): Tensor {
 *     return this.fc2.call(relu(this.fc1.call(x)));
 *   }
 * }
 * const net = new TwoLayer();
 * [...net.stateDict().keys()]; // ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
 */
import { isGradEnabled, noGrad } from '../autograd/tape.js';
import { withBackend } from '../backend/registry.js';
import { tensor } from '../tensor/creation.js';
import { isFloat } from '../tensor/dtype.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { keepStorage } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { type HookHandle, registerGradHook } from './grad_hook.js';

/** Runs after `forward`; if it returns a tensor, that replaces the output (PyTorch's forward hook). */
export type ForwardHook = (module: Module, input: Tensor, output: Tensor) => unknown;
/** Runs before `forward`; a returned tensor replaces the input (PyTorch's forward pre-hook). */
export type ForwardPreHook = (module: Module, input: Tensor) => unknown;
/** Runs during backward with the gradient of the loss with respect to the module's output. */
export type OutputGradHook = (module: Module, gradOutput: Tensor) => void;

/** What `loadStateDict` accepts: a Map (as `stateDict()` returns) or a plain record of tensors. */
export type StateDict = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

export interface LoadStateDictOptions {
  /** Missing and unexpected keys are errors (default true); shape mismatches always are. */
  strict?: boolean;
}

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

export interface BufferOptions {
  /** Saved in the state dict (default true). */
  persistent?: boolean;
}

const NAME = /^[A-Za-z0-9_]+$/;

/** A Map or a plain object: what loadStateDict can read entries from (null, arrays, tensors are not). */
function isStateDictLike(value: unknown): value is StateDict {
  if (value instanceof Map) return true;
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Tensor);
}

function describeArgument(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Tensor) return `a Tensor of shape ${formatShape(value.shape)}`;
  return `a ${typeof value}`;
}

export abstract class Module {
  /** Training mode (true) or evaluation mode (false); set with `train()` / `eval()`. */
  training = true;
  private readonly parametersByName = new Map<string, Tensor | null>();
  private readonly buffersByName = new Map<string, Tensor | null>();
  private readonly nonPersistent = new Set<string>();
  private readonly childrenByName = new Map<string, Module | null>();
  private readonly forwardHooks = new Set<ForwardHook>();
  private readonly forwardPreHooks = new Set<ForwardPreHook>();
  private readonly outputGradHooks = new Set<OutputGradHook>();

  /** The computation; called through `call`, which also runs the hooks. */
  abstract forward(input: Tensor): Tensor;

  /** Runs the module on `input`: pre-hooks, `forward`, forward hooks, then arms the gradient hooks. */
  call(input: Tensor): Tensor {
    for (const hook of [...this.forwardPreHooks]) {
      const replaced = hook(this, input);
      if (replaced instanceof Tensor) input = replaced;
    }
    let output = this.forward(input);
    for (const hook of [...this.forwardHooks]) {
      const replaced = hook(this, input, output);
      if (replaced instanceof Tensor) output = replaced;
    }
    if (this.outputGradHooks.size > 0 && isGradEnabled() && output.requiresGrad) {
      const hooks = [...this.outputGradHooks];
      registerGradHook(output, (g) => {
        for (const hook of hooks) hook(this, g);
      });
    }
    return output;
  }

  /** Whether any hook is registered on this module (containers may fuse hook-free children). */
  hasHooks(): boolean {
    return this.forwardHooks.size + this.forwardPreHooks.size + this.outputGradHooks.size > 0;
  }

  // ---------------------------------------------------------------- registration

  /**
   * Registers `t` as a parameter named `name` (or an absent one, like a Linear without bias, with
   * null): it becomes a leaf with `requiresGrad` that outlives every scope. Returns `t`.
   */
  registerParameter<T extends Tensor | null>(name: string, t: T): T {
    this.checkName('registerParameter', name, this.parametersByName);
    if (t !== null) {
      if (!(t instanceof Tensor))
        throw new TypeError(`registerParameter: '${name}' must be a Tensor or null`);
      if (!isFloat(t.dtype)) {
        throw new TypeError(`registerParameter: '${name}' must be a floating-point tensor, got ${t.dtype}`);
      }
      if (!t.isLeaf) {
        throw new Error(
          `registerParameter: '${name}' must be a leaf tensor (not computed by an op that records gradients); pass x.detach()`,
        );
      }
      t.requiresGrad = true;
      keepStorage(t.storage);
    }
    this.parametersByName.set(name, t);
    return t;
  }

  /** Registers a buffer: state saved in the state dict but not trained (running statistics, counters). */
  registerBuffer<T extends Tensor | null>(name: string, t: T, options: BufferOptions = {}): T {
    this.checkName('registerBuffer', name, this.buffersByName);
    checkOptions('registerBuffer', options, { persistent: true });
    if (t !== null) {
      if (!(t instanceof Tensor)) throw new TypeError(`registerBuffer: '${name}' must be a Tensor or null`);
      keepStorage(t.storage);
    }
    this.buffersByName.set(name, t);
    if (options.persistent === false) this.nonPersistent.add(name);
    return t;
  }

  /** Registers a child module under `name` (its parameters are then `name.…`). Returns the child. */
  registerModule<M extends Module | null>(name: string, module: M): M {
    this.checkName('registerModule', name, this.childrenByName);
    if (module !== null && !(module instanceof Module)) {
      throw new TypeError(`registerModule: '${name}' must be a Module or null`);
    }
    this.childrenByName.set(name, module);
    return module;
  }

  private checkName(op: string, name: string, own: Map<string, unknown>): void {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new TypeError(
        `${op}: names are non-empty strings of letters, digits and '_' (no dots), got ${JSON.stringify(name)}`,
      );
    }
    const taken = [this.parametersByName, this.buffersByName, this.childrenByName].some(
      (m) => m !== own && m.has(name),
    );
    if (taken || own.has(name)) {
      throw new Error(`${op}: the name '${name}' is already used in this ${this.constructor.name}`);
    }
  }

  // ---------------------------------------------------------------- traversal

  /** Direct children with their names, in registration order. */
  *namedChildren(): Generator<[string, Module]> {
    for (const [name, m] of this.childrenByName) if (m !== null) yield [name, m];
  }

  *children(): Generator<Module> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  /** This module and all its descendants, depth first (pre-order), with dotted names ('' for this one). */
  *namedModules(prefix = ''): Generator<[string, Module]> {
    const seen = new Set<Module>();
    function* walk(m: Module, p: string): Generator<[string, Module]> {
      if (seen.has(m)) return;
      seen.add(m);
      yield [p, m];
      for (const [name, child] of m.namedChildren()) yield* walk(child, p === '' ? name : `${p}.${name}`);
    }
    yield* walk(this, prefix);
  }

  *modules(): Generator<Module> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /** Every parameter with its dotted name (`0.weight`, `layer1.0.bn1.bias`), shared ones once. */
  namedParameters(): Generator<[string, Tensor]> {
    return this.namedTensors((m) => m.parametersByName);
  }

  /** Every parameter (what an optimizer updates), in registration order. */
  parameters(): Tensor[] {
    return [...this.namedParameters()].map(([, p]) => p);
  }

  /** Every buffer with its dotted name (`1.running_mean`, `bn1.num_batches_tracked`). */
  namedBuffers(): Generator<[string, Tensor]> {
    return this.namedTensors((m) => m.buffersByName);
  }

  /** The tensors of one registry (parameters or buffers) of every module, dotted names, shared ones once. */
  private *namedTensors(
    registry: (m: Module) => ReadonlyMap<string, Tensor | null>,
  ): Generator<[string, Tensor]> {
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, t] of registry(m)) {
        if (t === null || seen.has(t)) continue;
        seen.add(t);
        yield [prefix === '' ? name : `${prefix}.${name}`, t];
      }
    }
  }

  buffers(): Tensor[] {
    return [...this.namedBuffers()].map(([, b]) => b);
  }

  /** The descendant at a dotted path, e.g. `model.getSubmodule('layer1.0.bn1')`. */
  getSubmodule(path: string): Module {
    if (path === '') return this;
    let m: Module = this;
    for (const part of path.split('.')) {
      const next = m.childrenByName.get(part);
      if (next == null) {
        throw new RangeError(
          `getSubmodule: ${m.constructor.name} has no child named '${part}' (path '${path}')`,
        );
      }
      m = next;
    }
    return m;
  }

  /** Calls fn on every descendant and then on this module (PyTorch's `apply`, children first). */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  // ---------------------------------------------------------------- modes and gradients

  /** Sets training mode on this module and every descendant; returns this. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError(`train: mode must be a boolean, got ${typeof mode}`);
    this.training = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  /** Evaluation mode: BatchNorm uses its running statistics and Dropout is the identity. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Freezes (false) or unfreezes (true) every parameter of this module and its descendants: a frozen
   * parameter gets no gradient, so optimizers leave it alone (fine-tuning).
   */
  requiresGrad(value = true): this {
    for (const p of this.parameters()) p.requiresGrad = value;
    return this;
  }

  /** Zeroes every parameter's gradient in place (PyTorch 1.13's default), or drops it with setToNone. */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    checkOptions('zeroGrad', options, { setToNone: true });
    for (const p of this.parameters()) p.zeroGrad(options);
  }

  // ---------------------------------------------------------------- hooks

  /**
   * `hook(module, input, output)` runs after every `call`; returning a tensor replaces the output.
   * Capture activations with it (copy them with `clone()` + `keep()` if they must outlive a scope).
   */
  registerForwardHook(hook: ForwardHook): HookHandle {
    this.forwardHooks.add(hook);
    return { remove: () => void this.forwardHooks.delete(hook) };
  }

  /** `hook(module, input)` runs before every `forward`; returning a tensor replaces the input. */
  registerForwardPreHook(hook: ForwardPreHook): HookHandle {
    this.forwardPreHooks.add(hook);
    return { remove: () => void this.forwardPreHooks.delete(hook) };
  }

  /**
   * `hook(module, gradOutput)` runs during each backward through an output of this module with
   * ∂loss/∂output (PyTorch's full backward hook without grad_input). It is armed by `call` when
   * the output requires grad, so it does not fire under `noGrad`. See grad_hook.ts for the mechanism;
   * the gradient tensor belongs to the current scope. Parameter gradients need no hook: read
   * `p.grad` from `namedParameters()` after backward.
   */
  registerOutputGradHook(hook: OutputGradHook): HookHandle {
    this.outputGradHooks.add(hook);
    return { remove: () => void this.outputGradHooks.delete(hook) };
  }

  // ---------------------------------------------------------------- state dicts

  /**
   * Parameters and persistent buffers by dotted name, in PyTorch's order: each module's parameters,
   * then its buffers, then its children's, recursively. The values share memory with the model
   * (detached views, like PyTorch's); clone them to snapshot.
   */
  stateDict(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    const visit = (m: Module, prefix: string): void => {
      for (const [name, p] of m.parametersByName) if (p !== null) out.set(prefix + name, p.detach());
      for (const [name, b] of m.buffersByName) {
        if (b !== null && !m.nonPersistent.has(name)) out.set(prefix + name, b.detach());
      }
      for (const [name, child] of m.childrenByName) if (child !== null) visit(child, `${prefix}${name}.`);
    };
    visit(this, '');
    return out;
  }

  /**
   * Copies the tensors of `stateDict` into this model's parameters and buffers, in place. Every key is
   * checked first: with `strict` (the default) any missing or unexpected key is an error, and a shape
   * mismatch always is; the error lists every problem at once and nothing is copied. Values of another
   * dtype are converted (e.g. float counters into int32 `num_batches_tracked`).
   */
  loadStateDict(stateDict: StateDict, options: LoadStateDictOptions = {}): LoadStateDictResult {
    checkOptions('loadStateDict', options, { strict: true });
    const strict = options.strict ?? true;
    if (!isStateDictLike(stateDict)) {
      throw new TypeError(
        `loadStateDict: expected a Map or a record of tensors keyed by parameter name (as stateDict() returns), got ${describeArgument(stateDict)}`,
      );
    }
    const entries: [string, Tensor][] =
      stateDict instanceof Map
        ? [...stateDict.entries()]
        : Object.entries(stateDict as Record<string, Tensor>);
    const given = new Map<string, Tensor>();
    const problems: string[] = [];
    for (const [key, value] of entries) {
      if (!(value instanceof Tensor)) problems.push(`value of '${key}' is not a Tensor`);
      else given.set(key, value);
    }
    const own = this.stateDict();
    const missingKeys = [...own.keys()].filter((k) => !given.has(k));
    const unexpectedKeys = [...given.keys()].filter((k) => !own.has(k));
    if (strict && missingKeys.length > 0) problems.push(`missing keys: ${missingKeys.join(', ')}`);
    if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
    for (const [key, target] of own) {
      const src = given.get(key);
      if (src !== undefined && !shapesEqual(src.shape, target.shape)) {
        problems.push(
          `size mismatch for ${key}: the state dict has shape ${formatShape(src.shape)}, the model has ${formatShape(target.shape)}`,
        );
      }
    }
    if (problems.length > 0) {
      throw new Error(
        `loadStateDict: ${problems.length} problem${problems.length > 1 ? 's' : ''} loading into ${this.constructor.name} (nothing was copied):\n  ${problems.join('\n  ')}`,
      );
    }
    noGrad(() => {
      for (const [key, target] of own) {
        const src = given.get(key);
        if (src === undefined) continue;
        const onTarget =
          src.backend === target.backend
            ? src
            : withBackend(target.backend, () => tensor(src.data(), { shape: src.shape, dtype: src.dtype }));
        target.assign(onTarget.dtype === target.dtype ? onTarget : onTarget.cast(target.dtype));
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  // ---------------------------------------------------------------- printing

  /** The layer's settings for its one-line summary, e.g. `inFeatures=4, outFeatures=2, bias=true`. */
  extraRepr(): string {
    return '';
  }

  /** A nested summary in PyTorch's format. */
  toString(): string {
    const children = [...this.namedChildren()];
    const extra = this.extraRepr();
    if (children.length === 0) return `${this.constructor.name}(${extra})`;
    const lines = children.map(([name, m]) => `  (${name}): ${m.toString().split('\n').join('\n  ')}`);
    if (extra !== '') lines.unshift(`  ${extra}`);
    return `${this.constructor.name}(\n${lines.join('\n')}\n)`;
  }
}
