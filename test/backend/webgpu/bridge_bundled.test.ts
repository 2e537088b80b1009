/**
 * The blocking WebGPU backend outside the source tree: a program bundled with the library (as dist/
 * or a bundled CLI is) runs the compiled worker shipped beside it, and exits when its work is done
 * although it never destroyed the backend (the worker is unref'd). Without the worker beside it, the
 * error says what is missing. Each case runs a real Node process.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testWebGpuBackend, webgpuSkipReason } from '../../helpers/webgpu_device.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = join(root, 'node_modules', '.cache', `descent-bridge-test-${process.pid}`);
const available = (await testWebGpuBackend()) !== null;

const DRIVER = `
import { createBlockingWebGpuBackend } from './src/backend/webgpu/node/blocking_backend.ts';
const backend = await createBlockingWebGpuBackend();
const b = backend.allocate('float32', 3);
backend.write(b, new Float32Array([1.5, 2, -3]));
backend.fill(backend.allocate('int32', 2), 4);
console.log(JSON.stringify(Array.from(backend.read(b))));
// No destroy(): the worker must not keep this process alive.
`;

async function bundle(entry: { contents: string } | string, outfile: string): Promise<void> {
  await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, resolveDir: root, loader: 'ts' } }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    external: ['webgpu'],
  });
}

function run(script: string) {
  return spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

describe.skipIf(!available)(
  `a bundled program on the blocking backend${available ? '' : ` (skipped: ${webgpuSkipReason})`}`,
  () => {
    beforeAll(() => mkdirSync(dir, { recursive: true }));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('runs the worker shipped beside it and exits without destroy()', async () => {
      const sub = join(dir, 'with-worker');
      await bundle({ contents: DRIVER }, join(sub, 'driver.mjs'));
      await bundle(join(root, 'src/backend/webgpu/node/bridge_worker.ts'), join(sub, 'bridge_worker.mjs'));
      const result = run(join(sub, 'driver.mjs'));
      expect(result.stderr).toBe('');
      expect(result.signal).toBeNull();
      expect(result.status).toBe(0);
      expect(result.stdout.trim()).toBe('[1.5,2,-3]');
    });

    it('says which worker program is missing when none was shipped', async () => {
      const sub = join(dir, 'without-worker');
      await bundle({ contents: DRIVER }, join(sub, 'driver.mjs'));
      const result = run(join(sub, 'driver.mjs'));
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        `webgpu: the blocking backend's worker program is missing: neither ${join(sub, 'bridge_worker.js')} nor ${join(sub, 'bridge_worker.mjs')} exists (a bundle that includes createBlockingWebGpuBackend must ship src/backend/webgpu/node/bridge_worker.ts, bundled, beside it)`,
      );
    });
  },
);
