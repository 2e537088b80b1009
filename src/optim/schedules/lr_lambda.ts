/**
 * The λ functions of `LambdaLR` and `MultiplicativeLR`: one for every parameter group or one per
 * group (PyTorch's `lr_lambda`, a function or a list), and the check of what each returns.
 */
import { checkOptions } from '../../util/options.js';
import { describe, finiteResult } from './checks.js';
import { checkOptimizer, LrScheduler, type SchedulableOptimizer } from './scheduler.js';

/** A factor of the step count: `epoch` is `lastEpoch`, the steps taken (0 at construction). */
export type LrLambda = (epoch: number) => number;

/** One λ per group: a single function is used for every group, an array needs one per group. */
function lambdasFor(who: string, lrLambda: unknown, groups: number): LrLambda[] {
  if (typeof lrLambda === 'function') return new Array<LrLambda>(groups).fill(lrLambda as LrLambda);
  const accepted = `a function of the step, or an array of ${groups} (one per param group)`;
  if (!Array.isArray(lrLambda)) {
    throw new TypeError(`${who}: lrLambda must be ${accepted}, got ${describe(lrLambda)}`);
  }
  if (lrLambda.length !== groups) {
    // PyTorch: "Expected {groups} lr_lambdas, but got {n}".
    throw new RangeError(`${who}: lrLambda must be ${accepted}, got ${lrLambda.length} functions`);
  }
  lrLambda.forEach((fn, i) => {
    if (typeof fn !== 'function') {
      throw new TypeError(`${who}: lrLambda[${i}] must be a function of the step, got ${describe(fn)}`);
    }
  });
  return lrLambda.slice() as LrLambda[];
}

/**
 * λ(epoch) for group `group`, refused unless a finite number: a λ that returns `undefined` (a missing
 * `return`) or NaN would otherwise set a NaN learning rate silently (PyTorch does not check).
 */
function callLambda(who: string, fn: LrLambda, epoch: number, group: number): number {
  return finiteResult(fn(epoch), { who, name: `lrLambda for param group ${group}`, at: `at step ${epoch}` });
}

/** The options both λ schedulers take. */
interface LrLambdaOptions {
  lrLambda: LrLambda | readonly LrLambda[];
  lastEpoch?: number;
}

/**
 * What `LambdaLR` and `MultiplicativeLR` share: the options check and one λ per group, resolved before
 * the constructor's step; each subclass says only how λ turns into a learning rate (`getLr`).
 */
export abstract class LrLambdaScheduler extends LrScheduler {
  readonly lrLambdas: readonly LrLambda[];

  protected constructor(optimizer: SchedulableOptimizer, who: string, options: LrLambdaOptions) {
    checkOptions(who, options, { lrLambda: true, lastEpoch: true });
    const groups = checkOptimizer(who, optimizer).paramGroups.length;
    const lrLambdas = lambdasFor(who, options?.lrLambda, groups);
    super(optimizer, who, options.lastEpoch);
    this.lrLambdas = lrLambdas;
    this.initialStep();
  }

  /** λ of group `group` at the current step, checked. */
  protected factor(group: number): number {
    return callLambda(this.kind, this.lrLambdas[group]!, this.lastEpoch, group);
  }
}
