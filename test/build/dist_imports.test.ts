/**
 * What the built package imports at run time (issue #17, install footprint). vega and vega-lite are
 * devDependencies: scripts/bundle_report_vega.mjs folds them into dist/report/vega.js, so no other
 * dist file may import them, and rendering must work where they cannot be resolved. Every other bare
 * import of dist/ must be a dependency, an optional peer or a Node built-in (a devDependency would
 * be missing from a user's install), and every dependency must be imported by something (else it is
 * install weight for nothing). Imports are read by esbuild's parser, not by pattern, so a comment or
 * a string that looks like an import does not count. dist/lab/ (browser assets served by the lab)
 * is left out: Node never imports it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = path.join(ROOT, 'dist');
const BUILT = fs.existsSync(path.join(DIST, 'report/vega.js')) && fs.existsSync(path.join(DIST, 'node.js'));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-dist-imports-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Every file under `dir` whose name ends with `suffix`. */
function filesUnder(dir: string, suffix: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? filesUnder(path.join(dir, e.name), suffix)
        : e.name.endsWith(suffix)
          ? [path.join(dir, e.name)]
          : [],
    );
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`, `node:fs` kept whole). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

/** Each bare specifier imported (statically, dynamically or by require) by `files`, with an importer. */
async function bareImports(files: string[]): Promise<Map<string, string>> {
  const result = await build({
    stdin: { contents: files.map((f) => `import ${JSON.stringify(f)};`).join('\n'), resolveDir: ROOT },
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: path.join(work, 'scan.js'),
    logLevel: 'silent',
  });
  const found = new Map<string, string>();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    for (const imp of input.imports) {
      if (imp.external && !imp.path.startsWith('.') && !found.has(imp.path)) found.set(imp.path, file);
    }
  }
  return found;
}

/** The relative-import closure of `entry` (a dist .js file), as paths relative to dist/. */
function closureOf(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    const rel = path.relative(DIST, file);
    if (seen.has(rel)) return;
    seen.add(rel);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g))
      visit(path.resolve(path.dirname(file), m[1] as string));
  };
  visit(entry);
  return [...seen];
}

const isBuiltin = (name: string) => name.startsWith('node:') || builtinModules.includes(name);

describe.skipIf(!BUILT)('dist/ imports at run time (skipped: dist/ not built; run npm run build)', () => {
  const jsFiles = BUILT
    ? filesUnder(DIST, '.js').filter((f) => !f.startsWith(path.join(DIST, 'lab') + path.sep))
    : [];

  it('no dist file imports vega or vega-lite: they are bundled into dist/report/vega.js', async () => {
    const imports = await bareImports(jsFiles);
    const vega = [...imports].filter(([spec]) => /^vega(-|$|\/)/.test(packageOf(spec)));
    expect(vega).toEqual([]);
    expect(fs.readFileSync(path.join(DIST, 'report/vega.LICENSES.txt'), 'utf8')).toMatch(
      /^vega@\S+ \(BSD-3-Clause\)$/m,
    );
  });

  it('every bare import of dist/ is a dependency, an optional peer or a Node built-in', async () => {
    const allowed = new Set([
      pkg.name,
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.peerDependenciesMeta ?? {}).filter((p) => pkg.peerDependenciesMeta[p].optional),
    ]);
    const imports = await bareImports(jsFiles);
    const stray = [...imports]
      .filter(([spec]) => !isBuiltin(spec) && !allowed.has(packageOf(spec)))
      .map(([spec, file]) => `${spec} (imported by ${file})`);
    expect(stray).toEqual([]);
  });

  it('every dependency is imported by some dist file, or (types only) referenced by a published .d.ts', async () => {
    const imported = new Set([...(await bareImports(jsFiles)).keys()].map(packageOf));
    for (const f of filesUnder(DIST, '.d.ts')) {
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/^\/\/\/ <reference types="([^"]+)"/gm)) {
        imported.add(packageOf(m[1]!));
      }
    }
    const unused = Object.keys(pkg.dependencies ?? {}).filter((d) => !imported.has(d));
    expect(unused).toEqual([]);
  });

  it('renderSvg from dist/ renders where vega and vega-lite cannot be resolved (a copy outside the repo)', async () => {
    const copy = path.join(work, 'no-vega');
    for (const rel of closureOf(path.join(DIST, 'report/render.js'))) {
      fs.mkdirSync(path.dirname(path.join(copy, rel)), { recursive: true });
      fs.copyFileSync(path.join(DIST, rel), path.join(copy, rel));
    }
    fs.writeFileSync(path.join(copy, 'package.json'), '{"type":"module"}');
    const program = `
      import { renderSvg } from './report/render.js';
      for (const p of ['vega', 'vega-lite']) {
        try { await import(p); console.log('resolvable: ' + p); } catch {}
      }
      const svg = await renderSvg({
        data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
        mark: 'line',
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
        title: '普通网络',
      });
      console.log(svg.startsWith('<svg') && svg.includes('普通网络') ? 'svg ok' : svg.slice(0, 200));
    `;
    fs.writeFileSync(path.join(copy, 'main.mjs'), program);
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['main.mjs'], { cwd: copy }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      );
    });
    expect(stdout.trim()).toBe('svg ok');
  }, 60_000);
});
