/** The message of the error `f` throws, after checking its class: error paths are part of the API. */
import { expect } from 'vitest';

export function messageOf(f: () => unknown, type: abstract new (...args: never[]) => Error): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return (error as Error).message;
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`);
}
