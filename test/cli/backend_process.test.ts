/**
 * `--backend` in real `descent` processes (the CLI bundled, the WebGPU worker beside it as dist/ has
 * it): a WebGPU run exits by itself when done (the worker keeps nothing alive), and in a process whose
 * Dawn reaches no Vulkan driver `--backend webgpu` exits 2 with the adapter's explanation while
 * `--backend auto` trains on wasm after one line saying so. SwiftShader stands in for a GPU (Linux).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testWebGpuBackend, webgpuSkipReason } from '../helpers/webgpu_device.js';
import { bundleCli, runChild } from './cli_process.js';

const gpu = await testWebGpuBackend();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-cli-backend-process-'));
let cli: string;
beforeAll(async () => {
  cli = await bundleCli();
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(cli, { force: true });
});

/**
 * A run of a few milliseconds of arithmetic and few kernels (each shader compiles once, slowly on
 * SwiftShader): 32 spirals samples, one epoch, an 8-unit ReLU layer, no batch norm, no validation pass.
 */
const tiny = [
  ...['--data', 'spirals', '--train-size', '32', '--hidden', '8', '--activation', 'relu', '--no-batch-norm'],
  ...['--validation', '0', '--batch-size', '16', '--epochs', '1'],
];

/** Dawn's Vulkan loader pointed at a driver list that does not exist: no adapter, as without a GPU. */
const NO_DRIVER = { VK_ICD_FILENAMES: path.join(tmp, 'no-such-driver.json'), LD_LIBRARY_PATH: '' };

describe('descent processes', () => {
  it.skipIf(!gpu)(`train --backend webgpu finishes and exits by itself (${webgpuSkipReason})`, async () => {
    const out = path.join(tmp, 'webgpu');
    const run = await runChild({
      script: cli,
      args: ['train', ...tiny, '--backend', 'webgpu', '--json', '--out', out],
      timeoutMs: 120_000,
    });
    expect(run.stderr).toBe('');
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    const final = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
    expect(final.status).toBe('completed');
    expect(final.testLoss as number).toBeGreaterThan(0);
    for (const file of [
      'config.json',
      'metrics.jsonl',
      'model.safetensors',
      'state.safetensors',
      'report.html',
    ]) {
      expect(fs.existsSync(path.join(out, file)), file).toBe(true);
    }
    // summary.json: the final line, and where the run's arithmetic ran.
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary).toEqual({ ...final, backend: 'webgpu', adapter: gpu!.adapterName });
  });

  it.skipIf(process.platform !== 'linux')(
    'without a GPU driver, --backend webgpu exits 2 naming what was tried (Linux: Vulkan only)',
    async () => {
      const run = await runChild({ script: cli, args: ['info', '--backend', 'webgpu'], env: NO_DRIVER });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /^error: --backend webgpu: WebGPU is not available: the `webgpu` package \(Dawn\) loaded but found no adapter/m,
      );
      expect(run.stderr).toContain('VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json');
    },
  );

  it.skipIf(process.platform !== 'linux')(
    'without a GPU driver, --backend auto trains on wasm after one line saying so (Linux: Vulkan only)',
    async () => {
      const out = path.join(tmp, 'auto');
      const run = await runChild({
        script: cli,
        args: ['train', ...tiny, '--backend', 'auto', '--json', '--out', out],
        env: NO_DRIVER,
      });
      expect(run.code).toBe(0);
      const notes = run.stderr.split('\n').filter((line) => line.startsWith('backend auto:'));
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(/^backend auto: using wasm, no WebGPU device \(WebGPU is not available: /);
      expect(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).backend).toBe('wasm');
    },
  );
});
