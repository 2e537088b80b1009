/**
 * The CLI on a machine without a WebGPU adapter, whatever this one has: the blocking backend is
 * replaced by one that fails as it does there (the adapter's WebGpuUnavailableError, rebuilt by name
 * after crossing the worker thread). `--backend webgpu` is then bad input (exit 2, the adapter's
 * message); `--backend auto` runs on wasm and says so in one line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from './run_cli.js';

const NO_ADAPTER =
  'WebGPU is not available: the `webgpu` package (Dawn) loaded but found no adapter (no Vulkan, Metal or D3D12 GPU driver it could use)';

vi.mock('../../src/backend/webgpu/node/blocking_backend.js', () => ({
  createBlockingWebGpuBackend: async () => {
    const error = new Error(NO_ADAPTER);
    Object.defineProperty(error, 'name', { value: 'WebGpuUnavailableError' });
    throw error;
  },
}));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-cli-no-gpu-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
});

const tiny = [
  '--data',
  'spirals',
  '--train-size',
  '32',
  '--hidden',
  '8',
  '--batch-size',
  '16',
  '--epochs',
  '1',
];
const FALLBACK = `backend auto: using wasm, no WebGPU device (${NO_ADAPTER})\n`;

describe('without a WebGPU adapter', () => {
  it('--backend webgpu is bad input naming the flag and the adapter’s explanation, and makes no run directory', async () => {
    const out = path.join(tmp, 'webgpu');
    const r = await runCli(['train', ...tiny, '--backend', 'webgpu', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: --backend webgpu: ${NO_ADAPTER}\n`);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('DESCENT_BACKEND=webgpu is named as the request that failed', async () => {
    vi.stubEnv('DESCENT_BACKEND', 'webgpu');
    const r = await runCli(['info']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: DESCENT_BACKEND=webgpu: ${NO_ADAPTER}\n`);
  });

  it('--backend auto trains on wasm, says so in one line on stderr, and records wasm in the summary', async () => {
    const out = path.join(tmp, 'auto');
    const r = await runCli(['train', ...tiny, '--backend', 'auto', '--json', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(FALLBACK);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.backend).toBe('wasm');
    expect(summary.adapter).toBeUndefined();
    // The run asked for auto: a resume asks again, and may find a GPU then.
    expect(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')).backend).toBe('auto');
  });

  it('info --backend auto names the backend auto resolved to', async () => {
    const r = await runCli(['info', '--backend', 'auto']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('backend: wasm\n');
    expect(r.stderr).toBe(FALLBACK);
  });
});
