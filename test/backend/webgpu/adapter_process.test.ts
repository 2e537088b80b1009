/**
 * The real no-adapter path: a Node process whose Dawn can reach no Vulkan driver (the loader's driver
 * list pointed at a file that does not exist, the library path emptied) asks for a device and gets the
 * message naming the `webgpu` package and the SwiftShader variables. A child process, since Dawn reads
 * these variables when the process starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleScript, runChild } from '../../cli/cli_process.js';

const dir = path.join(process.cwd(), 'node_modules', '.descent-test');
const script = path.join(dir, `adapter-probe-${process.pid}-${Date.now().toString(36)}.mjs`);
afterAll(() => fs.rmSync(script, { force: true }));

describe('requestWebGpuDevice in a process without a GPU driver', () => {
  // Elsewhere Dawn reaches Metal or D3D12, which these variables do not switch off.
  it.skipIf(process.platform !== 'linux')(
    'rejects with the message naming the webgpu package and SwiftShader (Linux: Vulkan only)',
    async () => {
      fs.mkdirSync(dir, { recursive: true });
      await bundleScript(
        `import { requestWebGpuDevice } from './src/backend/webgpu/adapter.ts';
       requestWebGpuDevice().then(
         ({ adapterName }) => console.log(JSON.stringify({ adapterName })),
         (error) => console.log(JSON.stringify({ name: error.name, message: error.message })),
       );`,
        script,
      );
      const run = await runChild({
        script,
        args: [],
        env: { VK_ICD_FILENAMES: path.join(dir, 'no-such-driver.json'), LD_LIBRARY_PATH: '' },
        timeoutMs: 60_000,
      });
      expect(run.code).toBe(0);
      const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as { name?: string; message?: string };
      expect(result.name).toBe('WebGpuUnavailableError');
      expect(result.message).toMatch(
        /^WebGPU is not available: the `webgpu` package \(Dawn\) loaded but found no adapter/,
      );
      expect(result.message).toContain('VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json');
    },
  );
});
