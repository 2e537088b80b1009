/**
 * The one check every options object in descent goes through: an unknown key is refused, naming the
 * key and every accepted one, instead of being ignored. A silently ignored option is a wrong result
 * (`maxPool2d(x, 2, { ceilMode: true })` computing floor mode), so no function keeps its own loop.
 *
 * This sits in `src/util/`, below every other layer (backend, tensor, ops, nn, optim, train), because
 * all of them call it and none of them owns it; it imports nothing and is browser-safe.
 */

/**
 * The table of accepted keys for an options type `T`: every key of `T`, required or optional, maps to
 * `true`. Because the table's type is derived from `T`, a key added to the interface but not to the
 * table is a compile error, and a key in the table that the interface lacks is one too (excess
 * property check), so the list in the error message cannot fall out of sync with the type.
 */
export type OptionKeys<T> = { readonly [K in keyof Required<T>]: true };

function describeOptions(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'function') return 'a function';
  return String(x);
}

/**
 * Checks `options` against its table of accepted keys. `undefined` means "all defaults" and passes;
 * anything that is not a plain object (null, a number, a string, an array, a function) is refused, and
 * so is any own key missing from `accepted` (even with the value `undefined`, which is a typo too).
 *
 * Throws a TypeError, as PyTorch does for an unexpected keyword argument:
 * `maxPool2d: unknown option 'bogus'; accepted: kernelSize, stride, padding, dilation`.
 *
 * @param who the function or class named at the start of the message (`'maxPool2d'`, `'fit: regularization'`)
 * @param options what the caller passed
 * @param accepted every accepted key mapped to `true`, in the order the message lists them
 * @example checkOptions('dropout', options, { p: true, training: true, generator: true });
 */
export function checkOptions<T extends object>(
  who: string,
  options: T | undefined,
  accepted: OptionKeys<NoInfer<T>>,
): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${who}: options must be an object, got ${describeOptions(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(accepted, key)) {
      const keys = Object.keys(accepted);
      throw new TypeError(
        `${who}: unknown option '${key}'; accepted: ${keys.length ? keys.join(', ') : 'none'}`,
      );
    }
  }
}
