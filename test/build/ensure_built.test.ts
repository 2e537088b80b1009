/**
 * scripts/ensure_built.mjs, which `npm start` and `npm test` run first in a clone: it builds dist/ when
 * there is no finished build or a source is newer, and only then. Run on a copy of the script in a
 * temporary project whose `npm` is a stand-in that records the call and writes the stamp, as the
 * real `npm run build` does at its end.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/ensure_built.mjs', import.meta.url));

const project = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-ensure-built-'));
const calls = path.join(project, 'npm-calls.txt');
const bin = path.join(project, 'bin');
fs.mkdirSync(path.join(project, 'scripts'));
fs.mkdirSync(path.join(project, 'src'));
fs.mkdirSync(bin);
fs.copyFileSync(script, path.join(project, 'scripts', 'ensure_built.mjs'));
fs.writeFileSync(path.join(project, 'src', 'index.ts'), 'export {};\n');
// The stand-in npm: records its arguments and finishes the "build" by writing the stamp.
fs.writeFileSync(
  path.join(bin, 'npm'),
  `#!/bin/sh\necho "$@" >> "${calls}"\nmkdir -p "${project}/dist"\ndate > "${project}/dist/.build-stamp"\n`,
  { mode: 0o755 },
);

afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

/** Runs the copied script; returns how many times it called npm so far, and what it printed. */
function ensureBuilt(): { builds: number; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(project, 'scripts', 'ensure_built.mjs')], {
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  const builds = fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n').length : 0;
  return { builds, stderr: run.stderr };
}

/** Moves a file's modification time `seconds` from now (file systems with coarse times need a gap). */
function touch(file: string, seconds: number): void {
  const t = new Date(Date.now() + seconds * 1000);
  fs.utimesSync(file, t, t);
}

describe.skipIf(process.platform === 'win32')(
  'ensure_built (skipped on Windows: a POSIX shell stand-in for npm)',
  () => {
    it('builds when dist/ has never been built, saying why', () => {
      const first = ensureBuilt();
      expect(first.builds).toBe(1);
      expect(first.stderr).toContain('dist/ has not been built yet');
      expect(fs.readFileSync(calls, 'utf8').trim()).toBe('run build');
    });

    it('does nothing while the build is newer than every source', () => {
      touch(path.join(project, 'src', 'index.ts'), -60);
      expect(ensureBuilt()).toEqual({ builds: 1, stderr: '' });
    });

    it('builds again once a source is newer than the build', () => {
      touch(path.join(project, 'src', 'index.ts'), 60);
      const again = ensureBuilt();
      expect(again.builds).toBe(2);
      expect(again.stderr).toContain('sources changed since the last build');
    });
  },
);
