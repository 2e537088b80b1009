/**
 * Deterministic memory: scopes release what they allocate, keep what they return, and a training
 * loop run step by step in scopes keeps the backend's memory flat. Test bodies are synchronous, so
 * the FinalizationRegistry safety net cannot run in the middle of a measurement.
 */
import { describe, expect, it } from 'vitest';
import {
  Generator,
  keep,
  matmul,
  noGrad,
  ones,
  randn,
  scope,
  type Tensor,
  tensor,
  withBackend,
  zeros,
} from '../../src/index.js';
import { backends } from '../backends.js';

describe.each(backends)('memory on $name', ({ backend }) => {
  const on = <T>(fn: () => T): T => withBackend(backend, fn);
  const bytes = (): number => backend.bytesInUse();

  it('scope releases everything fn allocated when nothing is returned', () =>
    on(() => {
      const before = bytes();
      let inside = 0;
      scope(() => {
        const a = ones([100]);
        const b = a.mul(2).add(1).exp();
        b.sum();
        inside = bytes();
      });
      expect(inside).toBeGreaterThan(before);
      expect(bytes()).toBe(before);
    }));

  it('the returned tensor stays alive and usable; the rest is released', () =>
    on(() => {
      const before = bytes();
      let temp: Tensor | null = null;
      const out = scope(() => {
        temp = ones([50]).mul(3);
        return temp.add(1);
      });
      expect(bytes()).toBe(before + 50 * 4);
      expect(out.toArray()).toEqual(new Array(50).fill(4));
      expect(scope(() => out.mul(2).sum().item())).toBe(400);
      expect(temp!.storage.released).toBe(true);
      out.dispose();
      expect(bytes()).toBe(before);
    }));

  it('arrays, plain objects and Maps of tensors are kept, and so are views', () =>
    on(() => {
      const before = bytes();
      // A second dtype in the pair: float64 where the backend has it (8 bytes), else int32.
      const wide = backend.supports('float64') ? 'float64' : 'int32';
      const wideBytes = wide === 'float64' ? 8 : 4;
      const result = scope(() => {
        const a = ones([2, 3]);
        const b = zeros([4], { dtype: wide });
        const c = ones([5]).mul(2);
        const d = ones([6]).index('1:3'); // a view: its whole storage is kept
        const scratch = ones([1000]);
        scratch.sum();
        return { pair: [a, b], nested: { c }, map: new Map([['d', d]]) };
      });
      expect(bytes()).toBe(before + 6 * 4 + 4 * wideBytes + 5 * 4 + 6 * 4);
      expect(result.pair[0]!.toArray()).toEqual([
        [1, 1, 1],
        [1, 1, 1],
      ]);
      expect(result.pair[1]!.dtype).toBe(wide);
      expect(result.nested.c.toArray()).toEqual([2, 2, 2, 2, 2]);
      expect(result.map.get('d')!.toArray()).toEqual([1, 1]);
      for (const t of [...result.pair, result.nested.c, result.map.get('d')!]) t.dispose();
      expect(bytes()).toBe(before);
    }));

  it('keep(t) survives the scope (single tensors and arrays)', () =>
    on(() => {
      const before = bytes();
      let kept: Tensor | null = null;
      let keptPair: Tensor[] = [];
      let dropped: Tensor | null = null;
      const returned = scope(() => {
        kept = keep(ones([10]).mul(5));
        keptPair = keep([zeros([3]), ones([2])]);
        dropped = ones([7]);
        return 42;
      });
      expect(returned).toBe(42);
      expect(kept!.toArray()).toEqual(new Array(10).fill(5));
      expect(keptPair.map((t) => t.size)).toEqual([3, 2]);
      expect(dropped!.storage.released).toBe(true);
      expect(bytes()).toBe(before + (10 + 3 + 2) * 4);
      kept!.dispose();
      for (const t of keptPair) t.dispose();
      expect(bytes()).toBe(before);
    }));

  it('keep inside a nested scope outlives the outer scope too', () =>
    on(() => {
      const before = bytes();
      let kept: Tensor | null = null;
      scope(() => {
        scope(() => {
          kept = keep(ones([4]));
        });
        ones([8]);
      });
      expect(kept!.storage.released).toBe(false);
      expect(bytes()).toBe(before + 16);
      kept!.dispose();
      expect(bytes()).toBe(before);
    }));

  it('using a released tensor throws a message that says so', () =>
    on(() => {
      let leaked: Tensor | null = null;
      scope(() => {
        leaked = ones([2, 2]).mul(2);
      });
      const t = leaked!;
      expect(t.storage.released).toBe(true);
      const message =
        'tensor of shape [2, 2] was used after its memory was released (its scope ended or it was disposed); return it from the scope or call keep() on it';
      expect(() => t.toArray()).toThrow(message);
      expect(() => t.add(1)).toThrow(/released/);
      expect(() => t.sum()).toThrow(/released/);
      expect(() => t.assign(0)).toThrow(/released/);
      expect(t.toString()).toBe('tensor(<released>, shape=[2, 2])');

      const d = ones([3]);
      const v = d.index('1:');
      d.dispose();
      expect(() => d.data()).toThrow(/released/);
      expect(() => v.toArray()).toThrow(/tensor of shape \[2\] was used after its memory was released/);
      d.dispose(); // a second dispose is harmless
    }));

  it('nested scopes hand their results to the parent scope', () =>
    on(() => {
      const before = bytes();
      let inner: Tensor | null = null;
      scope(() => {
        inner = scope(() => ones([16]).add(1));
        expect(inner.storage.released).toBe(false);
        expect(inner.toArray()).toEqual(new Array(16).fill(2));
        // The outer scope does not return it, so it goes when the outer scope ends.
      });
      expect(inner!.storage.released).toBe(true);
      expect(bytes()).toBe(before);

      const outer = scope(() => {
        const x = scope(() => scope(() => ones([3]).mul(7)));
        return x.add(x);
      });
      expect(outer.toArray()).toEqual([14, 14, 14]);
      expect(bytes()).toBe(before + 12);
      outer.dispose();

      // Returned through every level: still alive at the top.
      const deep = scope(() => scope(() => scope(() => ones([5]))));
      expect(scope(() => deep.sum().item())).toBe(5);
      deep.dispose();
      expect(bytes()).toBe(before);
    }));

  it('a scope that throws releases its allocations and rethrows', () =>
    on(() => {
      const before = bytes();
      let leaked: Tensor | null = null;
      expect(() =>
        scope(() => {
          leaked = ones([100]).mul(2);
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(leaked!.storage.released).toBe(true);
      expect(bytes()).toBe(before);

      // An inner throw caught by the outer scope leaves the outer scope working.
      const out = scope(() => {
        try {
          scope(() => {
            ones([10]);
            throw new RangeError('inner');
          });
        } catch {
          // ignored
        }
        return ones([2]);
      });
      expect(out.toArray()).toEqual([1, 1]);
      out.dispose();
      expect(bytes()).toBe(before);
    }));

  it('tensors created outside any scope are not touched by a scope', () =>
    on(() => {
      const outside = ones([3]);
      scope(() => outside.mul(2));
      scope(() => {
        outside.add(1);
      });
      expect(outside.storage.released).toBe(false);
      expect(outside.toArray()).toEqual([1, 1, 1]);
      outside.dispose();
    }));

  // 1000 steps, each reading its loss; 100 on WebGPU, whose suite entry runs on a CPU emulation of a
  // GPU (SwiftShader) at about 20 ms a step: the flat line shows as well in 100 steps there.
  const loopSteps = backend.name === 'webgpu' ? 100 : 1000;
  it(`a ${loopSteps}-step training loop in scopes keeps bytesInUse flat after the first step`, () =>
    on(() => {
      const g = new Generator(0);
      const x = randn([8, 5], { generator: g });
      const y = randn([8, 3], { generator: g });
      const w = randn([5, 3], { generator: g, requiresGrad: true });
      const b = zeros([3], { requiresGrad: true });
      const params = [w, b];
      const step = (): number =>
        scope(() => {
          const pred = matmul(x, w).add(b);
          const loss = pred.sub(y).square().mean();
          loss.backward();
          for (const p of params) p.assign(p.sub(p.grad!.mul(0.1)));
          for (const p of params) p.zeroGrad();
          return loss.item();
        });

      const before = bytes();
      const first = step();
      const afterFirst = bytes();
      // Only the two gradient buffers outlive the first step.
      expect(afterFirst).toBe(before + (5 * 3 + 3) * 4);
      const gradStorages = params.map((p) => p.grad!.storage);
      let last = first;
      let drift = 0;
      for (let i = 1; i < loopSteps; i++) {
        last = step();
        if (bytes() !== afterFirst) drift++;
      }
      expect(drift).toBe(0);
      expect(bytes()).toBe(afterFirst);
      // The leaf gradients are the same buffers, updated in place, and still usable.
      params.forEach((p, i) => {
        expect(p.grad!.storage).toBe(gradStorages[i]);
        expect(p.grad!.storage.released).toBe(false);
        expect(Array.from(p.grad!.data()).every((v) => v === 0)).toBe(true);
      });
      // And it trained.
      expect(last).toBeLessThan(first);
    }));

  it('leaf .grad survives the scope, accumulates in place, and holds the right values', () =>
    on(() => {
      const p = tensor([1, 2, 3], { requiresGrad: true });
      scope(() => {
        p.mul(p).sum().backward(); // d/dp Σp² = 2p
      });
      const g = p.grad!;
      expect(g.toArray()).toEqual([2, 4, 6]);
      scope(() => {
        p.mul(3).sum().backward(); // accumulates + 3
      });
      expect(p.grad).toBe(g);
      expect(g.toArray()).toEqual([5, 7, 9]);
      p.zeroGrad();
      expect(p.grad).toBe(g);
      expect(g.toArray()).toEqual([0, 0, 0]);
      p.zeroGrad({ setToNone: true });
      expect(p.grad).toBeNull();
    }));

  it('the same update inside noGrad also leaves memory flat, and gives the expected values', () =>
    on(() => {
      const p = ones([4, 4], { requiresGrad: true });
      const target = zeros([4, 4]);
      const step = (): void =>
        scope(() => {
          p.sub(target).square().sum().backward();
          noGrad(() => p.assign(p.sub(p.grad!.mul(0.1))));
          p.zeroGrad();
        });
      step();
      const flat = bytes();
      for (let i = 0; i < 200; i++) step();
      expect(bytes()).toBe(flat);
      // p ← p − 0.1·2p = 0.8p each step, 201 steps.
      expect(p.data()[0]).toBeCloseTo(0.8 ** 201, 10);
      expect(p.requiresGrad).toBe(true);
      expect(p.isLeaf).toBe(true);
    }));
});
