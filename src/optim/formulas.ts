/**
 * Each optimizer's update rule as text, for figures and the lab: the same formulas as the optimizers'
 * doc comments (plain Unicode, symbols mapped to option names), one entry per form an option selects
 * (SGD's momentum, PyTorch's Nesterov and the course's look-ahead Nesterov; Adam with and without
 * bias correction, AMSGrad; the course's ε inside the square root…). Data only, browser-safe.
 *
 * Throughout: g = ∇θ J (negated with `maximize`), t the step count from 1, and "g ← g + λθ" the
 * coupled L2 term of `weightDecay` (λ), which is a no-op at its default 0.
 *
 * @example
 * optimizerFormula('sgd', { momentum: 0.9, nesterov: true }).update;
 * // 'g ← g + λθ;  b ← ρb + (1 − τ)g (b₁ = g);  g ← g + ρb;  θ ← θ − ηg'
 */
import { tensor } from '../tensor/creation.js';
import { scope } from '../tensor/storage.js';
import { createOptimizer, type OptimizerName } from './registry.js';

export interface OptimizerFormula {
  /** The form's short name, e.g. 'momentum', 'nesterov-lookahead', 'amsgrad'. */
  form: string;
  /** When this form applies, in terms of options (e.g. 'momentum > 0, nesterov'). */
  when: string;
  /** The update rule, one step, in the doc comment's notation. */
  update: string;
  /** Each symbol of `update` and the option that sets it (or what it is). */
  symbols: Readonly<Record<string, string>>;
  /** Whether the options (as given to the optimizer; omitted ones take its defaults) select this form. */
  applies(options: Readonly<Record<string, unknown>>): boolean;
}

const on = (o: Readonly<Record<string, unknown>>, k: string) => o[k] === true;
const positive = (o: Readonly<Record<string, unknown>>, k: string) => typeof o[k] === 'number' && o[k] > 0;
const always = () => true;

const ADAM_MOMENTS = 'g ← g + λθ;  m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²';
const ADAM_SYMBOLS = { η: 'lr', 'β₁, β₂': 'betas', ε: 'eps', λ: 'weightDecay' } as const;
const HAT = 'm̂ = m/(1 − β₁ᵗ),  v̂ = v/(1 − β₂ᵗ)';

function adamForms(decoupled: boolean): OptimizerFormula[] {
  const moments = decoupled ? 'm ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²' : ADAM_MOMENTS;
  const step = (d: string) => (decoupled ? `θ ← θ − η(${d} + λθ)` : `θ ← θ − η·${d}`);
  const sqrt = (o: Readonly<Record<string, unknown>>) => on(o, 'epsInsideSqrt');
  const noBias = (o: Readonly<Record<string, unknown>>) => o.biasCorrection === false;
  return [
    {
      form: 'amsgrad',
      when: 'amsgrad',
      update: `${moments};  v_max ← max(v_max, v);  ${step('m̂/(√(v_max/(1 − β₂ᵗ)) + ε)')},  m̂ = m/(1 − β₁ᵗ)`,
      symbols: ADAM_SYMBOLS,
      applies: (o) => on(o, 'amsgrad'),
    },
    {
      form: 'textbook-eps-inside',
      when: 'biasCorrection: false, epsInsideSqrt',
      update: `${moments};  ${step('m/√(v + ε)')}`,
      symbols: ADAM_SYMBOLS,
      applies: (o) => noBias(o) && sqrt(o),
    },
    {
      form: 'textbook',
      when: 'biasCorrection: false',
      update: `${moments};  ${step('m/(√v + ε)')}`,
      symbols: ADAM_SYMBOLS,
      applies: noBias,
    },
    {
      form: 'eps-inside',
      when: 'epsInsideSqrt',
      update: `${moments};  ${HAT};  ${step('m̂/√(v̂ + ε)')}`,
      symbols: ADAM_SYMBOLS,
      applies: sqrt,
    },
    {
      form: 'pytorch',
      when: 'default',
      update: `${moments};  ${HAT};  ${step('m̂/(√v̂ + ε)')}`,
      symbols: ADAM_SYMBOLS,
      applies: always,
    },
  ];
}

const SGD_SYMBOLS = { η: 'lr', ρ: 'momentum', τ: 'dampening', λ: 'weightDecay' } as const;
const RMS_SYMBOLS = { η: 'lr', α: 'alpha', ε: 'eps', λ: 'weightDecay' } as const;
const RMS_MOMENTUM_SYMBOLS = { ...RMS_SYMBOLS, ρ: 'momentum' } as const;
const ADAGRAD_SYMBOLS = {
  η: 'lr',
  ε: 'eps',
  κ: 'lrDecay',
  λ: 'weightDecay',
  's₀': 'initialAccumulatorValue',
};

/**
 * The forms of every optimizer of `OPTIMIZER_NAMES`, most specific first: `optimizerFormula` takes the
 * first whose `applies` holds, and each list ends with a form that always applies.
 */
export const OPTIMIZER_FORMULAS: Readonly<Record<OptimizerName, readonly OptimizerFormula[]>> = {
  sgd: [
    {
      form: 'nesterov-lookahead',
      when: "momentum > 0, nesterov, nesterovForm: 'lookahead' (the course's form)",
      update: 'g = ∇J(θ + ρv) + λθ;  v ← ρv − ηg;  θ ← θ + v',
      symbols: { η: 'lr', ρ: 'momentum', λ: 'weightDecay' },
      applies: (o) => positive(o, 'momentum') && on(o, 'nesterov') && o.nesterovForm === 'lookahead',
    },
    {
      form: 'nesterov',
      when: 'momentum > 0, nesterov (PyTorch form)',
      update: 'g ← g + λθ;  b ← ρb + (1 − τ)g (b₁ = g);  g ← g + ρb;  θ ← θ − ηg',
      symbols: SGD_SYMBOLS,
      applies: (o) => positive(o, 'momentum') && on(o, 'nesterov'),
    },
    {
      form: 'momentum',
      when: 'momentum > 0',
      update: 'g ← g + λθ;  b ← ρb + (1 − τ)g (b₁ = g);  θ ← θ − ηb',
      symbols: SGD_SYMBOLS,
      applies: (o) => positive(o, 'momentum'),
    },
    {
      form: 'plain',
      when: 'momentum 0 (default)',
      update: 'g ← g + λθ;  θ ← θ − ηg',
      symbols: { η: 'lr', λ: 'weightDecay' },
      applies: always,
    },
  ],
  adagrad: [
    {
      form: 'eps-inside',
      when: "epsInsideSqrt (the course's form)",
      update: 'g ← g + λθ;  s ← s + g² (from s₀);  θ ← θ − η/(1 + (t − 1)κ) · g/√(s + ε)',
      symbols: ADAGRAD_SYMBOLS,
      applies: (o) => on(o, 'epsInsideSqrt'),
    },
    {
      form: 'pytorch',
      when: 'default',
      update: 'g ← g + λθ;  s ← s + g² (from s₀);  θ ← θ − η/(1 + (t − 1)κ) · g/(√s + ε)',
      symbols: ADAGRAD_SYMBOLS,
      applies: always,
    },
  ],
  rmsprop: [
    {
      form: 'centered-momentum',
      when: 'centered, momentum > 0',
      update:
        'g ← g + λθ;  s ← αs + (1 − α)g²;  a ← αa + (1 − α)g;  d = √(s − a²) + ε;  b ← ρb + g/d;  θ ← θ − ηb',
      symbols: RMS_MOMENTUM_SYMBOLS,
      applies: (o) => on(o, 'centered') && positive(o, 'momentum'),
    },
    {
      form: 'centered',
      when: 'centered',
      update: 'g ← g + λθ;  s ← αs + (1 − α)g²;  a ← αa + (1 − α)g;  θ ← θ − η·g/(√(s − a²) + ε)',
      symbols: RMS_SYMBOLS,
      applies: (o) => on(o, 'centered'),
    },
    {
      form: 'momentum',
      when: 'momentum > 0',
      update: 'g ← g + λθ;  s ← αs + (1 − α)g²;  b ← ρb + g/(√s + ε);  θ ← θ − ηb',
      symbols: RMS_MOMENTUM_SYMBOLS,
      applies: (o) => positive(o, 'momentum'),
    },
    {
      form: 'eps-inside',
      when: "epsInsideSqrt (the course's form)",
      update: 'g ← g + λθ;  s ← αs + (1 − α)g²;  θ ← θ − η·g/√(s + ε)',
      symbols: RMS_SYMBOLS,
      applies: (o) => on(o, 'epsInsideSqrt'),
    },
    {
      form: 'pytorch',
      when: 'default',
      update: 'g ← g + λθ;  s ← αs + (1 − α)g²;  θ ← θ − η·g/(√s + ε)',
      symbols: RMS_SYMBOLS,
      applies: always,
    },
  ],
  adadelta: [
    {
      form: 'pytorch',
      when: 'default',
      update: 'g ← g + λθ;  s ← ρs + (1 − ρ)g²;  Δ = √(a + ε)/√(s + ε) · g;  a ← ρa + (1 − ρ)Δ²;  θ ← θ − ηΔ',
      symbols: { η: 'lr', ρ: 'rho', ε: 'eps', λ: 'weightDecay' },
      applies: always,
    },
  ],
  adam: adamForms(false),
  adamw: adamForms(true),
  adamax: [
    {
      form: 'pytorch',
      when: 'default',
      update: 'g ← g + λθ;  m ← β₁m + (1 − β₁)g;  w ← max(β₂w, |g| + ε);  θ ← θ − η/(1 − β₁ᵗ) · m/w',
      symbols: ADAM_SYMBOLS,
      applies: always,
    },
  ],
  nadam: [
    {
      form: 'pytorch',
      when: 'default',
      update: `${ADAM_MOMENTS};  μ_t = β₁(1 − ½·0.96^(tψ));  d = √(v/(1 − β₂ᵗ)) + ε;  θ ← θ − η(1 − μ_t)/(1 − Π_{τ≤t}μ_τ) · g/d − η·μ_{t+1}/(1 − Π_{τ≤t+1}μ_τ) · m/d`,
      symbols: { ...ADAM_SYMBOLS, ψ: 'momentumDecay' },
      applies: always,
    },
  ],
  radam: [
    {
      form: 'pytorch',
      when: 'default',
      update: `${ADAM_MOMENTS};  ${HAT};  ρ∞ = 2/(1 − β₂) − 1;  ρ_t = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ);  ρ_t > 5: r_t = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t)),  θ ← θ − η·r_t·m̂/(√v̂ + ε);  otherwise θ ← θ − η·m̂`,
      symbols: ADAM_SYMBOLS,
      applies: always,
    },
  ],
  lion: [
    {
      form: 'paper',
      when: 'default',
      update: 'c = β₁m + (1 − β₁)g;  θ ← θ − η(sign(c) + λθ);  m ← β₂m + (1 − β₂)g',
      symbols: { η: 'lr', 'β₁, β₂': 'betas', λ: 'weightDecay' },
      applies: always,
    },
  ],
  lamb: [
    {
      form: 'paper',
      when: 'default',
      update: `m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  ${HAT};  r = m̂/(√v̂ + ε) + λθ;  θ ← θ − η·(‖θ‖/‖r‖)·r`,
      symbols: ADAM_SYMBOLS,
      applies: always,
    },
  ],
  qhm: [
    {
      form: 'paper',
      when: 'default',
      update: 'g ← g + λθ;  b ← βb + (1 − β)g;  θ ← θ − η[(1 − ν)g + νb]',
      symbols: { η: 'lr', β: 'momentum', ν: 'nu', λ: 'weightDecay' },
      applies: always,
    },
  ],
  qhadam: [
    {
      form: 'paper',
      when: 'default',
      update: `${ADAM_MOMENTS};  ${HAT};  θ ← θ − η·((1 − ν₁)g + ν₁m̂) / (√((1 − ν₂)g² + ν₂v̂) + ε)`,
      symbols: { ...ADAM_SYMBOLS, 'ν₁, ν₂': 'nus' },
      applies: always,
    },
  ],
  aggmo: [
    {
      form: 'paper',
      when: 'default',
      update: 'g ← g + λθ;  v⁽ⁱ⁾ ← β⁽ⁱ⁾v⁽ⁱ⁾ − g  (i = 1…K);  θ ← θ + (η/K)·Σᵢ v⁽ⁱ⁾',
      symbols: { η: 'lr', 'β⁽ⁱ⁾': 'betas', K: 'betas.length', λ: 'weightDecay' },
      applies: always,
    },
  ],
  demon: [
    {
      form: 'paper',
      when: 'default',
      update: 'g ← g + λθ;  β_t = β(1 − t/T) / ((1 − β) + β(1 − t/T));  b ← β_t·b + g;  θ ← θ − ηb',
      symbols: { η: 'lr', β: 'momentum', T: 'totalSteps', λ: 'weightDecay' },
      applies: always,
    },
  ],
};

/**
 * The formula of `name` under `options` (the first form of `OPTIMIZER_FORMULAS[name]` that applies).
 * An unknown optimizer is refused with the accepted names.
 */
export function optimizerFormula(
  name: string,
  options: Readonly<Record<string, unknown>> = {},
): OptimizerFormula {
  if (!Object.hasOwn(OPTIMIZER_FORMULAS, name)) {
    throw new RangeError(
      `optimizerFormula: unknown optimizer ${JSON.stringify(name)}; accepted: ${Object.keys(OPTIMIZER_FORMULAS).join(', ')}`,
    );
  }
  // The optimizer itself checks the options (unknown keys, bad values) with its own message: a
  // formula is never shown for options the optimizer would refuse. One scalar, released at once.
  scope(() => void createOptimizer(name, [tensor([0], { requiresGrad: true })], options));
  const forms = OPTIMIZER_FORMULAS[name as OptimizerName];
  return forms.find((f) => f.applies(options)) ?? forms[forms.length - 1]!;
}
