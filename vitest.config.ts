import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The WebGPU tests run on Dawn (the `webgpu` package). On a machine without a GPU, Debian's chromium
// ships SwiftShader, a Vulkan driver on the CPU: point Dawn at it unless a Vulkan driver was chosen.
// Test workers start after this file runs and inherit the variables (Dawn reads LD_LIBRARY_PATH only at
// process start, so setting it inside a worker would be too late).
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  const paths = process.env.LD_LIBRARY_PATH;
  process.env.LD_LIBRARY_PATH = paths ? `/usr/lib/chromium:${paths}` : '/usr/lib/chromium';
}

export default defineConfig({
  resolve: {
    // The README's examples import 'descent'; in tests that is the source tree.
    alias: { descent: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Vitest's default is one worker per core but one, which is a single worker on the 2-core CI
    // machine. The slowest files mostly wait on child processes, Redis and Chromium, so two workers
    // there take the suite from about 580 s to 400 s (measured with every test passing).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // A test that asserts nothing fails: skips are it.skipIf with the reason, never an early return.
    expect: { requireAssertions: true },
  },
});
