/**
 * Synthetic 2-D classification sets for quick runs and the lab: seeded, browser-safe, returned as a
 * `TensorDataset` of n samples of shape [2], shuffled (so any prefix mixes the classes).
 *
 * - `spirals`: `classes` interleaved arms; arm k at radius r ∈ (0, 1] has angle 2πk/classes + 2π·turns·r.
 * - `moons`: two interleaving half circles (scikit-learn's make_moons): class 0 (cos t, sin t),
 *   class 1 (1 − cos t, 0.5 − sin t), t ∈ [0, π].
 * - `circles`: two concentric circles (make_circles): class 0 radius 1, class 1 radius `factor`.
 * - `xor`: uniform points in [−1, 1]²; class 1 where x and y have opposite signs.
 * - `blobs`: isotropic Gaussians around `centers` (default: `classes` points evenly on a circle of radius 2).
 * In all of them `noise` is the standard deviation of Gaussian noise added to each coordinate after the
 * label is chosen (so with noise, classes overlap near their borders). Samples are split evenly among
 * classes, the first classes taking one more when n does not divide.
 *
 * Randomness comes from `new Generator(seed)` (default seed 0), so a set is the same on every run; the
 * angles use `Math.sin`/`Math.cos`, which are identical between Node and Chromium (both V8) but not
 * guaranteed to the last bit in other engines.
 *
 * @example
 * const ds = moons({ n: 500, noise: 0.1, seed: 1 }); // 500 × [2], labels 0/1
 */
import { Generator } from '../tensor/random.js';
import { checkOptions, type OptionKeys } from '../util/options.js';
import { TensorDataset } from './dataset.js';
import { shuffledIndices } from './permutation.js';

export interface SyntheticOptions {
  /** Number of samples (default 200). */
  n?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate. */
  noise?: number;
  /** Seed of the generator (default 0). */
  seed?: number | bigint;
}

export interface SpiralsOptions extends SyntheticOptions {
  /** Number of arms (default 2). */
  classes?: number;
  /** Turns of each arm from the centre to radius 1 (default 1). */
  turns?: number;
}

export interface CirclesOptions extends SyntheticOptions {
  /** Radius of the inner circle relative to the outer one, in (0, 1) (default 0.5). */
  factor?: number;
}

export interface BlobsOptions extends SyntheticOptions {
  /** Number of blobs (default 3; ignored when `centers` is given). */
  classes?: number;
  /** Centres [[x, y], …], one per class. */
  centers?: readonly (readonly [number, number])[];
}

export type SyntheticName = 'spirals' | 'moons' | 'circles' | 'xor' | 'blobs';

const SYNTHETIC_KEYS: OptionKeys<SyntheticOptions> = { n: true, noise: true, seed: true };

/** The names `syntheticDataset` accepts (for the CLI's `--data`). */
export const syntheticNames: readonly SyntheticName[] = Object.freeze([
  'spirals',
  'moons',
  'circles',
  'xor',
  'blobs',
]);

/** `classes` spiral arms (default noise 0.05). */
export function spirals(options: SpiralsOptions = {}): TensorDataset {
  checkOptions('spirals', options, { ...SYNTHETIC_KEYS, classes: true, turns: true });
  const classes = positiveInt('spirals', 'classes', options.classes ?? 2);
  const turns = finite('spirals', 'turns', options.turns ?? 1);
  return build('spirals', options, 0.05, classes, (k, i, m) => {
    const r = (i + 1) / m;
    const angle = (2 * Math.PI * k) / classes + 2 * Math.PI * turns * r;
    return [r * Math.cos(angle), r * Math.sin(angle)];
  });
}

/** Two interleaving half moons (default noise 0.1). */
export function moons(options: SyntheticOptions = {}): TensorDataset {
  checkOptions('moons', options, SYNTHETIC_KEYS);
  return build('moons', options, 0.1, 2, (k, i, m) => {
    const t = m > 1 ? (Math.PI * i) / (m - 1) : 0;
    return k === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
  });
}

/** Two concentric circles (default noise 0.05). */
export function circles(options: CirclesOptions = {}): TensorDataset {
  checkOptions('circles', options, { ...SYNTHETIC_KEYS, factor: true });
  const factor = options.factor ?? 0.5;
  if (!(factor > 0 && factor < 1)) throw new RangeError(`circles: factor must be in (0, 1), got ${factor}`);
  return build('circles', options, 0.05, 2, (k, i, m) => {
    const t = (2 * Math.PI * i) / m;
    const r = k === 0 ? 1 : factor;
    return [r * Math.cos(t), r * Math.sin(t)];
  });
}

/** The XOR pattern on [−1, 1]² (default noise 0). */
export function xor(options: SyntheticOptions = {}): TensorDataset {
  checkOptions('xor', options, SYNTHETIC_KEYS);
  const n = positiveInt('xor', 'n', options.n ?? 200);
  const noise = nonNegative('xor', 'noise', options.noise ?? 0);
  const g = new Generator(options.seed ?? 0);
  const features = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  // Each class gets half of the samples: a point of the right sign pattern, uniform in its quadrant.
  for (let i = 0; i < n; i++) {
    const label = i < Math.ceil(n / 2) ? 0 : 1;
    const quadrant = g.below(2);
    const sx = quadrant === 0 ? 1 : -1;
    const sy = label === 0 ? sx : -sx;
    features[2 * i] = sx * g.uniform53() + noise * g.normal();
    features[2 * i + 1] = sy * g.uniform53() + noise * g.normal();
    labels[i] = label;
  }
  return shuffled(features, labels, 2, g);
}

/** Gaussian blobs (default noise, i.e. standard deviation, 0.5). */
export function blobs(options: BlobsOptions = {}): TensorDataset {
  checkOptions('blobs', options, { ...SYNTHETIC_KEYS, classes: true, centers: true });
  const centers =
    options.centers ??
    Array.from({ length: positiveInt('blobs', 'classes', options.classes ?? 3) }, (_, k) => {
      const a = (2 * Math.PI * k) / (options.classes ?? 3);
      return [2 * Math.cos(a), 2 * Math.sin(a)] as const;
    });
  if (centers.length === 0) throw new RangeError('blobs: needs at least one centre');
  centers.forEach((c, k) => {
    if (c.length !== 2 || !c.every(Number.isFinite)) {
      throw new RangeError(`blobs: centre ${k} must be two finite numbers [x, y]`);
    }
  });
  return build('blobs', options, 0.5, centers.length, (k) => [centers[k]![0], centers[k]![1]]);
}

/** A synthetic set by name (`syntheticNames`), for command lines and configuration files. */
export function syntheticDataset(
  name: SyntheticName,
  options: SpiralsOptions & CirclesOptions & BlobsOptions = {},
): TensorDataset {
  switch (name) {
    case 'spirals':
      return spirals(options);
    case 'moons':
      return moons(options);
    case 'circles':
      return circles(options);
    case 'xor':
      return xor(options);
    case 'blobs':
      return blobs(options);
    default:
      throw new RangeError(
        `syntheticDataset: unknown set ${JSON.stringify(name)}; expected one of ${syntheticNames.join(', ')}`,
      );
  }
}

/** n samples split evenly among classes; point(k, i, m) is the i-th of m noiseless points of class k. */
function build(
  op: string,
  options: SyntheticOptions,
  defaultNoise: number,
  classes: number,
  point: (k: number, i: number, m: number) => readonly [number, number],
): TensorDataset {
  const n = positiveInt(op, 'n', options.n ?? 200);
  const noise = nonNegative(op, 'noise', options.noise ?? defaultNoise);
  const g = new Generator(options.seed ?? 0);
  const features = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  let at = 0;
  for (let k = 0; k < classes; k++) {
    const m = Math.floor(n / classes) + (k < n % classes ? 1 : 0);
    for (let i = 0; i < m; i++, at++) {
      const [x, y] = point(k, i, m);
      features[2 * at] = x + noise * g.normal();
      features[2 * at + 1] = y + noise * g.normal();
      labels[at] = k;
    }
  }
  return shuffled(features, labels, classes, g);
}

function shuffled(features: Float32Array, labels: Int32Array, classes: number, g: Generator): TensorDataset {
  const ds = new TensorDataset(features, labels, { sampleShape: [2], numClasses: classes });
  return ds.subset(shuffledIndices(labels.length, g));
}

function positiveInt(op: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1)
    throw new RangeError(`${op}: ${name} must be a positive integer, got ${v}`);
  return v;
}

function nonNegative(op: string, name: string, v: number): number {
  if (!(Number.isFinite(v) && v >= 0))
    throw new RangeError(`${op}: ${name} must be finite and ≥ 0, got ${v}`);
  return v;
}

function finite(op: string, name: string, v: number): number {
  if (!Number.isFinite(v)) throw new RangeError(`${op}: ${name} must be finite, got ${v}`);
  return v;
}
