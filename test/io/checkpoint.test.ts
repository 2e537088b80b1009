/**
 * Checkpoint files: PyTorch's weights (test/fixtures/pytorch_mlp.safetensors, written by
 * test/fixtures/gen/gen_safetensors.py after a few training steps) load into the equivalent descent
 * model and give PyTorch's evaluation-mode outputs; descent's files round-trip exactly; fine-tuning
 * (pre-trained weights, frozen trunk, new head); errors name the file.
 *
 * Tolerance against PyTorch: |descent − torch| ≤ 1e-5 + 1e-5·|torch| (float32, different summation order).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crossEntropy, manualSeed, noGrad, randint, randn, tensor } from '../../src/index.js';
import { loadModel, loadSafetensors, saveModel, saveSafetensors } from '../../src/io/checkpoint.js';
import { BatchNorm1d, Linear, mlp, ReLU, Sequential } from '../../src/nn/index.js';

const dir = mkdtempSync(join(tmpdir(), 'descent-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixturePath = new URL('../fixtures/pytorch_mlp.safetensors', import.meta.url).pathname;
const golden = JSON.parse(readFileSync(new URL('../fixtures/pytorch_mlp.json', import.meta.url), 'utf8')) as {
  keys: string[];
  num_batches_tracked: number;
  input: { shape: number[]; data: number[] };
  output: { shape: number[]; data: number[] };
};

const input = () => tensor(golden.input.data, { shape: golden.input.shape });

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-5, rtol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(atol + rtol * Math.abs(expected[i]!));
  }
}

describe('weights trained in PyTorch', () => {
  it('the file holds PyTorch names, float32 weights and an I64 counter read as int32', () => {
    const { tensors, metadata } = loadSafetensors(fixturePath);
    expect(metadata).toEqual({ format: 'pt' });
    expect([...tensors.keys()]).toEqual(golden.keys);
    const counter = tensors.get('1.num_batches_tracked')!;
    expect(counter.dtype).toBe('int32');
    expect(counter.item()).toBe(golden.num_batches_tracked);
  });

  it("mlp({ sizes: [4, 8, 3], batchNorm: true }) has torch's layout and reproduces its eval output", () => {
    manualSeed(1);
    const model = mlp({ sizes: [4, 8, 3], batchNorm: true });
    expect([...model.stateDict().keys()]).toEqual(golden.keys);
    expect(loadModel(fixturePath, model)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    model.eval();
    const out = noGrad(() => model.call(input()));
    expect(out.shape).toEqual(golden.output.shape);
    expectClose(out.data(), golden.output.data);
    expect(model.stateDict().get('1.num_batches_tracked')!.item()).toBe(golden.num_batches_tracked);
  });

  it('the same with the Sequential written out by hand', () => {
    const model = new Sequential(new Linear(4, 8), new BatchNorm1d(8), new ReLU(), new Linear(8, 3));
    loadModel(fixturePath, model);
    expectClose(noGrad(() => model.eval().call(input())).data(), golden.output.data);
  });
});

describe('descent files', () => {
  it('saveModel → loadModel is exact, buffers included', () => {
    manualSeed(2);
    const a = mlp({ sizes: [4, 8, 3], batchNorm: true });
    a.train();
    noGrad(() => a.call(randn([16, 4]))); // moves the running statistics
    const file = join(dir, 'a.safetensors');
    saveModel(file, a, { epoch: '3' });
    const b = mlp({ sizes: [4, 8, 3], batchNorm: true });
    loadModel(file, b);
    const sa = a.stateDict();
    for (const [k, v] of b.stateDict()) {
      expect(v.dtype).toBe(sa.get(k)!.dtype);
      expect(v.data()).toEqual(sa.get(k)!.data());
    }
    expect(loadSafetensors(file).metadata).toEqual({ format: 'pt', epoch: '3' });
    const x = randn([5, 4]);
    expect(noGrad(() => b.eval().call(x)).data()).toEqual(noGrad(() => a.eval().call(x)).data());
  });

  it('saveSafetensors overwrites an existing file', () => {
    const file = join(dir, 'over.safetensors');
    saveSafetensors(file, { x: tensor([1, 2]) });
    saveSafetensors(file, new Map([['y', tensor([3])]]));
    expect([...loadSafetensors(file).tensors.keys()]).toEqual(['y']);
  });
});

describe('fine-tuning from pre-trained weights', () => {
  it('freeze all but the top layer: only the top layer trains', () => {
    manualSeed(3);
    const model = mlp({ sizes: [4, 8, 3], batchNorm: true });
    loadModel(fixturePath, model);
    model.requiresGrad(false);
    model.getSubmodule('3').requiresGrad(true);
    const before = new Map([...model.stateDict()].map(([k, v]) => [k, v.data().slice()]));
    const trainable = [...model.namedParameters()].filter(([, p]) => p.requiresGrad).map(([k]) => k);
    expect(trainable).toEqual(['3.weight', '3.bias']);
    model.eval(); // keep BN statistics fixed too (a common fine-tuning choice)
    for (let step = 0; step < 3; step++) {
      model.zeroGrad();
      crossEntropy(model.call(randn([8, 4])), randint(0, 3, [8])).backward();
      noGrad(() => {
        for (const p of model.parameters()) if (p.requiresGrad) p.assign(p.sub(p.grad!.mul(0.5)));
      });
    }
    for (const [k, v] of model.stateDict()) {
      if (k.startsWith('3.')) expect(v.data()).not.toEqual(before.get(k));
      else expect(v.data()).toEqual(before.get(k));
    }
    for (const [k, p] of model.namedParameters()) if (!k.startsWith('3.')) expect(p.grad).toBeNull();
  });

  it('a pre-trained trunk under a new head: filter the head out and load non-strictly', () => {
    manualSeed(4);
    const model = mlp({ sizes: [4, 8, 5], batchNorm: true }); // 5 classes instead of 3
    const head = model.stateDict().get('3.weight')!.data().slice();
    expect(() => loadModel(fixturePath, model, { strict: false })).toThrow(
      'size mismatch for 3.weight: the state dict has shape [3, 8], the model has [5, 8]',
    );
    const result = loadModel(fixturePath, model, { strict: false, filter: (k) => !k.startsWith('3.') });
    expect(result).toEqual({ missingKeys: ['3.weight', '3.bias'], unexpectedKeys: [] });
    const trunk = loadSafetensors(fixturePath).tensors.get('0.weight')!;
    expect(model.stateDict().get('0.weight')!.data()).toEqual(trunk.data());
    expect(model.stateDict().get('3.weight')!.data()).toEqual(head); // the new head keeps its initialization
  });
});

describe('checkpoint errors name the file', () => {
  it('a missing file', () => {
    const file = join(dir, 'nope.safetensors');
    expect(() => loadSafetensors(file)).toThrow(`loadSafetensors: cannot read ${file}: ENOENT`);
  });

  it('a truncated file', () => {
    const file = join(dir, 'cut.safetensors');
    writeFileSync(file, readFileSync(fixturePath).subarray(0, 300));
    expect(() => loadModel(file, mlp({ sizes: [4, 8, 3], batchNorm: true }))).toThrow(
      `safetensors: ${file}: the header length`,
    );
    expect(() => loadSafetensors(file)).toThrow('(the file is truncated or not a safetensors file)');
  });

  it('weights of another architecture: every problem listed, nothing copied', () => {
    const model = mlp({ sizes: [4, 6, 3] });
    const before = model.stateDict().get('0.weight')!.data().slice();
    let message = '';
    try {
      loadModel(fixturePath, model);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`loadModel: ${fixturePath}: loadStateDict:`);
    expect(message).toContain('missing keys: 2.weight, 2.bias');
    expect(message).toContain('unexpected keys: 1.weight, 1.bias, 1.running_mean');
    expect(message).toContain(
      'size mismatch for 0.weight: the state dict has shape [8, 4], the model has [6, 4]',
    );
    expect(model.stateDict().get('0.weight')!.data()).toEqual(before);
  });
});
