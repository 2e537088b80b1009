/**
 * One optimizer of the panel's list, as the URL holds it. Kept free of imports: the root tsconfig
 * compiles it too (test/lab/paths.test.ts reads state.ts), where 'descent' is the built package.
 */

/** An optimizer option's value as the library takes it (number, switch, pair/list, or a form name). */
export type OptionValue = number | boolean | string | number[];

/** One optimizer of the list: its name and the options the user set (the rest take the defaults). */
export type RunSpec = {
  optimizer: string;
  options: Record<string, OptionValue>;
};
