/**
 * `--backend` on the CLI: the names it accepts, `--threads` refused where no wasm threads run,
 * DESCENT_BACKEND honoured, and `descent info` naming the backend and adapter (SwiftShader on a
 * machine without a GPU; required under CI=true through the shared test backend's rule).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { getBackend } from '../../src/backend/registry.js';
import { testWebGpuBackend, webgpuSkipReason } from '../helpers/webgpu_device.js';
import { runCli } from './run_cli.js';

const gpu = await testWebGpuBackend();

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-cli-backend-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
});

/**
 * A run of a few milliseconds of arithmetic and few kernels (each shader compiles once, slowly on
 * SwiftShader): 32 spirals samples, one epoch, an 8-unit ReLU layer, no batch norm, no validation pass.
 */
const tiny = [
  ...['--data', 'spirals', '--train-size', '32', '--hidden', '8', '--activation', 'relu', '--no-batch-norm'],
  ...['--validation', '0', '--batch-size', '16', '--epochs', '1'],
];

describe('--backend', () => {
  it('refuses an unknown name, listing reference, wasm, webgpu and auto', async () => {
    for (const command of [
      ['train'],
      ['eval', '--run', tmp],
      ['lr-find'],
      ['info'],
      ['experiment', 'init'],
    ]) {
      const r = await runCli([...command, '--backend', 'cuda']);
      expect(r.code, command.join(' ')).toBe(2);
      expect(r.stderr, command.join(' ')).toContain("'cuda' is not one of: reference, wasm, webgpu, auto.");
    }
    const surface = await runCli([
      ...['surface', '--fn', 'quadratic', '--optimizer', 'sgd', '--from', '1,1', '--steps', '1'],
      ...['--backend', 'cuda'],
    ]);
    expect(surface.code).toBe(2);
    expect(surface.stderr).toContain("'cuda' is not one of: reference, wasm, webgpu, auto.");
  });

  it('refuses --threads with webgpu, which runs no wasm threads, before acquiring a GPU', async () => {
    const train = await runCli(['train', ...tiny, '--backend', 'webgpu', '--threads', '2']);
    expect(train.code).toBe(2);
    expect(train.stderr).toContain(
      "--threads sets the WebAssembly backend's threads; --backend webgpu would ignore it",
    );
    const experiment = await runCli(['experiment', 'init', '--backend', 'webgpu', '--threads', '2']);
    expect(experiment.code).toBe(2);
    expect(experiment.stderr).toContain('--backend webgpu would ignore it');
    vi.stubEnv('DESCENT_BACKEND', 'webgpu');
    const fromEnvironment = await runCli(['train', ...tiny, '--threads', '2', '--out', path.join(tmp, 'no')]);
    expect(fromEnvironment.code).toBe(2);
    expect(fromEnvironment.stderr).toContain(
      "--threads sets the WebAssembly backend's threads; DESCENT_BACKEND=webgpu would ignore it",
    );
    expect(fs.existsSync(path.join(tmp, 'no'))).toBe(false);
  });

  it('refuses a DESCENT_BACKEND that names no backend as bad input', async () => {
    vi.stubEnv('DESCENT_BACKEND', 'gpu');
    const r = await runCli(['info']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'DESCENT_BACKEND=gpu is not a backend; accepted: reference, wasm, webgpu, auto',
    );
  });
});

describe('on WebGPU', () => {
  it.skipIf(!gpu)(`info names the backend and its adapter (${webgpuSkipReason})`, async () => {
    const text = await runCli(['info', '--backend', 'webgpu']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`backend: webgpu (${gpu!.adapterName})`);
    const json = await runCli(['info', '--json', '--backend', 'auto']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ backend: 'webgpu', adapter: gpu!.adapterName });
    expect(json.stderr).toBe('');
    // The command's GPU ends with it: the process default is the CPU backend again.
    expect(getBackend().name).not.toBe('webgpu');
  });

  it.skipIf(!gpu)(`DESCENT_BACKEND=webgpu is honoured by the CLI (${webgpuSkipReason})`, async () => {
    vi.stubEnv('DESCENT_BACKEND', 'webgpu');
    const r = await runCli(['info', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ backend: 'webgpu', adapter: gpu!.adapterName });
  });

  // train --backend webgpu end to end: test/cli/backend_process.test.ts, in a real process.
});
