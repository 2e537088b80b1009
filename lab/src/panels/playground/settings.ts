/**
 * The playground's settings: exactly `descent train` configuration keys (RunConfig), so that the view
 * in the URL, the configuration the worker trains and the command line shown below the controls are
 * one and the same thing. Only formatting lives here; checking is the library's `parseRunConfig`.
 */
import { DEFAULTS, type RunConfig } from 'descent';

/** Everything a link carries; the names are RunConfig's. */
export const PLAYGROUND_DEFAULTS = {
  data: 'spirals',
  hidden: [16, 16] as number[],
  activation: 'tanh',
  batchNorm: false,
  residual: false,
  dropout: 0,
  inputDropout: 0,
  init: 'default',
  optimizer: 'adam',
  lr: 0.01,
  momentum: 0,
  nesterov: false,
  weightDecay: 0,
  /** adam-to-sgd only: 0 leaves the key out (SWATS decides when; SWATS's lr estimate). */
  switchEpoch: 0,
  sgdLr: 0,
  sgdMomentum: 0.9,
  schedule: 'none',
  warmup: 0,
  l1: 0,
  l2: 0,
  earlyStopping: 0,
  validation: 0.1,
  epochs: 20,
  batchSize: 32,
  seed: 0,
  /** Lab-only (no `descent train` flag): the 2-D set's noise ('default': the set's own) and test fraction. */
  noise: 'default',
  testFraction: 0.2,
};

export type PlaygroundSettings = typeof PLAYGROUND_DEFAULTS;

/** The data sets the lab can load in the browser. */
export const LAB_DATA = ['spirals', 'moons', 'circles', 'xor', 'blobs', 'mnist', 'fashion-mnist'] as const;

/** The bundled image sets (no noise or test fraction: their split is the library's). */
export const isImageSet = (data: string): boolean => data === 'mnist' || data === 'fashion-mnist';

/** "Adam early, SGD late": the optimizer with the switch settings (`switchEpoch`, `sgdLr`, `sgdMomentum`). */
export const ADAM_TO_SGD = 'adam-to-sgd';

/** Optimizers that take a `momentum` option, and those that also take `nesterov`. */
const MOMENTUM_OPTIMIZERS = new Set(['sgd', 'rmsprop']);
const NESTEROV_OPTIMIZERS = new Set(['sgd']);

export const takesMomentum = (optimizer: string): boolean => MOMENTUM_OPTIMIZERS.has(optimizer);
export const takesNesterov = (optimizer: string): boolean => NESTEROV_OPTIMIZERS.has(optimizer);

/**
 * The configuration the worker trains and the command line reproduces: the settings, without the
 * optimizer options the chosen optimizer does not take (momentum for Adam) and without those left
 * off (weight decay 0), which `descent train` would not be given either.
 */
export function configOf(s: PlaygroundSettings): Partial<RunConfig> {
  const { momentum, nesterov, weightDecay, noise: _n, testFraction: _t, ...rest } = s;
  const { switchEpoch, sgdLr, sgdMomentum, ...config } = rest as Record<string, unknown> & typeof rest;
  if (takesMomentum(s.optimizer) && momentum > 0) config.momentum = momentum;
  if (takesNesterov(s.optimizer) && nesterov) config.nesterov = true;
  if (weightDecay > 0) config.weightDecay = weightDecay;
  if (s.optimizer === ADAM_TO_SGD) {
    if (switchEpoch > 0) config.switchEpoch = switchEpoch;
    if (sgdLr > 0) config.sgdLr = sgdLr;
    config.sgdMomentum = sgdMomentum;
  }
  return config as Partial<RunConfig>;
}

/** The noise levels offered for a 2-D set ('default': the set's own, as `descent train` draws it). */
export const NOISE_LEVELS = ['default', '0', '0.05', '0.1', '0.2', '0.3', '0.5'] as const;

/** How the lab draws a 2-D set beyond the configuration: only what differs from `descent train`. */
export interface DataOptions {
  noise?: number;
  testFraction?: number;
}

export function dataOptionsOf(s: PlaygroundSettings): DataOptions {
  if (isImageSet(s.data)) return {};
  return {
    ...(s.noise === 'default' ? {} : { noise: Number(s.noise) }),
    ...(s.testFraction === PLAYGROUND_DEFAULTS.testFraction ? {} : { testFraction: s.testFraction }),
  };
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** One flag as `descent train` spells it: `--batch-size 32`, `--hidden 16,16`, `--no-batch-norm`. */
function flagOf(key: string, value: unknown): string {
  if (value === true) return `--${kebab(key)}`;
  if (value === false) return `--no-${kebab(key)}`;
  if (Array.isArray(value)) return `--${kebab(key)} ${value.join(',')}`;
  return `--${kebab(key)} ${String(value)}`;
}

/**
 * `descent train --data spirals … --seed 0 --json`: every setting that differs from the command's
 * defaults (the seed always, so the line says which run it is).
 */
export function cliLine(config: Partial<RunConfig>): string {
  const defaults = DEFAULTS as unknown as Record<string, unknown>;
  const flags = Object.entries(config)
    .filter(([key, value]) => key === 'seed' || !sameValue(value, defaults[key]))
    .map(([key, value]) => flagOf(key, value));
  return ['descent train', ...flags, '--json'].join(' ');
}

/** The settings in which two configurations differ: what a comparison of two runs lists. */
export function differingSettings(
  a: Partial<RunConfig>,
  b: Partial<RunConfig>,
): { key: string; a: string; b: string }[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const show = (v: unknown) => (v === undefined ? '—' : Array.isArray(v) ? v.join(',') : String(v));
  return keys
    .filter((k) => !sameValue(a[k as keyof RunConfig], b[k as keyof RunConfig]))
    .map((k) => ({ key: k, a: show(a[k as keyof RunConfig]), b: show(b[k as keyof RunConfig]) }));
}

/** `16, 32` → [16, 32]; null for anything that is not a list of positive integers. */
export function parseWidths(text: string): number[] | null {
  const parts = text.split(',').map((p) => p.trim());
  if (!parts.every((p) => /^\d+$/.test(p) && Number(p) > 0)) return null;
  return parts.map(Number);
}
