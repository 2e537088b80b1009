import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
