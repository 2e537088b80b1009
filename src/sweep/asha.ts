/**
 * ASHA, asynchronous successive halving (Li, Jamieson, Rostamizadeh, Gonina, Ben-tzur, Hardt, Recht
 * and Talwalkar 2020, "A System for Massively Parallel Hyperparameter Tuning", MLSys; arXiv:1810.05934),
 * in its stopping form (as Ray Tune's ASHAScheduler and Optuna's SuccessiveHalvingPruner run it):
 *
 * - rungs at r·η^k epochs (k = 0, 1, …) below the trial's last epoch R, with r = `minEpochs` and
 *   η = `reductionFactor`: with r = 1, η = 3 and R = 27, decisions at epochs 1, 3 and 9;
 * - when a trial reports a rung's epoch, its metric joins that rung's results, and the trial goes on
 *   only if it is in the top ⌊n/η⌋ of the n results recorded at that rung so far (itself included),
 *   and at least the best one: ranked against what has finished, never waiting for the rest, which
 *   is what makes it asynchronous (the paper's "promote in the top 1/η of the rung");
 * - `grace`: a rung prunes nothing until it holds that many results (0: decide from the first, as
 *   the paper; a few avoid pruning on the first two or three trials' noise).
 *
 * Ties rank in the trial's favour (a value equal to a better one's shares its rank). A NaN metric
 * (a diverging trial) ranks below every number.
 */
import type { AshaOptions } from './spec_schema.js';
import type { EpochVerdict } from './types.js';

/** The epochs at which a trial of `maxEpochs` epochs is judged: r·η^k < maxEpochs. */
export function rungEpochs(options: Pick<AshaOptions, 'minEpochs' | 'reductionFactor'>, maxEpochs: number) {
  const rungs: number[] = [];
  for (let e = options.minEpochs; e < maxEpochs; e *= options.reductionFactor) rungs.push(e);
  return rungs;
}

/** Whether `a` is strictly better than `b` (NaN is worse than any number). */
function better(a: number, b: number, mode: 'max' | 'min'): boolean {
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return mode === 'max' ? a > b : a < b;
}

/**
 * The rule at one rung: `value` against the `rung` results recorded there (which include it). Goes
 * on when its rank is within max(1, ⌊n/η⌋), or while the rung holds fewer than `grace` results.
 */
export function rungVerdict(spec: {
  value: number;
  rung: readonly number[];
  reductionFactor: number;
  mode: 'max' | 'min';
  grace?: number;
}): EpochVerdict {
  const n = spec.rung.length;
  if (n < (spec.grace ?? 0)) return 'continue';
  const keep = Math.max(1, Math.floor(n / spec.reductionFactor));
  const rank = 1 + spec.rung.filter((v) => better(v, spec.value, spec.mode)).length;
  return rank <= keep ? 'continue' : 'prune';
}

/**
 * The rung tables of one sweep: `report` records a trial's metric at a rung and says whether it goes
 * on; `record` adds a finished trial's results without a verdict (a resumed sweep's past trials).
 */
export class Asha {
  /** Rung epoch → trial id → the metric it had there. */
  private readonly rungs = new Map<number, Map<string, number>>();

  constructor(private readonly options: AshaOptions & { mode: 'max' | 'min' }) {}

  /** The verdict on a trial of `maxEpochs` epochs that reported `value` at the end of `epoch`. */
  report(spec: { trialId: string; epoch: number; value: number; maxEpochs: number }): EpochVerdict {
    if (!rungEpochs(this.options, spec.maxEpochs).includes(spec.epoch)) return 'continue';
    const rung = this.rungs.get(spec.epoch) ?? new Map<string, number>();
    this.rungs.set(spec.epoch, rung);
    rung.set(spec.trialId, spec.value);
    return rungVerdict({
      value: spec.value,
      rung: [...rung.values()],
      reductionFactor: this.options.reductionFactor,
      mode: this.options.mode,
      grace: this.options.grace,
    });
  }

  /**
   * Adds a past trial's metric at every rung it was judged at (no verdict: it has ended): the rungs of
   * a trial of its `maxEpochs`, as `report` has them, so that a resumed sweep's tables hold what the
   * uninterrupted sweep's would (a 3-epoch trial's last epoch never joins rung 3, where 9-epoch trials
   * are judged).
   */
  record(spec: { trialId: string; values: ReadonlyMap<number, number>; maxEpochs: number }): void {
    const rungs = rungEpochs(this.options, spec.maxEpochs);
    for (const [epoch, value] of spec.values) {
      if (!rungs.includes(epoch)) continue;
      const rung = this.rungs.get(epoch) ?? new Map<string, number>();
      this.rungs.set(epoch, rung);
      rung.set(spec.trialId, value);
    }
  }

  /** The results recorded at a rung, for display and tests. */
  rung(epoch: number): ReadonlyMap<string, number> {
    return this.rungs.get(epoch) ?? new Map();
  }
}
