/**
 * OneCycleLR: the 1cycle policy. The lr rises from `maxLr / divFactor` to `maxLr`, then falls to
 * `maxLr / (divFactor · finalDivFactor)`, while momentum (or Adam's β₁) moves the opposite way between
 * `maxMomentum` and `baseMomentum`. Meant to be stepped after every batch.
 *
 * Phases (N = `totalSteps`, p = `pctStart`), each ending at a step that may be fractional:
 *
 *   two-phase (default):  [0, pN − 1]: lr η₀ → η_max, momentum m_max → m_base
 *                         [pN − 1, N − 1]: lr η_max → η_min, momentum m_base → m_max
 *   threePhase: true:     [0, pN − 1]: η₀ → η_max;  [pN − 1, 2pN − 2]: η_max → η₀;
 *                         [2pN − 2, N − 1]: η₀ → η_min (momentum max → base → max → max)
 *
 * Within a phase from step a to step b, with fraction φ = (t − a) / (b − a):
 *   'cos':     v = end + (start − end) / 2 · (1 + cos(π·φ))
 *   'linear':  v = (end − start) · φ + start
 * where η₀ = maxLr / divFactor, η_min = η₀ / finalDivFactor, t = steps taken.
 *
 * Defaults: pctStart 0.3, annealStrategy 'cos', cycleMomentum true, baseMomentum 0.85, maxMomentum 0.95,
 * divFactor 25, finalDivFactor 1e4, threePhase false. Give `totalSteps`, or `epochs` and
 * `stepsPerEpoch` (totalSteps = epochs · stepsPerEpoch); `totalSteps` wins when both are given. Papers:
 * Smith & Topin 2017, "Super-Convergence: Very Fast Training of Neural Networks Using Large Learning
 * Rates", arXiv:1708.07120 (three phases); the two-phase default follows fastai.
 *
 * Values equal PyTorch 1.13's `OneCycleLR`, including its quirks: a phase starts at the previous
 * phase's end step (not end + 1); the schedule may be stepped once past `totalSteps − 1` (it then
 * extrapolates the last phase) and throws on the step after. The constructor overwrites the groups'
 * `lr`, `initialLr` and `momentum` / `betas[0]`. With `cycleMomentum`, a group with `betas` (Adam-like)
 * cycles `betas[0]` (a new tuple; `betas[1]` is kept), else `momentum` is cycled.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const sched = new OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: batches });
 * // after every opt.step(): sched.step()
 *
 * Divergences from PyTorch: `maxLr`, `baseMomentum`, `maxMomentum` may be per-group arrays as in
 * PyTorch, but are kept on the scheduler rather than as `max_lr`/`min_lr`/… fields on each group;
 * whether to cycle `betas[0]` or `momentum` is decided per group (PyTorch looks at the optimizer's
 * defaults); a pctStart that makes a phase zero steps long is rejected (PyTorch divides by zero). Resumed
 * with `lastEpoch`, PyTorch reads max_lr and min_lr back from the groups; descent recomputes them from
 * the options and the groups' `initialLr` (the same values when the options are the same).
 */
import { checkOptions, type OptionKeys } from '../../util/options.js';
import { boolean, inRange, lastEpochOption, oneOf, perGroup, positive, positiveInt } from './checks.js';
import {
  checkOptimizer,
  LrScheduler,
  type SchedulableGroup,
  type SchedulableOptimizer,
} from './scheduler.js';

export interface OneCycleLROptions {
  /** The peak lr, one number or one per group. Required. */
  maxLr: number | readonly number[];
  /** Steps in the cycle. Either this or `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  /** With `stepsPerEpoch`: totalSteps = epochs · stepsPerEpoch. */
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent raising the lr. Default 0.3. */
  pctStart?: number;
  /** 'cos' (default) or 'linear'. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (or β₁) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Momentum at the peak lr. Default 0.85. */
  baseMomentum?: number | readonly number[];
  /** Momentum at the start and end of the cycle. Default 0.95. */
  maxMomentum?: number | readonly number[];
  /** η₀ = maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** η_min = η₀ / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  /** Smith & Topin's three phases instead of fastai's two. Default false. */
  threePhase?: boolean;
  /**
   * Resume after this many steps (PyTorch's `last_epoch`). Default −1: a fresh start, which overwrites
   * the groups' lr, `initialLr` and momentum; k ≥ 0 leaves the groups as restored and needs their
   * `initialLr` (maxLr / divFactor when the cycle began).
   */
  lastEpoch?: number;
}

type Level = 'initial' | 'max' | 'min';
interface Phase {
  endStep: number;
  startLr: Level;
  endLr: Level;
  startMomentum: 'max' | 'base';
  endMomentum: 'max' | 'base';
}

const KEYS: OptionKeys<OneCycleLROptions> = {
  maxLr: true,
  totalSteps: true,
  epochs: true,
  stepsPerEpoch: true,
  pctStart: true,
  annealStrategy: true,
  cycleMomentum: true,
  baseMomentum: true,
  maxMomentum: true,
  divFactor: true,
  finalDivFactor: true,
  threePhase: true,
  lastEpoch: true,
};

function phase(
  endStep: number,
  startLr: Level,
  endLr: Level,
  startMomentum: 'max' | 'base',
  endMomentum: 'max' | 'base',
): Phase {
  return { endStep, startLr, endLr, startMomentum, endMomentum };
}

const annealCos = (start: number, end: number, pct: number): number => {
  const cosOut = Math.cos(Math.PI * pct) + 1;
  return end + ((start - end) / 2.0) * cosOut;
};
const annealLinear = (start: number, end: number, pct: number): number => (end - start) * pct + start;

export class OneCycleLR extends LrScheduler {
  readonly totalSteps: number;
  readonly annealStrategy: 'cos' | 'linear';
  readonly cycleMomentum: boolean;
  readonly maxLrs: readonly number[];
  readonly minLrs: readonly number[];
  readonly maxMomentums: readonly number[];
  readonly baseMomentums: readonly number[];
  private readonly phases: readonly Phase[];
  private readonly anneal: (start: number, end: number, pct: number) => number;
  /** Per group: true to cycle `betas[0]`, false to cycle `momentum`. */
  private readonly useBeta1: readonly boolean[];

  constructor(optimizer: SchedulableOptimizer, options: OneCycleLROptions) {
    const who = 'OneCycleLR';
    checkOptions(who, options, KEYS);
    if (options === undefined) throw new TypeError(`${who}: options with maxLr and totalSteps are required`);
    const groups = checkOptimizer(who, optimizer).paramGroups;

    const totalSteps = totalStepsOf(who, options);
    const pctStart = inRange(who, 'pctStart', options.pctStart ?? 0.3, 0, 1);
    const annealStrategy = oneOf(who, 'annealStrategy', options.annealStrategy ?? 'cos', ['cos', 'linear']);
    const divFactor = positive(who, 'divFactor', options.divFactor ?? 25);
    const finalDivFactor = positive(who, 'finalDivFactor', options.finalDivFactor ?? 1e4);
    const threePhase = boolean(who, 'threePhase', options.threePhase ?? false);
    const cycleMomentum = boolean(who, 'cycleMomentum', options.cycleMomentum ?? true);
    const fresh = lastEpochOption(who, options.lastEpoch) === -1;
    const maxLrs = perGroup(who, 'maxLr', options.maxLr, groups.length, positive);
    const momentumIn = (w: string, n: string, v: unknown) => inRange(w, n, v, 0, 1);
    const maxMomentums = perGroup(who, 'maxMomentum', options.maxMomentum ?? 0.95, groups.length, momentumIn);
    const baseMomentums = perGroup(
      who,
      'baseMomentum',
      options.baseMomentum ?? 0.85,
      groups.length,
      momentumIn,
    );
    const useBeta1 = groups.map((g, i) => {
      if (!cycleMomentum) return false;
      if (Array.isArray(g.betas)) return true;
      if (typeof g.momentum === 'number') return false;
      throw new TypeError(
        `${who}: cycleMomentum needs param groups with momentum or betas; paramGroups[${i}] has neither (pass cycleMomentum: false)`,
      );
    });

    const phases = cyclePhases(who, { threePhase, pctStart, totalSteps });

    // A fresh cycle overwrites initial_lr (and momentum) whatever the group held; a resumed one
    // (lastEpoch ≥ 0) takes the groups as restored, as PyTorch.
    if (fresh) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i]! / divFactor;
        if (cycleMomentum) setMomentum(g, useBeta1[i]!, maxMomentums[i]!);
      });
    }
    super(optimizer, who, options.lastEpoch);
    this.totalSteps = totalSteps;
    this.annealStrategy = annealStrategy;
    this.anneal = annealStrategy === 'cos' ? annealCos : annealLinear;
    this.cycleMomentum = cycleMomentum;
    this.maxLrs = maxLrs;
    this.minLrs = this.baseLrs.map((initial) => initial / finalDivFactor);
    this.maxMomentums = maxMomentums;
    this.baseMomentums = baseMomentums;
    this.phases = phases;
    this.useBeta1 = useBeta1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const t = this.lastEpoch;
    if (t > this.totalSteps) {
      throw new RangeError(
        `OneCycleLR: tried to step ${t + 1} times, but totalSteps is ${this.totalSteps} (make a new scheduler to go on)`,
      );
    }
    const last = this.phases.length - 1;
    return this.optimizer.paramGroups.map((group, i) => {
      const lrOf = { initial: this.baseLrs[i]!, max: this.maxLrs[i]!, min: this.minLrs[i]! };
      const momentumOf = { max: this.maxMomentums[i]!, base: this.baseMomentums[i]! };
      let startStep = 0;
      for (let k = 0; k <= last; k++) {
        const phase = this.phases[k]!;
        if (t <= phase.endStep || k === last) {
          const pct = (t - startStep) / (phase.endStep - startStep);
          if (this.cycleMomentum) {
            const m = this.anneal(momentumOf[phase.startMomentum], momentumOf[phase.endMomentum], pct);
            setMomentum(group, this.useBeta1[i]!, m);
          }
          return this.anneal(lrOf[phase.startLr], lrOf[phase.endLr], pct);
        }
        startStep = phase.endStep;
      }
      throw new Error('unreachable');
    });
  }
}

function setMomentum(group: SchedulableGroup, useBeta1: boolean, value: number): void {
  if (useBeta1) group.betas = [value, group.betas![1]];
  else group.momentum = value;
}

/** The total number of steps: `totalSteps`, or `epochs · stepsPerEpoch`. */
function totalStepsOf(who: string, options: OneCycleLROptions): number {
  if (options.totalSteps !== undefined) return positiveInt(who, 'totalSteps', options.totalSteps);
  if (options.epochs === undefined && options.stepsPerEpoch === undefined) {
    throw new RangeError(`${who}: give totalSteps, or both epochs and stepsPerEpoch`);
  }
  return (
    positiveInt(who, 'epochs', options.epochs) * positiveInt(who, 'stepsPerEpoch', options.stepsPerEpoch)
  );
}

/**
 * The cycle's phases as PyTorch's `_schedule_phases` (end step, lr from → to, momentum from → to);
 * refuses a phase of zero steps.
 */
function cyclePhases(
  who: string,
  cycle: { threePhase: boolean; pctStart: number; totalSteps: number },
): Phase[] {
  const { pctStart, totalSteps } = cycle;
  const phases: Phase[] = cycle.threePhase
    ? [
        phase(pctStart * totalSteps - 1, 'initial', 'max', 'max', 'base'),
        phase(2 * pctStart * totalSteps - 2, 'max', 'initial', 'base', 'max'),
        phase(totalSteps - 1, 'initial', 'min', 'max', 'max'),
      ]
    : [
        phase(pctStart * totalSteps - 1, 'initial', 'max', 'max', 'base'),
        phase(totalSteps - 1, 'max', 'min', 'base', 'max'),
      ];
  let start = 0;
  phases.forEach((p, i) => {
    if (p.endStep === start) {
      throw new RangeError(
        `${who}: pctStart ${pctStart} with totalSteps ${totalSteps} makes phase ${i + 1} of the cycle zero steps long (it starts and ends at step ${start}); choose another pctStart`,
      );
    }
    start = p.endStep;
  });
  return phases;
}
