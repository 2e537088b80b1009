/**
 * The recommended gain of each nonlinearity (torch.nn.init.calculate_gain): the factor by which a
 * variance-preserving initializer scales its standard deviation so that activations keep their
 * scale through that nonlinearity.
 */
import { describeValue } from './fill.js';

/**
 * Nonlinearity names, PyTorch's camelCased: `leaky_relu` → `'leakyRelu'`, `conv_transpose2d` →
 * `'convTranspose2d'`; the others (`linear`, `conv1d`…`conv3d`, `sigmoid`, `tanh`, `relu`, `selu`)
 * are spelled as in PyTorch.
 */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'convTranspose1d'
  | 'convTranspose2d'
  | 'convTranspose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leakyRelu'
  | 'selu';

const LINEAR_LIKE = new Set<string>([
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'convTranspose1d',
  'convTranspose2d',
  'convTranspose3d',
  'sigmoid',
]);

const SNAKE_TO_CAMEL: Record<string, Nonlinearity> = {
  leaky_relu: 'leakyRelu',
  conv_transpose1d: 'convTranspose1d',
  conv_transpose2d: 'convTranspose2d',
  conv_transpose3d: 'convTranspose3d',
};

/**
 * The recommended gain for `nonlinearity`, PyTorch's table:
 *
 * | nonlinearity | gain |
 * | --- | --- |
 * | linear, conv1d/2d/3d, convTranspose1d/2d/3d, sigmoid | 1 |
 * | tanh | 5/3 |
 * | relu | √2 |
 * | leakyRelu | √(2 / (1 + slope²)), slope = `param`, default 0.01 |
 * | selu | 3/4 |
 *
 * `param` is used only by `leakyRelu` (its negative slope) and ignored otherwise, as in PyTorch.
 * The SELU value 3/4 is PyTorch's empirical choice; SELU's self-normalizing analysis (Klambauer et
 * al. 2017) asks for gain 1 with fanIn, i.e. `lecunNormal_`.
 *
 * @example
 * calculateGain('leakyRelu', 0.2); // √(2 / 1.04) ≈ 1.3868
 *
 * Divergence from PyTorch: names are camelCase (`'leakyRelu'`, not `'leaky_relu'`); a snake_case name
 * gets an error that suggests the camelCase one.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (LINEAR_LIKE.has(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': {
      if (param !== undefined && (typeof param !== 'number' || !Number.isFinite(param))) {
        throw new TypeError(
          `calculateGain: the negative slope of leakyRelu must be a finite number, got ${describeValue(param)}`,
        );
      }
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
  }
  const camel = SNAKE_TO_CAMEL[nonlinearity as string];
  const hint = camel ? ` (descent spells it '${camel}')` : '';
  throw new RangeError(
    `calculateGain: unknown nonlinearity ${describeValue(nonlinearity)}${hint}; use one of ${[...LINEAR_LIKE, 'tanh', 'relu', 'leakyRelu', 'selu'].map((n) => `'${n}'`).join(', ')}`,
  );
}
