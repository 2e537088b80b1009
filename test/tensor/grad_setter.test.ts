/**
 * `p.grad = t` (issue 13): the assigned gradient belongs to p from then on, so a scope ending must not
 * release it (it used to, and the next zeroGrad()/step() failed on a released buffer); and the setter
 * refuses what PyTorch refuses (another shape, dtype, or backend; not a tensor), with what to do.
 */
import { describe, expect, it } from 'vitest';
import {
  type Backend,
  Linear,
  ReferenceBackend,
  SGD,
  scope,
  sum,
  tensor,
  withBackend,
} from '../../src/index.js';
import { wasmBackends } from '../backend/wasm_helpers.js';

const reference = new ReferenceBackend();
const builds: { name: string; backend: Backend }[] = [
  { name: 'reference', backend: reference },
  ...wasmBackends.map(({ variant, backend }) => ({ name: `wasm ${variant}`, backend })),
];

describe.each(builds)('assigning .grad on $name', ({ backend }) => {
  it('a replaced or dropped gradient is released with the step: memory stays flat over many steps', () =>
    withBackend(backend, () => {
      const p = tensor(new Float32Array(1000), { requiresGrad: true });
      const layer = new Linear(64, 64);
      const opt = new SGD(layer.parameters(), { lr: 0.01 });
      const x = tensor(new Float32Array(8 * 64).fill(0.5), { shape: [8, 64] });
      const step = () =>
        scope(() => {
          p.grad = tensor(new Float32Array(1000).fill(1));
          p.grad = p.grad.mul(0.5);
          opt.zeroGrad({ setToNone: true });
          sum(layer.call(x)).backward();
          opt.step();
        });
      step();
      const before = backend.bytesInUse();
      for (let i = 0; i < 300; i++) step();
      expect(backend.bytesInUse()).toBe(before);
      expect(p.grad!.data()[0]).toBe(0.5);
    }));

  it('refuses a tensor as its own gradient (backward would change the tensor), as PyTorch does', () =>
    withBackend(backend, () => {
      const p = tensor([1, 2, 3], { requiresGrad: true });
      expect(() => {
        p.grad = p;
      }).toThrow("grad: a tensor cannot be its own gradient (it shares the tensor's memory");
      expect(() => {
        p.grad = p.detach();
      }).toThrow('grad: a tensor cannot be its own gradient');
      expect(p.grad).toBeNull();
    }));

  it('a gradient assigned inside scope() outlives the scope: step() and zeroGrad() still work', () =>
    withBackend(backend, () => {
      const p = tensor([1, 2, 3], { requiresGrad: true });
      const opt = new SGD([p], { lr: 0.5 });
      scope(() => {
        p.grad = tensor([2, 4, 6]);
      });
      expect(Array.from(p.grad!.data())).toEqual([2, 4, 6]);
      opt.step();
      expect(Array.from(p.data())).toEqual([0, 0, 0]);
      opt.zeroGrad();
      expect(Array.from(p.grad!.data())).toEqual([0, 0, 0]);
      // And the next steps accumulate into it as usual.
      scope(() => {
        p.mul(3).sum().backward();
        opt.step();
      });
      expect(Array.from(p.grad!.data())).toEqual([3, 3, 3]);
      expect(Array.from(p.data())).toEqual([-1.5, -1.5, -1.5]);
    }));

  it('a gradient that backward replaces inside a scope (a strided .grad) outlives it', () =>
    withBackend(backend, () => {
      const p = tensor([1, 2, 3, 4], { shape: [2, 2], requiresGrad: true });
      // A transposed view cannot be added into in place: backward makes a new gradient tensor.
      p.grad = tensor([1, 0, 5, 1], { shape: [2, 2] }).transpose(0, 1);
      scope(() => {
        p.mul(2).sum().backward();
      });
      expect(Array.from(p.grad!.data())).toEqual([3, 7, 2, 3]);
    }));

  it('null drops the gradient', () =>
    withBackend(backend, () => {
      const p = tensor([1, 2], { requiresGrad: true });
      p.grad = tensor([1, 1]);
      p.grad = null;
      expect(p.grad).toBeNull();
    }));

  it('refuses a gradient of another shape, naming both shapes', () =>
    withBackend(backend, () => {
      const p = tensor([1, 2], { requiresGrad: true });
      expect(() => {
        p.grad = tensor([1, 2, 3]);
      }).toThrow(
        'grad: the assigned gradient has shape [3] but the tensor has shape [2]; they must be equal',
      );
      expect(p.grad).toBeNull();
    }));

  it('refuses a gradient of another dtype, saying how to cast it', () =>
    withBackend(backend, () => {
      const p = tensor([1, 2], { requiresGrad: true });
      expect(() => {
        p.grad = tensor([1, 2], { dtype: 'int32' });
      }).toThrow(
        "grad: the assigned gradient is int32 but the tensor is float32; cast it first (e.g. g.cast('float32'))",
      );
    }));

  it('refuses what is not a tensor', () =>
    withBackend(backend, () => {
      const p = tensor([1, 2], { requiresGrad: true });
      expect(() => {
        (p as unknown as { grad: unknown }).grad = [1, 2];
      }).toThrow('grad: expected a Tensor or null, got an array');
      expect(() => {
        (p as unknown as { grad: unknown }).grad = undefined;
      }).toThrow('grad: expected a Tensor or null, got undefined');
    }));

  it('refuses a gradient whose memory was already released', () =>
    withBackend(backend, () => {
      const p = tensor([1, 2], { requiresGrad: true });
      const g = tensor([1, 1]);
      g.dispose();
      expect(() => {
        p.grad = g;
      }).toThrow(
        "grad: the assigned gradient's memory was already released (its scope ended or it was disposed); assign it inside the scope that made it, or keep() it",
      );
    }));
});

describe.skipIf(wasmBackends.length === 0)('assigning .grad across backends', () => {
  it('refuses a gradient from another backend, naming both', () => {
    const p = withBackend(wasmBackends[0]!.backend, () => tensor([1, 2], { requiresGrad: true }));
    const g = withBackend(reference, () => tensor([1, 1]));
    expect(() => {
      p.grad = g;
    }).toThrow(
      'grad: the assigned gradient is on the reference backend but the tensor is on wasm; create it on the same backend',
    );
  });
});
