/**
 * A GPU device lost in the middle of a command (driver reset, device removed) ends it with exit 2 and
 * the device's one-line explanation, not a bug report: the environment failed, not descent. The
 * blocking backend is replaced by the reference backend whose reads fail as a lost device's do (the
 * error rebuilt by name after crossing the worker thread).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from './run_cli.js';

const LOST =
  'webgpu worker: read failed: the WebGPU device (Test GPU) was lost: the driver was reset; its tensors are gone. Start again with a new backend (initWebGpuBackend), or use the wasm backend';

vi.mock('../../src/backend/webgpu/node/blocking_backend.js', async () => {
  const { ReferenceBackend } = await import('../../src/backend/reference/reference_backend.js');
  const lost = () => {
    const error = new Error(LOST);
    Object.defineProperty(error, 'name', { value: 'WebGpuDeviceLostError' });
    return error;
  };
  // Kernels queue fine; the loss is found at the first read, as on a GPU.
  class LosingBackend extends ReferenceBackend {
    readonly adapterName = 'Test GPU';
    destroy(): void {}
    override read(): never {
      throw lost();
    }
    override readAsync(): Promise<never> {
      return Promise.reject(lost());
    }
  }
  return { createBlockingWebGpuBackend: async () => new LosingBackend() };
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-cli-lost-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('a lost GPU device', () => {
  it('ends train with exit 2 and the device’s explanation on one line', async () => {
    const r = await runCli([
      ...['train', '--data', 'spirals', '--train-size', '32', '--hidden', '8', '--epochs', '1'],
      ...['--backend', 'webgpu', '--out', path.join(tmp, 'run')],
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*the WebGPU device \(Test GPU\) was lost: the driver was reset; /);
    expect(r.stderr).not.toContain('this is a bug');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
