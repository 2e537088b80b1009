// The page of bench/webgpu_chromium.mjs: the library from the browser bundle (served as /descent.js),
// the measurements of bench/webgpu_measure.mjs, one task per call of `globalThis.benchTask(task)`.
import * as d from '/descent.js';
import { measure } from './webgpu_measure.mjs';

let ready;

/** The backend (initWebGpuBackend, once) and the digits (/digits.bin: count, pixels, labels). */
async function setup() {
  const backend = await d.initWebGpuBackend();
  const bytes = await (await fetch('/digits.bin')).arrayBuffer();
  const n = new Int32Array(bytes, 0, 1)[0];
  const digits = {
    features: new Float32Array(bytes, 4, n * 784),
    labels: new Int32Array(bytes, 4 + n * 784 * 4, n),
  };
  return { backend, digits };
}

globalThis.benchTask = async (task) => {
  ready ??= setup();
  const { backend, digits } = await ready;
  const result = await measure(d, backend, task, digits);
  await d.settleHostChecks?.();
  return result;
};
