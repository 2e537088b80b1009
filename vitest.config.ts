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
    // A test that asserts nothing fails: skips are it.skipIf with the reason, never an early return.
    expect: { requireAssertions: true },
  },
});
