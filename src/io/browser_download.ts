/**
 * Downloading a model's weights from a web page as a `.safetensors` file (browser only: it needs
 * `document`). The bytes are those Node's `saveModel` writes, so the file loads with `loadModel`, in
 * PyTorch (`safetensors.torch.load_file`) and with `loadSafetensorsFrom`.
 *
 * @example
 * import { downloadSafetensors } from 'descent';
 * downloadSafetensors(net, 'mnist-mlp.safetensors'); // the browser's download prompt or bar
 */
import type { Module } from '../nn/module.js';
import { modelToSafetensors } from './browser_model_bytes.js';

/**
 * Starts the download of `model.stateDict()` as `filename` (metadata `{ format: 'pt', …metadata }`),
 * through a Blob URL and an `<a download>` element; returns the bytes offered. Throws outside a page
 * (no `document`, e.g. in Node or a worker), naming what to use there instead.
 */
export function downloadSafetensors(
  model: Module,
  filename: string,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  if (typeof filename !== 'string' || filename.trim() === '' || /[/\\]/.test(filename)) {
    throw new TypeError(
      `downloadSafetensors: filename must be a non-empty file name without / or \\, got ${JSON.stringify(filename)}`,
    );
  }
  if (typeof document === 'undefined') {
    throw new Error(
      'downloadSafetensors: there is no document to download from (not a web page); in Node use saveModel from descent/node, in a worker post modelToSafetensors(model) to the page',
    );
  }
  const bytes = modelToSafetensors(model, metadata);
  const url = URL.createObjectURL(
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next task: the click has handed the URL to the download by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return bytes;
}
