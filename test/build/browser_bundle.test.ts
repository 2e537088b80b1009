import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

async function bundle(entry: string, contents?: string) {
  return build({
    ...(contents === undefined
      ? { entryPoints: [entry] }
      : { stdin: { contents, resolveDir: process.cwd(), loader: 'ts' } }),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
}

describe('browser bundle of the core', () => {
  it('bundles src/index.ts for the browser without Node built-ins', async () => {
    const result = await bundle('src/index.ts');
    expect(result.errors).toHaveLength(0);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/from ["']node:/);
    expect(code).toContain('ReferenceBackend');
  });

  it('fails when a Node built-in creeps into the core', async () => {
    await expect(
      bundle(
        '',
        "import { readFileSync } from 'node:fs'; export * from './src/index.ts'; export { readFileSync };",
      ),
    ).rejects.toThrow(/node:fs/);
  });

  it('runs in a browser-like module context: the bundle imports and trains one step', async () => {
    const result = await bundle('src/index.ts');
    const url = `data:text/javascript;base64,${Buffer.from(result.outputFiles[0]!.text).toString('base64')}`;
    const d = await import(/* @vite-ignore */ url);
    const w = d.tensor([[0.5, -0.5]], { requiresGrad: true });
    const loss = d.mseLoss(d.matmul(w, d.tensor([[1], [2]])), d.tensor([[1]]));
    loss.backward();
    // d/dw (w·x − 1)² = 2(w·x − 1)·x with w·x = −0.5
    expect(w.grad.toArray()).toEqual([[-3, -6]]);
  });
});
