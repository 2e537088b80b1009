// Measures what a user installs: packs descent as `npm publish` would, installs the tarball into an
// empty project (once in full, once with --omit=optional), reports node_modules' size in MB (apparent
// size of every file) and its ten largest packages, checks that npm printed no install-script warning,
// and that the installed package works: `import('descent')`, `import('descent/node')`, the bin's
// --version and, with --train, one short offline epoch of the main job's data. Exits 1 when a check
// fails, npm warned about install scripts, or node_modules exceeds 40 MB (25 MB with --omit=optional).
//
//   npm run build && node scripts/measure_install.mjs [--train] [--json]
//
// Packs with --ignore-scripts (prepack would rebuild; the build must already be in dist/). Needs the
// registry (or npm's cache) for descent's dependencies.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const args = new Set(process.argv.slice(2));
for (const a of args) {
  if (a !== '--train' && a !== '--json')
    throw new Error(`measure_install: unknown argument ${a}; accepted: --train, --json`);
}
const log = args.has('--json') ? () => {} : (line) => console.log(line);

for (const file of [
  'dist/index.js',
  'dist/node.js',
  'dist/run/assets/mnist_subset.bin.gz',
  'dist/lab/index.html',
]) {
  if (!existsSync(join(ROOT, file)))
    throw new Error(`measure_install: ${file} is missing; run npm run build first`);
}

const work = mkdtempSync(join(tmpdir(), 'descent-install-'));
const run = (cmd, argv, cwd) =>
  execFileSync(cmd, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
/** npm's whole output, stderr included (warnings go there). */
const npm = (argv, cwd) => {
  try {
    return execFileSync('npm', argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`npm ${argv.join(' ')} failed in ${cwd}:\n${error.stdout}\n${error.stderr}`);
  }
};

/** Apparent size of every regular file under `dir` (links not followed). */
function bytesUnder(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(p);
    else if (entry.isFile()) total += lstatSync(p).size;
  }
  return total;
}

/** node_modules' packages (scoped ones as @scope/name, nested ones counted in their parent) by size. */
function packagesBySize(modules) {
  const sizes = [];
  for (const name of readdirSync(modules)) {
    if (name.startsWith('.')) continue;
    const names = name.startsWith('@') ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`) : [name];
    for (const n of names) sizes.push({ name: n, mb: bytesUnder(join(modules, n)) / 1e6 });
  }
  return sizes.sort((a, b) => b.mb - a.mb);
}

const mb = (x) => Math.round(x * 10) / 10;
/** The ceilings for a consumer's node_modules, in MB. */
const MAX_MB = 40;
const MAX_OMIT_OPTIONAL_MB = 25;

function install(tarball, omitOptional) {
  const dir = join(work, omitOptional ? 'consumer-omit-optional' : 'consumer');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), '{"name":"consumer","private":true,"type":"module"}\n');
  const output = npm(
    ['install', tarball, '--no-audit', '--no-fund', ...(omitOptional ? ['--omit=optional'] : [])],
    dir,
  );
  const modules = join(dir, 'node_modules');
  const top = packagesBySize(modules);
  return {
    dir,
    totalMb: mb(bytesUnder(modules) / 1e6),
    top10: top.slice(0, 10).map((p) => ({ name: p.name, mb: mb(p.mb) })),
    scriptWarnings: output
      .split('\n')
      .filter((line) => /allowScripts|install-scripts|install script/i.test(line)),
  };
}

/** Runs the checks; a failure is reported (with the first lines of its error), not thrown. */
function checkWorks(dir) {
  try {
    return { ok: true, ...checks(dir) };
  } catch (error) {
    return {
      ok: false,
      error: String(error.stderr || error.message)
        .split('\n')
        .slice(0, 6)
        .join('\n'),
    };
  }
}

function checks(dir) {
  const imports = run(
    'node',
    [
      '--input-type=module',
      '-e',
      "const d = await import('descent'); const n = await import('descent/node'); console.log(typeof d.tensor, typeof n.loadMnist);",
    ],
    dir,
  ).trim();
  const version = run('node', [join(dir, 'node_modules/descent/bin/descent.js'), '--version'], dir).trim();
  let train = null;
  if (args.has('--train')) {
    const out = join(dir, 'run');
    const lines = run(
      'node',
      [join(dir, 'node_modules/descent/bin/descent.js'), 'train', '--epochs', '1', '--out', out, '--json'],
      dir,
    );
    train = JSON.parse(lines.trim().split('\n').at(-1));
  }
  return { imports, version, train };
}

try {
  const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT))[0];
  const tarball = join(work, packed.filename);
  log(
    `packed ${packed.filename}: ${mb(packed.size / 1e6)} MB, ${mb(packed.unpackedSize / 1e6)} MB unpacked, ${packed.entryCount} files`,
  );
  const full = install(tarball, false);
  const omit = install(tarball, true);
  const works = checkWorks(full.dir);
  const result = {
    tarball: {
      mb: mb(packed.size / 1e6),
      unpackedMb: mb(packed.unpackedSize / 1e6),
      files: packed.entryCount,
    },
    nodeModulesMb: full.totalMb,
    nodeModulesOmitOptionalMb: omit.totalMb,
    top10: full.top10,
    scriptWarnings: [...full.scriptWarnings, ...omit.scriptWarnings],
    ...works,
  };
  // The bounds (#17): a failed check, an install-script warning or an install over 40 MB
  // (25 MB with --omit=optional) is a non-zero exit, so CI or a release step can rely on the script.
  const problems = [
    ...(works.ok ? [] : ['the installed package does not work']),
    ...(result.scriptWarnings.length > 0 ? ['npm printed install-script warnings'] : []),
    ...(full.totalMb > MAX_MB ? [`node_modules is ${full.totalMb} MB, over ${MAX_MB} MB`] : []),
    ...(omit.totalMb > MAX_OMIT_OPTIONAL_MB
      ? [`node_modules with --omit=optional is ${omit.totalMb} MB, over ${MAX_OMIT_OPTIONAL_MB} MB`]
      : []),
  ];
  result.problems = problems;
  if (problems.length > 0) process.exitCode = 1;
  if (args.has('--json')) console.log(JSON.stringify(result));
  else {
    log(`node_modules: ${full.totalMb} MB; with --omit=optional: ${omit.totalMb} MB`);
    log('largest packages:');
    for (const p of full.top10) log(`  ${p.name.padEnd(32)} ${p.mb} MB`);
    log(
      `install-script warnings: ${result.scriptWarnings.length === 0 ? 'none' : result.scriptWarnings.join('\n  ')}`,
    );
    if (!works.ok) log(`the installed package does not work:\n${works.error}`);
    else log(`import check: ${works.imports}; descent --version: ${works.version}`);
    if (works.train) log(`train (1 epoch, offline data): ${JSON.stringify(works.train).slice(0, 200)}`);
    log(problems.length === 0 ? 'within bounds: yes' : `FAILED: ${problems.join('; ')}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
