/**
 * Copy elision rewrites a recording only where the values stay the same: a temporary copied whole
 * into G is computed in G, unless G is used meanwhile, the temporary is read after the copy, the copy
 * is partial, or the source is not the recording's own temporary.
 */
import { describe, expect, it } from 'vitest';
import type { BufferHandle, View } from '../../src/backend/backend.js';
import { elideCopies } from '../../src/capture/elide_copies.js';
import type { RecordedCall } from '../../src/capture/tracer.js';

const buffer = (length = 4): BufferHandle => ({ dtype: 'float32', length });
const whole = (b: BufferHandle): View => ({ buffer: b, shape: [b.length], strides: [1], offset: 0 });
const noop = () => undefined;
const call = (name: string, ...args: unknown[]): RecordedCall => ({ name, fn: noop, self: null, args });

describe('elideCopies', () => {
  const x = buffer();
  const y = buffer();
  const t = buffer();
  const g = buffer();
  const z = buffer();

  it('computes a temporary copied whole into G in G, and drops the copy', () => {
    const calls = [
      call('unary', { op: 'exp' }, whole(x), t),
      call('binary', 'mul', whole(t), whole(y), z),
      call('copy', whole(t), whole(g)),
    ];
    const out = elideCopies(calls, new Map([[t, [0]]]), new Set([t]));
    expect(out).toEqual([
      call('unary', { op: 'exp' }, whole(x), g),
      call('binary', 'mul', whole(g), whole(y), z),
    ]);
  });

  it('keeps the copy when G is used before it, or the temporary after it', () => {
    const gUsed = [
      call('unary', { op: 'exp' }, whole(x), t),
      call('binary', 'add', whole(g), whole(y), z),
      call('copy', whole(t), whole(g)),
    ];
    expect(elideCopies(gUsed, new Map([[t, [0]]]), new Set([t]))).toEqual(gUsed);
    const tRead = [
      call('unary', { op: 'exp' }, whole(x), t),
      call('copy', whole(t), whole(g)),
      call('unary', { op: 'neg' }, whole(t), z),
    ];
    expect(elideCopies(tRead, new Map([[t, [0]]]), new Set([t]))).toEqual(tRead);
  });

  it('keeps the copy when a host check runs in between (it could read G or the temporary)', () => {
    const calls = [
      call('unary', { op: 'exp' }, whole(x), t),
      call('hostCheck'),
      call('copy', whole(t), whole(g)),
    ];
    expect(elideCopies(calls, new Map([[t, [0]]]), new Set([t]))).toEqual(calls);
  });

  it('elides once the temporary is reallocated: its use after that is another life', () => {
    const calls = [
      call('unary', { op: 'exp' }, whole(x), t),
      call('copy', whole(t), whole(g)),
      call('unary', { op: 'neg' }, whole(y), t),
    ];
    expect(elideCopies(calls, new Map([[t, [0, 2]]]), new Set([t]))).toEqual([
      call('unary', { op: 'exp' }, whole(x), g),
      call('unary', { op: 'neg' }, whole(y), t),
    ]);
  });

  it('keeps partial copies, copies of what the recording does not own, and temporaries born outside the trace', () => {
    const partial = [
      call('unary', { op: 'exp' }, whole(x), t),
      call('copy', { ...whole(t), shape: [2], offset: 2 }, { ...whole(g), shape: [2] }),
    ];
    expect(elideCopies(partial, new Map([[t, [0]]]), new Set([t]))).toEqual(partial);
    const external = [call('unary', { op: 'exp' }, whole(x), t), call('copy', whole(t), whole(g))];
    expect(elideCopies(external, new Map([[t, [0]]]), new Set())).toEqual(external);
    expect(elideCopies(external, new Map(), new Set([t]))).toEqual(external);
  });
});
