// WebAssembly's single-thread arithmetic peak on this machine (bench/README.md): compiles
// bench/peak/fma.ts with AssemblyScript (the plain SIMD build, or relaxed SIMD with `relaxed`) and
// times its register-only multiply-add loops, 8 and 12 independent chains, keeping the faster.
// Prints one JSON line: { kind: 'peak', variant, gflops, chains, ... }.
//
//   node bench/peak.mjs '{"variant":"relaxed-simd","rounds":7}'
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

const here = path.dirname(fileURLToPath(import.meta.url));
const task = JSON.parse(process.argv[2] ?? '{}');
const variant = task.variant ?? 'relaxed-simd';
if (variant !== 'simd' && variant !== 'relaxed-simd') {
  throw new Error(`peak.mjs: variant must be 'simd' or 'relaxed-simd', got ${JSON.stringify(variant)}`);
}
// Node 20 runs relaxed SIMD only behind this flag (descent sets it the same way at load time).
if (variant === 'relaxed-simd') v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

/** The loops compiled for `variant`, cached by the source's hash (compiling takes seconds). */
async function compile() {
  const source = fs.readFileSync(path.join(here, 'peak/fma.ts'));
  const hash = createHash('sha256').update(source).update(variant).digest('hex').slice(0, 16);
  const cached = path.resolve(here, '../node_modules/.cache/descent-bench', `peak-${hash}.wasm`);
  if (fs.existsSync(cached)) return fs.readFileSync(cached);
  // The compiler loads only when needed: importing it takes seconds.
  const { default: asc } = await import('assemblyscript/asc');
  let binary = null;
  const flags = ['--enable', 'simd', ...(variant === 'relaxed-simd' ? ['--enable', 'relaxed-simd'] : [])];
  const { error, stderr } = await asc.main(
    ['bench/peak/fma.ts', '-O3', '--noAssert', '--runtime', 'stub', ...flags, '--outFile', 'fma.wasm'],
    {
      baseDir: path.resolve(here, '..'),
      writeFile(file, contents) {
        if (file.endsWith('.wasm')) binary = contents;
      },
    },
  );
  if (error) throw new Error(`peak.mjs: compiling bench/peak/fma.ts failed: ${error.message}\n${stderr}`);
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  fs.writeFileSync(cached, binary);
  return binary;
}

const binary = await compile();
const { instance } = await WebAssembly.instantiate(binary);
const k = instance.exports;

/**
 * GFLOP/s of `fn` (flops a step): the best of many rounds of about 10 ms each (`rounds` × 8), short
 * like the GEMM benchmark's calls, so that on a shared machine some rounds run on a free core.
 */
function measure(fn, flopsPerStep) {
  fn(1e5, 0.999);
  let iterations = 1e5;
  for (;;) {
    const t0 = performance.now();
    fn(iterations, 0.999);
    if (performance.now() - t0 > 5) break;
    iterations *= 2;
  }
  iterations *= 2;
  let best = 0;
  let sink = 0;
  for (let r = 0; r < (task.rounds ?? 7) * 8; r++) {
    const t0 = performance.now();
    sink += fn(iterations, 0.999);
    const seconds = (performance.now() - t0) / 1000;
    best = Math.max(best, (iterations * flopsPerStep) / seconds / 1e9);
  }
  if (!Number.isFinite(sink)) throw new Error('peak.mjs: the loop overflowed');
  return best;
}

const chains = { 8: measure(k.peak8, 8 * 8), 12: measure(k.peak12, 12 * 8) };
const [bestChains, gflops] = Object.entries(chains).sort((a, b) => b[1] - a[1])[0];
console.log(
  JSON.stringify({
    kind: 'peak',
    variant,
    threads: 1,
    gflops,
    chains: Number(bestChains),
    byChains: chains,
    what: 'register-only f32x4 multiply-add loop, one thread',
  }),
);
