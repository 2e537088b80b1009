/**
 * `initialize(model, scheme)`: one named initialization scheme applied to every Linear and Conv2d
 * weight of a model, as in the course's initialization experiment (10-layer networks with tanh or
 * ReLU, comparing how activations spread through depth under each scheme).
 */
import { Conv2d } from '../nn/conv2d.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { constant_, normal_, zeros_ } from './basic.js';
import { torchDefaultBias_, torchDefaultInit_ } from './default.js';
import { generatorOf, type InitOptions } from './fill.js';
import { heCourseNormal_, heCourseUniform_ } from './he_course.js';
import { kaimingNormal_, kaimingUniform_ } from './kaiming.js';
import { lecunNormal_, lecunUniform_ } from './lecun.js';
import { orthogonal_ } from './orthogonal.js';
import { xavierNormal_, xavierUniform_ } from './xavier.js';

/**
 * The named schemes (each weight W of a Linear [out, in] or Conv2d [out, in/groups, kh, kw]):
 *
 * | scheme | W ~ | from |
 * | --- | --- | --- |
 * | `'little-random'` | N(0, 0.01²) | the course: activations vanish through depth (tanh) |
 * | `'random'` | N(0, 1) | the course: tanh units saturate at ±1, gradients vanish |
 * | `'xavier'` | Var = 2 / (fanIn + fanOut) | Glorot & Bengio 2010; for tanh/sigmoid |
 * | `'he'` | Var = 4 / (fanIn + fanOut) | the course's He (Xavier × 2); for ReLU |
 * | `'kaiming'` | Var = 2 / fanIn | He et al. 2015 (arXiv:1502.01852), PyTorch's kaiming_normal_ for ReLU |
 * | `'lecun'` | Var = 1 / fanIn | LeCun et al. 1998; for SELU and linear layers |
 * | `'orthogonal'` | orthogonal, gain 1 | Saxe et al. 2013 |
 * | `'default'` | U(±1/√fanIn) (weights and biases) | PyTorch's default for Linear/Conv2d |
 *
 * or a function `(weight, layer) => void` that initializes one weight in place.
 */
export type Scheme =
  | 'little-random'
  | 'random'
  | 'xavier'
  | 'he'
  | 'kaiming'
  | 'lecun'
  | 'orthogonal'
  | 'default'
  | ((weight: Tensor, layer: Linear | Conv2d) => void);

export interface InitializeOptions extends InitOptions {
  /**
   * Biases: 'zeros' (the course's choice; the default, except for the 'default' scheme), a constant,
   * 'default' (PyTorch's U(±1/√fanIn); the default of the 'default' scheme) or 'keep' (untouched).
   */
  bias?: 'zeros' | 'default' | 'keep' | number;
  /**
   * Gaussian (default) or uniform samples of the same variance, for 'xavier', 'he', 'kaiming' and
   * 'lecun' (the lecture allows either); ignored by the other schemes.
   */
  distribution?: 'normal' | 'uniform';
}

const SCHEMES = ['little-random', 'random', 'xavier', 'he', 'kaiming', 'lecun', 'orthogonal', 'default'];

/**
 * Applies `scheme` in place to the weight of every `Linear` and `Conv2d` in `model` (shortcut
 * projections and nested blocks included) and sets their biases as `options.bias` says (zero by
 * default). BatchNorm and LayerNorm are left alone (they start at γ = 1, β = 0). Layers are visited
 * depth first in registration order, so a seeded generator gives reproducible models. Returns `model`.
 *
 * The course's advice: with ReLU and no BatchNorm use 'he'; with BatchNorm the scale matters less and
 * 'little-random' is enough; pre-trained weights (`loadModel` in descent/node) are often best.
 *
 * @example
 * const net = initialize(mlp({ sizes: [784, ...Array(10).fill(100), 10], activation: 'tanh' }), 'xavier');
 * initialize(resnet({ depth: 20 }), 'kaiming', { distribution: 'uniform', generator: new Generator(0) });
 *
 * Divergence from PyTorch: torch has no such function (one writes a loop with `model.apply`).
 */
export function initialize<M extends Module>(model: M, scheme: Scheme, options: InitializeOptions = {}): M {
  checkOptions('initialize', options, { generator: true, bias: true, distribution: true });
  if (typeof scheme !== 'function' && !SCHEMES.includes(scheme)) {
    throw new RangeError(
      `initialize: unknown scheme ${JSON.stringify(scheme)}; use one of ${SCHEMES.map((s) => `'${s}'`).join(', ')} or a function (weight, layer) => void`,
    );
  }
  const bias = options.bias ?? (scheme === 'default' ? 'default' : 'zeros');
  if (!(bias === 'zeros' || bias === 'default' || bias === 'keep' || Number.isFinite(bias))) {
    throw new RangeError(
      `initialize: bias must be 'zeros', 'default', 'keep' or a finite number, got ${JSON.stringify(bias)}`,
    );
  }
  const distribution = options.distribution ?? 'normal';
  if (distribution !== 'normal' && distribution !== 'uniform') {
    throw new RangeError(
      `initialize: distribution must be 'normal' or 'uniform', got ${JSON.stringify(distribution)}`,
    );
  }
  const uniform = distribution === 'uniform';
  const generator = generatorOf(options);
  const g = { generator };
  for (const layer of model.modules()) {
    if (!(layer instanceof Linear || layer instanceof Conv2d)) continue;
    const w = layer.weight;
    switch (scheme) {
      case 'little-random':
        normal_(w, 0, 0.01, g);
        break;
      case 'random':
        normal_(w, 0, 1, g);
        break;
      case 'xavier':
        (uniform ? xavierUniform_ : xavierNormal_)(w, g);
        break;
      case 'he':
        (uniform ? heCourseUniform_ : heCourseNormal_)(w, g);
        break;
      case 'kaiming':
        (uniform ? kaimingUniform_ : kaimingNormal_)(w, { nonlinearity: 'relu', generator });
        break;
      case 'lecun':
        (uniform ? lecunUniform_ : lecunNormal_)(w, g);
        break;
      case 'orthogonal':
        orthogonal_(w, g);
        break;
      case 'default':
        torchDefaultInit_(w, null, g);
        break;
      default:
        scheme(w, layer);
    }
    const b = layer.bias;
    if (b === null || bias === 'keep') continue;
    if (bias === 'zeros') zeros_(b);
    else if (bias === 'default') torchDefaultBias_(b, w, g);
    else constant_(b, bias);
  }
  return model;
}
