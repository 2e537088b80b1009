/**
 * How the trainer reads values from the device, written once for `fit` (synchronous reads) and
 * `fitAsync` (awaited reads).
 *
 * An epoch, an evaluation pass and a flush of the step losses are generators (`Reads<R>`): where one
 * needs a device value it yields a `Read` and gets the value back from `yield`; between steps it
 * yields `PAUSE`, a point where a browser page may take its turn. `runSync` answers every read at once
 * (`tensor.data()`, which needs a backend that reads synchronously) and ignores the pauses;
 * `runAsync` awaits every read and, at a pause, gives the event loop a turn once `SLICE_MS` of work
 * has passed since the last one. Both run the very same generator, so `fit` and `fitAsync` compute the
 * same values in the same order: bit-identical results.
 *
 * A generator never yields inside a `scope()` (scopes are synchronous): reads and pauses sit between
 * steps.
 */
import { settleHostChecks } from '../capture/host_effects.js';
import type { TypedArray } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';

/** A device value the generator needs, in both forms. */
export interface Read<T> {
  readonly sync: () => T;
  readonly async: () => Promise<T>;
}

/** Yielded between steps: `runAsync` may let the event loop run here. */
export const PAUSE: unique symbol = Symbol('pause');

export type ReadRequest = Read<unknown> | typeof PAUSE;

/** A computation that reads device values through `yield` (see the module comment). */
export type Reads<R> = Generator<ReadRequest, R, unknown>;

/** Work between two turns of the event loop in `runAsync`: short enough that a page never stutters. */
export const SLICE_MS = 10;

/** Yields `request` and returns its value (`const v = yield* read(r)`). */
export function* read<T>(request: Read<T>): Reads<T> {
  return (yield request as Read<unknown>) as T;
}

/** The elements of `t` (`data()` / `dataAsync()`). */
export function dataOf(t: Tensor): Read<TypedArray> {
  return { sync: () => t.data(), async: () => t.dataAsync() };
}

/** Runs `g` to its end, answering each read synchronously. */
export function runSync<R>(g: Reads<R>): R {
  let next = g.next();
  while (!next.done) {
    const request = next.value;
    let value: unknown;
    try {
      value = request === PAUSE ? undefined : request.sync();
    } catch (error) {
      next = g.throw(error); // the generator's finally blocks run (its batch iterator is closed)
      continue;
    }
    next = g.next(value);
  }
  return next.value;
}

/** Runs `g` to its end, awaiting each read and letting the event loop run every `SLICE_MS` of work. */
export async function runAsync<R>(g: Reads<R>): Promise<R> {
  let sliceStart = performance.now();
  let next = g.next();
  while (!next.done) {
    const request = next.value;
    let value: unknown;
    try {
      if (request === PAUSE) {
        if (performance.now() - sliceStart >= SLICE_MS) {
          await macrotask();
          sliceStart = performance.now();
        }
      } else {
        value = await request.async();
        // A read point: a deferred host check that failed (a bad class index on a GPU) throws here.
        await settleHostChecks();
      }
    } catch (error) {
      next = g.throw(error);
      continue;
    }
    next = g.next(value);
  }
  // Nothing is left unchecked when the computation ends: checks made after its last read settle now.
  await settleHostChecks();
  return next.value;
}

/**
 * A turn of the event loop: timers, input and rendering run before the promise settles. An awaited
 * promise alone is a microtask, which lets none of them run. `setImmediate` (Node) and a
 * `MessageChannel` message (browsers, workers) avoid the 4 ms clamp of nested `setTimeout`s.
 */
export function macrotask(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
