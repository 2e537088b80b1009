/**
 * Runs descent in real child processes, for tests that need one (kill -9, locks between processes):
 * the TypeScript sources are bundled with esbuild (a fraction of a second) so that the tests check the
 * code under test, not whatever `dist/` holds. Packages stay external, so the bundle lives inside the
 * repository (under node_modules/, two levels down: the CLI finds ../../package.json from there).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Bundles `contents` (TypeScript, imports relative to the repository root) into `outfile`. */
export async function bundleScript(contents: string, outfile: string): Promise<string> {
  await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

/**
 * The `descent` CLI as one file; remove it with `fs.rmSync` when done. The blocking WebGPU backend's
 * worker goes beside it (`bridge_worker.mjs`, shared by the bundles in the folder and replaced
 * atomically), as dist/ ships it, so `--backend webgpu` runs in these processes too.
 */
export async function bundleCli(): Promise<string> {
  const dir = path.join(root, 'node_modules', '.descent-test');
  fs.mkdirSync(dir, { recursive: true });
  await bundleWebGpuWorker(dir);
  const file = path.join(dir, `cli-${process.pid}-${Date.now().toString(36)}.mjs`);
  return bundleScript("import { main } from './src/cli/main.ts'; await main(process.argv);", file);
}

/** src/backend/webgpu/node/bridge_worker.ts bundled to `dir`/bridge_worker.mjs (written, then renamed). */
async function bundleWebGpuWorker(dir: string): Promise<void> {
  const result = await build({
    entryPoints: [path.join(root, 'src/backend/webgpu/node/bridge_worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['webgpu'],
    write: false,
    logLevel: 'silent',
  });
  const temp = path.join(dir, `bridge_worker.mjs.${process.pid}.tmp`);
  fs.writeFileSync(temp, result.outputFiles[0]!.contents);
  fs.renameSync(temp, path.join(dir, 'bridge_worker.mjs'));
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ChildSpec {
  script: string;
  args: readonly string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Called with each complete stdout line; may kill the child. */
  onLine?: (line: string, child: ReturnType<typeof spawn>) => void;
  /** Kill with SIGKILL after this many milliseconds (a safety net against hangs). */
  timeoutMs?: number;
}

/** Runs `node script …args` and resolves once it has exited (and been reaped). */
export function runChild(spec: ChildSpec): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [spec.script, ...spec.args], {
      cwd: spec.cwd ?? root,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), spec.timeoutMs ?? 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      pending += chunk;
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        spec.onLine?.(pending.slice(0, nl), child);
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
