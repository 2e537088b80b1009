/**
 * Where the blocking backend's worker program is. Node 20 cannot run TypeScript in a worker thread:
 *
 * - In the published package (dist/), bridge_worker.ts is compiled JavaScript next to this module,
 *   and the worker runs it as it is.
 * - From the source tree (the tests, running src/ through Vitest), this module is a .ts file and no
 *   JavaScript sits next to it. The worker entry is then bundled with esbuild (a devDependency, so it
 *   is there wherever the source tree runs) into one ES module under node_modules/.cache/descent/,
 *   named by a hash of its contents so that concurrent test processes share it and an edit to any
 *   kernel makes a new one. It lives inside node_modules (not the system's temp directory) because the
 *   bundle leaves the `webgpu` package (a native addon) to be imported at run time, which Node
 *   resolves from the importing file's folders upward.
 *
 * The wasm backend's threads (threads_node.ts) evaluate a small CommonJS string instead; a WebGPU
 * backend is too large a program for that.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The compiled worker next to this module, as dist/ has it. */
const COMPILED = new URL('./bridge_worker.js', import.meta.url);

let bundled: URL | undefined;

/** The URL of a worker program Node can run, bundling it first when running from source. */
export async function workerScript(): Promise<URL> {
  if (!import.meta.url.endsWith('.ts') && existsSync(fileURLToPath(COMPILED))) return COMPILED;
  bundled ??= await bundleFromSource();
  return bundled;
}

/** Bundles bridge_worker.ts with esbuild into node_modules/.cache/descent/ (see the file comment). */
async function bundleFromSource(): Promise<URL> {
  const entry = fileURLToPath(new URL('./bridge_worker.ts', import.meta.url));
  const esbuildSpecifier = 'esbuild';
  let esbuild: typeof import('esbuild');
  try {
    esbuild = (await import(/* @vite-ignore */ esbuildSpecifier)) as typeof import('esbuild');
  } catch (error) {
    throw new Error(
      `the blocking WebGPU backend runs from TypeScript sources here (${entry}), which needs esbuild to bundle its worker; install the dev dependencies, or use the built package (dist/): ${(error as Error).message}`,
    );
  }
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    external: ['webgpu'],
  });
  const code = result.outputFiles[0]!.text;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const dir = cacheDir();
  const file = join(dir, `webgpu_bridge_worker-${hash}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, code);
    renameSync(temp, file);
  }
  return pathToFileURL(file);
}

/** node_modules/.cache/descent of the tree esbuild was found in. */
function cacheDir(): string {
  const esbuildPath = createRequire(import.meta.url).resolve('esbuild');
  const marker = `${sep}node_modules${sep}`;
  const at = esbuildPath.lastIndexOf(marker);
  const nodeModules = at >= 0 ? esbuildPath.slice(0, at + marker.length - 1) : dirname(esbuildPath);
  return join(nodeModules, '.cache', 'descent');
}
