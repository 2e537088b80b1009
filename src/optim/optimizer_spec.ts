/**
 * An optimizer as one declaration: its name, every option with its check, the defaults, the options
 * the caller must give, the checks across options, and the chain of gradient transformations a
 * parameter group runs (an alias of alias.ts, which also declares the chain's fused kernel, if any).
 * The facade (optimizer.ts) builds everything else from it: the accepted-option table and its error
 * messages, the resolved defaults, the per-group validation (also of a loaded state dict), the chain
 * that reads each hyperparameter from its group at every step, and the fused path.
 *
 * Adding an optimizer is one spec and a three-line class (see docs/ARCHITECTURE.md, "Optimizers"):
 *
 * ```ts
 * const LION: OptimizerSpec<LionOptions> = {
 *   name: 'Lion',
 *   checks: { lr: nonNegative, betas: betasPair, weightDecay: nonNegative, maximize: boolean },
 *   defaults: { lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0, maximize: false },
 *   chain: (h) => lion(h),
 * };
 * export class Lion extends Optimizer<LionOptions> {
 *   constructor(params: ParamsArg<LionOptions>, options: Partial<LionOptions> = {}) {
 *     super(LION, params, options);
 *   }
 * }
 * ```
 */
import type { Chain } from './transform.js';

/** Checks one option's value; throws an error that names the optimizer, the option and what is accepted. */
export type OptionCheck = (optimizer: string, option: string, value: unknown) => void;

/** Each option of a group as a function that reads it from the group at every step. */
export type GroupHypers<O> = { readonly [K in keyof O]-?: () => O[K] };

export interface OptimizerSpec<O extends { lr: number }> {
  /** The class name; every error message starts with it. */
  readonly name: string;
  /**
   * Every option the optimizer takes, with its check, in the order messages list them (the accepted
   * options of an unknown-option error, the keys of `stateDict().paramGroups`).
   */
  readonly checks: { readonly [K in keyof O]-?: OptionCheck } & { readonly lr: OptionCheck };
  /** The default of each option that has one; an option without one must be given (`required`). */
  readonly defaults: Partial<O>;
  /** The options without a default and the error's text when one is missing (after the name and a colon). */
  readonly required?: { readonly options: readonly string[]; readonly message: string };
  // The two functions are methods so that a spec of Adam's options is a spec of `{ lr: number }`
  // (method parameters are bivariant), as `Optimizer<AdamOptions>` is an `Optimizer<{ lr: number }>`.
  /** Checks across options, after each option's own check; throws naming the optimizer. */
  relations?(options: O, name: string): void;
  /**
   * The chain of one parameter group: `h` reads each option from the group at every step (so a
   * schedule's change takes effect on the next step); `group` gives what the chain fixes when built.
   */
  chain(h: GroupHypers<O>, group: O): Chain;
}

/** Reads of every option of `group` (in the spec's order), for the spec's `chain`. */
export function groupHypers<O extends { lr: number }>(spec: OptimizerSpec<O>, group: O): GroupHypers<O> {
  const keys = Object.keys(spec.checks) as (keyof O)[];
  return Object.fromEntries(keys.map((k) => [k, () => group[k]])) as unknown as GroupHypers<O>;
}

/**
 * The optimizer's defaults under the options given to its constructor (undefined and null both mean
 * the default), in the spec's order. A required option is taken as given.
 */
export function resolveDefaults<O extends { lr: number }>(spec: OptimizerSpec<O>, given: Partial<O>): O {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(spec.checks) as (keyof O & string)[]) {
    out[k] = k in spec.defaults ? (given[k] ?? spec.defaults[k]) : given[k];
  }
  return out as O;
}

/** Throws the spec's TypeError when a required option is missing (or no options were given at all). */
export function checkRequired<O extends { lr: number }>(spec: OptimizerSpec<O>, given: unknown): void {
  const required = spec.required;
  if (required === undefined) return;
  const options = given as Record<string, unknown> | null | undefined;
  if (options == null || required.options.some((k) => options[k] === undefined)) {
    throw new TypeError(`${spec.name}: ${required.message}`);
  }
}

/** Checks every option of a group, then the relations between them. */
export function validateOptions<O extends { lr: number }>(spec: OptimizerSpec<O>, options: O): void {
  for (const [k, check] of Object.entries(spec.checks) as [keyof O & string, OptionCheck][]) {
    check(spec.name, k, options[k]);
  }
  spec.relations?.(options, spec.name);
}
