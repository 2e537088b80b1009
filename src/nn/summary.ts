/**
 * `summary(model, inputShape)`: each layer's output shape and parameter count, and the trainable and
 * frozen totals, as Keras's `model.summary()` and torchinfo's `summary(model, input_size)` show them.
 *
 * How: one forward pass on zeros of shape [batchSize, ...inputShape] (batchSize 1 by default), with a
 * forward hook on every module that records the shape of each output it returns. The pass runs in
 * evaluation mode under `noGrad` inside a memory scope, so BatchNorm uses its running statistics (a
 * batch of one is fine, and the statistics are not updated), Dropout is the identity, and nothing
 * is left behind; every module's own mode and the default random generator are put back afterwards.
 * Hooks also turn off Sequential's Linear+activation fusion for the pass, so each activation is seen.
 *
 * Rows follow the module tree in registration order (PyTorch's `print(model)` order, depth first),
 * down to `depth` levels below the model (default 3, torchinfo's default); deeper modules are folded
 * into their ancestor's row. Counts:
 *
 *   params(m)          = Σ numel(p) over the parameters of m and its descendants (each shared one once)
 *   trainableParams(m) = the same over those with requiresGrad (frozen: `module.requiresGrad(false)`)
 *   ownParams(m)       = Σ numel(p) over m's own parameters (not its children's)
 *
 * so for the model's row params = totalParams = trainableParams + frozenParams, as PyTorch's
 * `sum(p.numel() for p in model.parameters())`. A module called more than once in the pass (a ReLU
 * reused inside a ResNet block) has one output shape per call in `outputShapes`; a module the forward
 * never called has none.
 *
 * Divergences from torchinfo: rows follow registration, not call order, and a reused module has one row;
 * the output shapes include the batch dimension as run (torchinfo's [1, …] by default, Keras's None).
 *
 * @example
 * const s = summary(mlp({ sizes: [784, 100, 10] }), [784]);
 * s.totalParams;     // 79510
 * s.layers[0];       // { name: '0', type: 'Linear', depth: 1, outputShapes: [[1, 100]], params: 78500, … }
 * console.log(String(s)); // the table (formatSummary)
 */
import { noGrad } from '../autograd/tape.js';
import { zeros } from '../tensor/creation.js';
import { getDefaultGenerator } from '../tensor/random.js';
import { formatShape } from '../tensor/shape.js';
import { scope } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import type { HookHandle } from './grad_hook.js';
import { Module } from './module.js';
import { formatSummary } from './summary_table.js';

export interface SummaryOptions {
  /** Samples in the zero batch run through the model (default 1). */
  batchSize?: number;
  /**
   * Levels of the module tree shown below the model (default 3, as torchinfo; `Infinity` for all);
   * deeper modules fold into their ancestor's row.
   */
  depth?: number;
}

/** One row of the summary: a module of the model. */
export interface SummaryLayer {
  /** Dotted name in the model, as in `namedModules()` (`layer1.0.conv1`). */
  name: string;
  /** The module's class (`Conv2d`). */
  type: string;
  /** 1 for the model's children, 2 for theirs, … */
  depth: number;
  /** The shape of each output the module returned in the pass, in call order (empty if not called). */
  outputShapes: number[][];
  /** Parameters of this module and its descendants. */
  params: number;
  /** Of those, the ones with requiresGrad. */
  trainableParams: number;
  /** Parameters of this module itself (its children's not counted). */
  ownParams: number;
  /** Whether some of its descendants are rows too (the table then shows only its own parameters). */
  expanded: boolean;
}

export interface ModelSummary {
  /** The model's class. */
  model: string;
  /** The shape of the batch run through the model, [batchSize, ...inputShape]. */
  inputShape: number[];
  /** The model's output shape. */
  outputShape: number[];
  layers: SummaryLayer[];
  totalParams: number;
  trainableParams: number;
  /** Parameters with requiresGrad false. */
  frozenParams: number;
  /** Bytes of all parameters (float32: 4 each, float64: 8). */
  paramBytes: number;
  /** The table, as `formatSummary(this)`. */
  toString(): string;
}

const WHO = 'summary';

/** The summary of `model` on samples of shape `inputShape` (without the batch axis); see the module comment. */
export function summary(
  model: Module,
  inputShape: readonly number[],
  options: SummaryOptions = {},
): ModelSummary {
  if (!(model instanceof Module)) {
    throw new TypeError(`${WHO}: model must be a Module, got ${model === null ? 'null' : typeof model}`);
  }
  checkInputShape(inputShape);
  checkOptions(WHO, options, { batchSize: true, depth: true });
  const batchSize = positiveInteger('batchSize', options.batchSize ?? 1);
  const depth = options.depth === Infinity ? Infinity : positiveInteger('depth', options.depth ?? 3);
  const input = [batchSize, ...inputShape];
  const modules = [...model.namedModules()];
  const shapes = new Map<Module, number[][]>(modules.map(([, m]) => [m, []]));
  const outputShape = traceShapes(model, input, shapes);
  const layers = modules
    .filter(([name]) => name !== '' && levelOf(name) <= depth)
    .map(([name, m]) => layerRow(name, m, shapes.get(m)!, depth));
  const params = model.parameters();
  const count = (ps: Tensor[]) => ps.reduce((n, p) => n + p.size, 0);
  const totalParams = count(params);
  const trainableParams = count(params.filter((p) => p.requiresGrad));
  const result: ModelSummary = {
    model: model.constructor.name,
    inputShape: input,
    outputShape,
    layers,
    totalParams,
    trainableParams,
    frozenParams: totalParams - trainableParams,
    paramBytes: params.reduce((n, p) => n + p.size * (p.dtype === 'float64' ? 8 : 4), 0),
    toString: () => formatSummary(result),
  };
  return result;
}

function levelOf(name: string): number {
  return name.split('.').length;
}

function layerRow(name: string, m: Module, outputShapes: number[][], depth: number): SummaryLayer {
  const all = m.parameters();
  const own = new Set(all);
  for (const child of m.children()) for (const p of child.parameters()) own.delete(p);
  const size = (ps: Iterable<Tensor>) => [...ps].reduce((n, p) => n + p.size, 0);
  return {
    name,
    type: m.constructor.name,
    depth: levelOf(name),
    outputShapes,
    params: size(all),
    trainableParams: size(all.filter((p) => p.requiresGrad)),
    ownParams: size(own),
    expanded: levelOf(name) < depth && [...m.children()].length > 0,
  };
}

/**
 * Runs the zero batch through the model with a shape-recording hook on every module (evaluation mode,
 * no gradients, in a scope; modes and the random generator restored). Returns the output's shape; a
 * failing forward is rethrown naming the innermost module that was running and the input shape.
 */
function traceShapes(model: Module, input: number[], shapes: Map<Module, number[][]>): number[] {
  const running: Module[] = [];
  const handles: HookHandle[] = [];
  for (const m of shapes.keys()) {
    handles.push(m.registerForwardPreHook((module) => void running.push(module)));
    handles.push(
      m.registerForwardHook((module, _input, output) => {
        running.pop();
        shapes.get(module)?.push([...output.shape]);
      }),
    );
  }
  const modes = [...model.modules()].map((m) => [m, m.training] as const);
  const rng = getDefaultGenerator().getState();
  try {
    model.eval();
    return scope(() => noGrad(() => [...model.call(zeros(input)).shape]));
  } catch (error) {
    const at = running.at(-1);
    const where = at === undefined ? '' : ` in ${describeModule(model, at)}`;
    throw new Error(
      `${WHO}: the forward pass on zeros of shape ${formatShape(input)} failed${where}: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    for (const h of handles) h.remove();
    for (const [m, training] of modes) m.training = training;
    getDefaultGenerator().setState(rng);
  }
}

function describeModule(model: Module, m: Module): string {
  const name = [...model.namedModules()].find(([, x]) => x === m)?.[0];
  return name === '' || name === undefined ? m.constructor.name : `'${name}' (${m.constructor.name})`;
}

function checkInputShape(shape: readonly number[]): void {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new TypeError(
      `${WHO}: inputShape must be the shape of one sample without the batch axis, a list of positive integers such as [784] or [1, 28, 28]; got ${JSON.stringify(shape)}`,
    );
  }
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${WHO}: ${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}
