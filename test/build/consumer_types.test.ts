/**
 * descent as a TypeScript user meets it: two tiny consumer projects type-check against the built
 * package (dist/ and package.json's `exports`, through a node_modules/descent link), with `tsc
 * --noEmit`: an ES module project with `module: nodenext`, and a CommonJS project with `module:
 * node16` (the setting the issue names), which reaches the ESM-only package through `import type …
 * with { 'resolution-mode': 'import' }` and `await import()`. Each project also holds one file with a
 * deliberate type error, which must be the only error reported: so the check can fail, and a `types`
 * condition that did not resolve (everything `any`) would lose that error and fail too. Both run at
 * once (two tsc processes), about 20 s on a busy 2-core machine.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const BUILT =
  fs.existsSync(path.join(ROOT, 'dist/node.d.ts')) && fs.existsSync(path.join(ROOT, 'dist/index.d.ts'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-consumer-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Consumer {
  type: 'module' | 'commonjs';
  compilerOptions: Record<string, unknown>;
  source: string;
}

/** A file that must fail with exactly one error: a number from descent/node assigned to a string. */
const WRONG = {
  esm: "import { loadMnist } from 'descent/node';\nexport const s: string = loadMnist().train.length;\n",
  cjs: "import type { BundledSplits } from 'descent/node' with { 'resolution-mode': 'import' };\nexport const s: string = (null as unknown as BundledSplits).train.length;\n",
};
const WRONG_ERROR = /^wrong\.ts\(2,14\): error TS2322: Type 'number' is not assignable to type 'string'\.$/;

/** Writes the project, links descent into its node_modules, runs tsc; returns its exit code and error lines. */
async function typecheck(
  name: string,
  consumer: Consumer,
  wrong: string,
): Promise<{ status: number; errors: string[] }> {
  const dir = path.join(work, name);
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules/descent'), 'dir');
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name, private: true, type: consumer.type }),
  );
  const compilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    ...consumer.compilerOptions,
  };
  const files = ['index.ts', 'wrong.ts'];
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
  fs.writeFileSync(path.join(dir, 'index.ts'), consumer.source);
  fs.writeFileSync(path.join(dir, 'wrong.ts'), wrong);
  // --preserveSymlinks: resolve descent's own imports from the link, as an installed copy would.
  const args = [TSC, '-p', dir, '--preserveSymlinks', '--pretty', 'false'];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: dir }, (error, stdout, stderr) => {
      const errors = `${stdout}${stderr}`.split('\n').filter((line) => /error TS/.test(line));
      resolve({ status: error === null ? 0 : ((error as { code?: number }).code ?? -1), errors });
    });
  });
}

const ESM_SOURCE = `
import { tensor, type Tensor } from 'descent';
import { loadMnist, MissingPackageError, renderSvg, type FigureSpec } from 'descent/node';
const t: Tensor = tensor([1, 2, 3]);
const spec: FigureSpec = { mark: 'point', data: { values: [{ x: 1 }] } };
export const svg: Promise<string> = renderSvg(spec);
const { train } = loadMnist({ limit: 10 });
const n: number = train.length + t.size;
export const missing: boolean = new MissingPackageError({ op: 'x', what: 'y', packageName: 'z' }) instanceof Error;
export { n };
`;

const CJS_SOURCE = `
import type { Tensor } from 'descent' with { 'resolution-mode': 'import' };
import type { BundledSplits } from 'descent/node' with { 'resolution-mode': 'import' };
export async function main(): Promise<number> {
  const descent = await import('descent');
  const node = await import('descent/node');
  const t: Tensor = descent.tensor([1, 2]);
  const data: BundledSplits = node.loadMnist({ limit: 5 });
  return t.size + data.train.length;
}
`;

describe.skipIf(!BUILT)(
  'consumer projects type-check against the built package (skipped: dist/ not built; run npm run build)',
  { concurrent: true },
  () => {
    it('an ES module project with module/moduleResolution nodenext and skipLibCheck false: only the deliberate error', async () => {
      const r = await typecheck(
        'esm-nodenext',
        {
          type: 'module',
          // skipLibCheck false: every published .d.ts is checked, as a strict consumer would.
          compilerOptions: {
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2022',
            skipLibCheck: false,
          },
          source: ESM_SOURCE,
        },
        WRONG.esm,
      );
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatch(WRONG_ERROR);
      expect(r.status).toBe(2);
    }, 90_000);

    it('a CommonJS project with module/moduleResolution node16 (import type with resolution-mode, dynamic import): only the deliberate error', async () => {
      const r = await typecheck(
        'cjs-node16',
        {
          type: 'commonjs',
          compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022' },
          source: CJS_SOURCE,
        },
        WRONG.cjs,
      );
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatch(WRONG_ERROR);
      expect(r.status).toBe(2);
    }, 90_000);

    it('no published .d.ts imports vega or vega-lite (devDependencies; FigureSpec is a JSON object type in dist)', () => {
      const declarations = (dir: string): string[] =>
        fs
          .readdirSync(dir, { withFileTypes: true })
          .flatMap((e) =>
            e.isDirectory()
              ? declarations(path.join(dir, e.name))
              : e.name.endsWith('.d.ts')
                ? [path.join(dir, e.name)]
                : [],
          );
      const importsVega = /(?:\bfrom\s*|\bimport\s*\(\s*)['"]vega(?:-lite)?(?:\/[^'"]*)?['"]/;
      const offenders = declarations(path.join(ROOT, 'dist'))
        .filter((f) => importsVega.test(fs.readFileSync(f, 'utf8')))
        .map((f) => path.relative(ROOT, f));
      expect(offenders).toEqual([]);
      expect(fs.readFileSync(path.join(ROOT, 'dist/report/spec_type.d.ts'), 'utf8')).toMatch(
        /export type FigureSpec = \{ readonly \[key: string\]: unknown \};/,
      );
    });

    it('a CommonJS program require()s descent and descent/node (require(esm), Node ≥ 20.19) and loads the shipped MNIST', async () => {
      const dir = path.join(work, 'cjs-require');
      fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
      fs.symlinkSync(ROOT, path.join(dir, 'node_modules/descent'), 'dir');
      fs.writeFileSync(
        path.join(dir, 'package.json'),
        '{"name":"cjs-require","private":true,"type":"commonjs"}',
      );
      const program =
        "const { tensor } = require('descent'); const { loadMnist } = require('descent/node');\n" +
        'console.log(tensor([1, 2, 3]).size, loadMnist({ limit: 7 }).train.length);\n';
      fs.writeFileSync(path.join(dir, 'main.js'), program);
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['--preserve-symlinks', 'main.js'], { cwd: dir }, (error, out, err) =>
          error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
        );
      });
      expect(stdout.trim()).toBe('3 7');
    }, 60_000);
  },
);
