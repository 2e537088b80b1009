/**
 * serializeSafetensorsAsync: the bytes serializeSafetensors writes, read through dataAsync, so that a
 * model on a backend without synchronous reads (a GPU) can be saved.
 */
import { describe, expect, it } from 'vitest';
import {
  ReferenceBackend,
  serializeSafetensors,
  serializeSafetensorsAsync,
  tensor,
  withBackend,
} from '../../src/index.js';
import { asyncOnlyBackend } from '../helpers/async_only_backend.js';

function tensorsOn(backend: ReferenceBackend | ReturnType<typeof asyncOnlyBackend>) {
  return withBackend(backend, () => ({
    weight: tensor([
      [1.5, -2, 3],
      [4, 5.25, -6],
    ]).t(), // a transposed view: written in its own row-major order
    steps: tensor([7, 8], { dtype: 'int32' }),
  }));
}

describe('serializeSafetensorsAsync', () => {
  it('writes the bytes serializeSafetensors writes, also from a backend that reads only asynchronously', async () => {
    const expected = serializeSafetensors(tensorsOn(new ReferenceBackend()), { epoch: '3' });
    const backend = asyncOnlyBackend();
    const bytes = await serializeSafetensorsAsync(tensorsOn(backend), { epoch: '3' });
    expect(backend.reads).toBe(2);
    expect(Array.from(bytes)).toEqual(Array.from(expected));
  });

  it('the sync form there throws the error that names the async read', () => {
    expect(() => serializeSafetensors(tensorsOn(asyncOnlyBackend('gpu-like')))).toThrow(
      'Tensor.data(): the gpu-like backend reads only asynchronously; use await tensor.dataAsync()',
    );
  });
});
