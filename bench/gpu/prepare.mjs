// Prepares bench/gpu/carry/: everything bench/gpu/run.sh needs on a lent GPU machine that has Node
// (≥ 20) and Python with PyTorch but not this repository's node_modules, nor a network to install
// them from, nor perhaps the Vulkan loader. Run it here, then carry the folder (about 30 MB):
//
//   node bench/gpu/prepare.mjs
//
// carry/descent.mjs         src/index.ts bundled for Node with every package inside (esbuild), so
//                           nothing but `webgpu` is imported at run time; its wasm kernels included
// carry/node_modules/webgpu the `webgpu` package (Dawn) for linux-x64 only: package.json, index.js and
//                           dist/linux-x64/dawn.node; descent.mjs's dynamic import('webgpu') finds it
// carry/data/               the benchmark's 1,024 MNIST digits (bench/mnist_batches.mjs's format)
// carry/lib/libvulkan.so.1  the Vulkan loader from Debian's chromium, used only where the machine has none
// carry/manifest.json       the commit, the date and the sizes
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const carry = path.join(here, 'carry');
const SAMPLES = 1024;

/** src/index.ts with its packages inside: the GPU machine has no node_modules. */
async function bundleLibrary() {
  await build({
    entryPoints: [path.join(root, 'src/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: path.join(carry, 'descent.mjs'),
    logLevel: 'warning',
    // Some bundled CommonJS packages call require(); give the ES module one.
    banner: {
      js: "import { createRequire as __descentRequire } from 'node:module'; const require = __descentRequire(import.meta.url);",
    },
  });
}

/** The webgpu package's linux-x64 parts: what `import 'webgpu'` loads there. */
function copyWebgpu() {
  const from = path.join(root, 'node_modules/webgpu');
  const to = path.join(carry, 'node_modules/webgpu');
  for (const file of ['package.json', 'index.js', 'LICENSE.md', 'dist/linux-x64/dawn.node']) {
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(path.join(from, file), path.join(to, file));
  }
}

/** The first 1,024 digits of loadMnist().train, as bench/mnist_batches.mjs writes them. */
async function writeDigits() {
  const dir = path.join(carry, 'data');
  fs.mkdirSync(dir, { recursive: true });
  const { bundle } = await import('../bundle.mjs');
  const bundled = await bundle({ attempts: 1 });
  try {
    execFileSync(
      process.execPath,
      [path.join(here, '../mnist_batches.mjs'), bundled.file, dir, String(SAMPLES)],
      { cwd: root, stdio: 'inherit' },
    );
  } finally {
    bundled.cleanup();
  }
}

function copyVulkanLoader() {
  const loader = '/usr/lib/chromium/libvulkan.so.1';
  if (!fs.existsSync(loader))
    return console.log(`no ${loader} here: carry/lib stays empty (the GPU machine must have libvulkan1)`);
  fs.mkdirSync(path.join(carry, 'lib'), { recursive: true });
  fs.copyFileSync(loader, path.join(carry, 'lib/libvulkan.so.1'));
}

function sizeOf(dir) {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + fs.statSync(path.join(e.parentPath ?? e.path, e.name)).size, 0);
}

fs.rmSync(carry, { recursive: true, force: true });
fs.mkdirSync(carry, { recursive: true });
await bundleLibrary();
copyWebgpu();
await writeDigits();
copyVulkanLoader();
const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
const dirty =
  execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8' }).trim() !== '';
const bytes = sizeOf(carry);
fs.writeFileSync(
  path.join(carry, 'manifest.json'),
  `${JSON.stringify({ commit, srcModified: dirty, date: new Date().toISOString(), bytes, samples: SAMPLES }, null, 2)}\n`,
);
console.log(
  `bench/gpu/carry: ${(bytes / 2 ** 20).toFixed(1)} MiB (commit ${commit.slice(0, 10)}${dirty ? ', src modified' : ''})`,
);
