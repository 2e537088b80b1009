// One WebGPU measurement in its own Node process, run by bench/webgpu.mjs:
//   node webgpu_bench.mjs <bundle of the library> '<json task>'
// Prints one JSON line (the measurement itself: bench/webgpu_measure.mjs). The process must start
// with the Vulkan environment it should use (a GPU's driver, or SwiftShader's VK_ICD_FILENAMES and
// LD_LIBRARY_PATH), which webgpu.mjs sets. `task.data` (train): a directory of
// bench/mnist_batches.mjs, of which the first `task.samples` digits are used.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { measure } from './webgpu_measure.mjs';

const [bundle, taskJson] = process.argv.slice(2);
const d = await import(pathToFileURL(bundle).href);
const task = JSON.parse(taskJson);

let backend;
try {
  backend = await d.initWebGpuBackend();
} catch (error) {
  // No adapter in this environment: webgpu.mjs reports the reason instead of a number.
  console.log(JSON.stringify({ ...task, unavailable: error.message }));
  process.exit(0);
}

/** The first `task.samples` digits of bench/mnist_batches.mjs's files. */
function digits() {
  if (task.kind !== 'train') return undefined;
  const x = fs.readFileSync(path.join(task.data, 'mnist_x.f32'));
  const y = fs.readFileSync(path.join(task.data, 'mnist_y.i32'));
  return {
    features: new Float32Array(x.buffer, x.byteOffset, task.samples * 784),
    labels: new Int32Array(y.buffer, y.byteOffset, task.samples),
  };
}

const result = await measure(d, backend, task, digits());
await d.settleHostChecks?.();
console.log(JSON.stringify(result));
backend.destroy?.();
process.exit(0);
