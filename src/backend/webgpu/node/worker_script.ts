/**
 * Where the blocking backend's worker program is. Node 20 cannot run TypeScript in a worker thread:
 *
 * - In the published package (dist/), bridge_worker.ts is compiled JavaScript next to this module,
 *   and the worker runs it as it is. A bundle of the library must ship it beside itself too
 *   (bridge_worker.js or .mjs, bundled from bridge_worker.ts with `webgpu` left external).
 * - From the source tree (the tests, running src/ through Vitest), this module is a .ts file and no
 *   JavaScript sits next to it. The worker entry is then bundled with esbuild (a devDependency, so it
 *   is there wherever the source tree runs) into one ES module under node_modules/.cache/descent/,
 *   named by a hash of its contents so that concurrent test processes share it; a manifest
 *   lists the sources it was built from, so a later process reuses it until one of them changes. It lives inside node_modules (not the system's temp directory) because the
 *   bundle leaves the `webgpu` package (a native addon) to be imported at run time, which Node
 *   resolves from the importing file's folders upward.
 *
 * The wasm backend's threads (threads_node.ts) evaluate a small CommonJS string instead; a WebGPU
 * backend is too large a program for that.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The compiled worker next to this module: bridge_worker.js as dist/ has it, or bridge_worker.mjs,
 * which a bundle of the library placed where Node would not read .js as a module (node_modules/.x/)
 * ships beside itself (test/cli/cli_process.ts's bundled CLI does).
 */
const COMPILED = ['./bridge_worker.js', './bridge_worker.mjs'].map((name) => new URL(name, import.meta.url));

let bundled: URL | undefined;

/** The URL of a worker program Node can run, bundling it first when running from source. */
export async function workerScript(): Promise<URL> {
  if (import.meta.url.endsWith('.ts')) {
    bundled ??= await bundleFromSource();
    return bundled;
  }
  const compiled = COMPILED.find((url) => existsSync(fileURLToPath(url)));
  if (compiled) return compiled;
  throw new Error(
    `webgpu: the blocking backend's worker program is missing: neither ${COMPILED.map((u) => fileURLToPath(u)).join(' nor ')} exists (a bundle that includes createBlockingWebGpuBackend must ship src/backend/webgpu/node/bridge_worker.ts, bundled, beside it)`,
  );
}

/** Bundles bridge_worker.ts with esbuild into node_modules/.cache/descent/ (see the file comment). */
async function bundleFromSource(): Promise<URL> {
  const entry = fileURLToPath(new URL('./bridge_worker.ts', import.meta.url));
  const dir = cacheDir();
  const fresh = freshBundle(dir);
  if (fresh) return pathToFileURL(fresh);
  const result = await (await loadEsbuild(entry)).build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    external: ['webgpu'],
    metafile: true,
  });
  const code = result.outputFiles[0]!.text;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = join(dir, `webgpu_bridge_worker-${hash}.mjs`);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(file)) writeAtomically(file, code);
  const inputs = Object.keys(result.metafile.inputs).map((path) => resolve(path));
  writeAtomically(join(dir, MANIFEST), JSON.stringify({ file, inputs: stamps(inputs) }));
  pruneOldBundles(dir, file);
  return pathToFileURL(file);
}

const MANIFEST = 'webgpu_bridge_worker.json';

/**
 * The bundle the last build wrote, if none of the sources it was built from changed since (each
 * file's size and modification time): the ~40 test files that start a backend each skip esbuild.
 */
function freshBundle(dir: string): string | null {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as {
      file: string;
      inputs: Record<string, string>;
    };
    if (!existsSync(manifest.file)) return null;
    const now = stamps(Object.keys(manifest.inputs));
    return Object.entries(manifest.inputs).every(([path, stamp]) => now[path] === stamp)
      ? manifest.file
      : null;
  } catch {
    return null;
  }
}

function stamps(paths: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const path of paths) {
    try {
      const s = statSync(path);
      out[path] = `${s.size}:${s.mtimeMs}`;
    } catch {
      out[path] = 'missing';
    }
  }
  return out;
}

async function loadEsbuild(entry: string): Promise<typeof import('esbuild')> {
  const specifier = 'esbuild';
  try {
    return (await import(/* @vite-ignore */ specifier)) as typeof import('esbuild');
  } catch (error) {
    throw new Error(
      `the blocking WebGPU backend runs from TypeScript sources here (${entry}), which needs esbuild to bundle its worker; install the dev dependencies, or use the built package (dist/): ${(error as Error).message}`,
    );
  }
}

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/** Deletes bundles of earlier sources, once no process can still be about to start one (an hour). */
function pruneOldBundles(dir: string, keep: string): void {
  const cutoff = Date.now() - 3_600_000;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!name.startsWith('webgpu_bridge_worker-') || path === keep) continue;
    try {
      if (statSync(path).mtimeMs < cutoff) unlinkSync(path);
    } catch {
      // Another process pruned it first.
    }
  }
}

/** node_modules/.cache/descent of the tree esbuild was found in. */
function cacheDir(): string {
  const esbuildPath = createRequire(import.meta.url).resolve('esbuild');
  const marker = `${sep}node_modules${sep}`;
  const at = esbuildPath.lastIndexOf(marker);
  const nodeModules = at >= 0 ? esbuildPath.slice(0, at + marker.length - 1) : dirname(esbuildPath);
  return join(nodeModules, '.cache', 'descent');
}
