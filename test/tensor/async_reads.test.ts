/**
 * Async reads (`dataAsync`, `toArrayAsync`, `itemAsync`) on every backend, and the sync forms' errors
 * on a backend that reads only asynchronously (a GPU), each naming its own async form.
 */
import { describe, expect, it } from 'vitest';
import { tensor, withBackend } from '../../src/index.js';
import { backends } from '../backends.js';
import { asyncOnlyBackend } from '../helpers/async_only_backend.js';
import { messageOf } from '../helpers/thrown.js';

const all = [...backends, { name: 'async-only', backend: asyncOnlyBackend() }];

describe.each(all)('async reads on the $name backend', ({ backend }) => {
  const make = () =>
    withBackend(backend, () =>
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );

  it('dataAsync gives the elements in row-major order', async () => {
    expect(Array.from(await make().dataAsync())).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('dataAsync of a transposed view gives the view, not the buffer, and leaks no copy', async () => {
    const t = make();
    const before = backend.bytesInUse();
    expect(Array.from(await t.t().dataAsync())).toEqual([1, 4, 2, 5, 3, 6]);
    expect(backend.bytesInUse()).toBe(before);
  });

  it('toArrayAsync nests by the shape, and gives a number for a 0-d tensor', async () => {
    const t = make();
    expect(await t.toArrayAsync()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(await withBackend(backend, () => tensor(7)).toArrayAsync()).toBe(7);
  });

  it('itemAsync reads a single element, also of a view into a larger buffer', async () => {
    expect(await make().index(1, 2).itemAsync()).toBe(6);
  });

  it('itemAsync refuses a tensor of several elements, naming itself and the shape', async () => {
    await expect(make().itemAsync()).rejects.toThrow(
      'itemAsync: only a single-element tensor can be converted to a number, this one has shape [2, 3]',
    );
  });

  it('a read sees every kernel queued before it', async () => {
    const t = make();
    const pending = t.add(1).sum().itemAsync();
    t.assign(0); // after the read was asked for: must not change what it reads
    expect(await pending).toBe(27);
  });
});

describe('sync reads on a backend that reads only asynchronously', () => {
  const backend = asyncOnlyBackend('gpu-like');
  const t = withBackend(backend, () => tensor([1, 2, 3]));

  it.each([
    ['data', () => t.data()],
    ['toArray', () => t.toArray()],
    ['item', () => t.index(0).item()],
  ] as const)('%s() throws an error naming its async form', (method, read) => {
    expect(messageOf(read, Error)).toBe(
      `Tensor.${method}(): the gpu-like backend reads only asynchronously; use await tensor.${method}Async()`,
    );
  });

  it('printing a tensor does not throw: it says how to see the values', () => {
    expect(String(t)).toBe('tensor(<on gpu-like: await t.toArrayAsync()>, shape=[3], dtype=float32)');
  });

  it('the sync forms keep working on a backend that reads synchronously', () => {
    const ref = tensor([1.5, 2]);
    expect([ref.toArray(), ref.index(1).item()]).toEqual([[1.5, 2], 2]);
  });
});
