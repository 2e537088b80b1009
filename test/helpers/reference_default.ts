/**
 * For spec files that compute in float64 (gradient checks, hand-worked optimizer steps, surfaces,
 * PyTorch's float64 files): float64 is stored by the reference backend only, so such a file runs with
 * the reference backend as its default instead of the WebAssembly one — from the call on (tensors made
 * while the specs are collected included) until the file's specs have run.
 */
import { afterAll } from 'vitest';
import { ReferenceBackend, setBackend } from '../../src/index.js';

export function useReferenceBackend(): void {
  const previous = setBackend(new ReferenceBackend());
  afterAll(() => {
    setBackend(previous);
  });
}
