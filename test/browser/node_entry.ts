/**
 * The Node side of test/browser/run.mjs: the scenario on descent/node's worker_threads pool, with the
 * build pinned to plain SIMD as in the page.
 */
import { detectVariant } from '../../src/backend/wasm/features.js';
import { closeWasmThreads, createThreadedWasmBackend } from '../../src/backend/wasm/threads_node.js';
import { WasmBackend } from '../../src/backend/wasm/wasm_backend.js';
import { runScenario, type ScenarioResult } from './scenario.js';

/** Waits until the workers have started, so that they take part in the products. */
async function warm(backend: WasmBackend): Promise<void> {
  const pool = (backend as unknown as { parallel: { ready(): boolean } | null }).parallel;
  const start = Date.now();
  while (pool !== null && !pool.ready() && Date.now() - start < 10_000) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The scenario on one build: single-threaded, then on 1, 2 and 4 worker_threads. */
function onBuild(variant: 'simd' | 'relaxed-simd'): Promise<ScenarioResult> {
  return runScenario(
    new WasmBackend({ variant }),
    async (threads) => {
      const backend = createThreadedWasmBackend({ threads, variant });
      await warm(backend);
      return backend;
    },
    closeWasmThreads,
  );
}

export async function runNode(): Promise<
  ScenarioResult & { detected: string; runtime: string; relaxed: ScenarioResult | null }
> {
  const detected = detectVariant();
  const result = await onBuild('simd');
  const relaxed = detected === 'relaxed-simd' ? await onBuild('relaxed-simd') : null;
  return { ...result, detected, relaxed, runtime: `Node ${process.version}` };
}
