/**
 * A captured step's result, rebuilt at each run over the buffers the program owns.
 *
 * The traced step returned a Tensor, or arrays and plain objects of them. A tensor made by the step
 * (its storage belonged to the step's scope) lives in a buffer the program takes over and rewrites
 * at every replay: each run hands out new tensors over it, on borrowed storages that no scope frees;
 * the previous run's are retired (using one throws), since their values were overwritten. A tensor
 * that outlives the step (a parameter, an input) is handed out as it is.
 */
import { Storage } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';

/** The result's shape, with the storages the program takes over. */
export interface OutputTemplate<O> {
  /** The step's own storages among the result's tensors, distinct, in the order `build` indexes them. */
  readonly storages: readonly Storage[];
  /** The result again, its tensors over `made` (one storage per entry of `storages`). */
  build(made: readonly Storage[]): O;
}

type Builder = (made: readonly Storage[]) => unknown;

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A builder for `value`; `ownStorage` says whether a storage is the step's own (and gives its index). */
function builderOf(value: unknown, ownStorage: (s: Storage) => number, depth: number): Builder {
  if (value instanceof Tensor) {
    const index = ownStorage(value.storage);
    if (index < 0) return () => value;
    const { shape, strides, offset } = value;
    return (made) => new Tensor(made[index]!, shape, strides, offset);
  }
  if (depth > 8 || value === null || typeof value !== 'object') return () => value;
  if (Array.isArray(value)) {
    const items = value.map((v) => builderOf(v, ownStorage, depth + 1));
    return (made) => items.map((b) => b(made));
  }
  if (!isPlain(value)) return () => value;
  const entries = Object.entries(value).map(([k, v]) => [k, builderOf(v, ownStorage, depth + 1)] as const);
  return (made) => {
    const out: Record<string, unknown> = {};
    for (const [k, b] of entries) out[k] = b(made);
    return out;
  };
}

/** The template of `result`; `isOwn` tells the step's own storages (made inside its scope). */
export function outputTemplate<O>(result: O, isOwn: (s: Storage) => boolean): OutputTemplate<O> {
  const storages: Storage[] = [];
  const ownStorage = (s: Storage): number => {
    if (!isOwn(s)) return -1;
    const found = storages.indexOf(s);
    if (found >= 0) return found;
    storages.push(s);
    return storages.length - 1;
  };
  const build = builderOf(result, ownStorage, 0);
  return { storages, build: (made) => build(made) as O };
}

/** Borrowed storages over the template's buffers, for one run's result. */
export function borrowStorages(template: OutputTemplate<unknown>): Storage[] {
  return template.storages.map((s) => new Storage(s.backend, s.buffer, true));
}
