#!/usr/bin/env node
/**
 * `npm start` and `npm test` in a clone run this first (prestart, pretest): it builds `dist/` with
 * `npm run build` when there is no finished build or a source is newer than it, and does nothing
 * otherwise. A clone has no `prepare` script (npm would list it as an install script in every
 * consumer's install), so without this the README's `npm install` then `npm start` would find no CLI.
 *
 * `--stamp` (the last step of `npm run build`) records a finished build in dist/.build-stamp.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');

/** What the build reads; generated files inside them are written before the stamp, so never newer. */
const SOURCES = ['src', 'assembly', 'lab', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];
const SKIPPED = new Set(['node_modules', 'generated', 'dist']);

/** The newest modification time (ms) under `entry`, or 0 when it does not exist. */
function newest(entry) {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const name of fs.readdirSync(entry)) {
    if (!SKIPPED.has(name)) latest = Math.max(latest, newest(path.join(entry, name)));
  }
  return latest;
}

/** Why dist/ must be built, or null when it is up to date. */
function staleness() {
  const built = fs.statSync(stamp, { throwIfNoEntry: false });
  if (built === undefined) return 'dist/ has not been built yet';
  const changed = Math.max(...SOURCES.map((s) => newest(path.join(root, s))));
  return changed > built.mtimeMs ? 'sources changed since the last build' : null;
}

if (process.argv.includes('--stamp')) {
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
} else {
  const why = staleness();
  if (why !== null) {
    console.error(`descent: building dist/ first (${why}): npm run build`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const build = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
}
