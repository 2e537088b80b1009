/**
 * Checkpoint files (Node only, exported from `descent/node`): state dicts as `.safetensors`, the format
 * the PyTorch ecosystem uses, with PyTorch's parameter names, so weights move both ways between
 * PyTorch and descent.
 *
 * Saves are atomic: the bytes are encoded first (an error there touches no file), then written to a
 * temporary file in the target's directory, flushed to disk (fsync), and renamed over the target
 * (an atomic replacement on POSIX file systems and on NTFS); the directory is then fsynced so the
 * rename itself survives a crash. An interrupted or failed save therefore leaves the previous file
 * whole and loadable, and the temporary file is removed.
 *
 * Fine-tuning from pre-trained weights (the lecture's 预训练 route):
 *
 * @example
 * import { loadModel, saveModel } from 'descent/node';
 * const net = mlp({ sizes: [784, 256, 10] });
 * loadModel('pretrained.safetensors', net);  // weights trained in PyTorch or descent
 * net.requiresGrad(false);                    // freeze everything…
 * net.getSubmodule('2').requiresGrad(true);   // …but the top layer
 * // train: only the unfrozen parameters get gradients; then
 * saveModel('finetuned.safetensors', net);
 *
 * Files are read and written synchronously: checkpoints are taken between training steps, and a
 * synchronous save cannot interleave with a step that mutates the weights it is writing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadStateDictResult, Module } from '../nn/module.js';
import { checkLoadOptions, loadSafetensorsBytes } from './browser_model_bytes.js';
import { writeFaultHook } from './fault_injection.js';
import { READ_LIMITS, readRegularFile } from './safe_path.js';
import {
  type NamedTensors,
  type ParsedSafetensors,
  parseSafetensors,
  serializeSafetensors,
} from './safetensors.js';
import { tempPathFor } from './temp_files.js';

/**
 * Writes `tensors` (a state dict or a record of tensors) and optional string `metadata` to `file` as
 * safetensors, atomically (see the module comment). Creates no directories.
 *
 * @example
 * saveSafetensors('weights.safetensors', model.stateDict(), { epoch: '12' });
 */
export function saveSafetensors(
  file: string,
  tensors: NamedTensors,
  metadata?: Readonly<Record<string, string>>,
): void {
  const bytes = serializeSafetensors(tensors, metadata);
  writeFileAtomic(file, bytes);
}

/**
 * Reads a safetensors file: its tensors (on the current backend, converted as `parseSafetensors`
 * documents) and metadata. Only a regular file of at most 4 GiB is read (`readRegularFile`: no devices,
 * FIFOs or pseudo file systems); errors are `FormatError`s that name the file and what is wrong with it.
 */
export function loadSafetensors(file: string): ParsedSafetensors {
  const bytes = readRegularFile(file, { maxBytes: READ_LIMITS.safetensors, what: 'loadSafetensors' });
  return parseSafetensors(bytes, file);
}

/**
 * Saves `model.stateDict()` (parameters and persistent buffers, PyTorch's names) to `file`, atomically,
 * with metadata `{ format: 'pt', …metadata }` (the marker Hugging Face loaders look for).
 *
 * @example
 * saveModel('lenet.safetensors', net);
 * // in Python: model.load_state_dict(safetensors.torch.load_file('lenet.safetensors'))
 */
export function saveModel(
  file: string,
  model: Module,
  metadata: Readonly<Record<string, string>> = {},
): void {
  saveSafetensors(file, model.stateDict(), { format: 'pt', ...metadata });
}

export interface LoadModelOptions {
  /** Missing or unexpected keys are errors (default true); shape mismatches always are. */
  strict?: boolean;
  /**
   * Loads only the tensors whose name passes (e.g. `(k) => !k.startsWith('3.')` to keep a new
   * classifier head); use with `strict: false`, since the skipped keys are then missing.
   */
  filter?: (name: string) => boolean;
}

/**
 * Loads a safetensors file (written by `saveModel`, by PyTorch's safetensors, or by hand) into `model`
 * in place with `loadStateDict`: nothing is copied unless every key checks out. Returns the missing and
 * unexpected keys (both empty with `strict`). The file's tensors are released afterwards.
 *
 * @example
 * loadModel('pytorch_mlp.safetensors', net); // strict: names and shapes must match
 * // a pre-trained trunk under a new 5-class head (layer 3), which keeps its fresh initialization:
 * loadModel('pretrained.safetensors', net5, { strict: false, filter: (k) => !k.startsWith('3.') });
 */
export function loadModel(file: string, model: Module, options: LoadModelOptions = {}): LoadStateDictResult {
  checkLoadOptions('loadModel', options);
  const bytes = readRegularFile(file, { maxBytes: READ_LIMITS.safetensors, what: 'loadModel' });
  // The browser's loaders go through the same function: the same checks and messages everywhere.
  return loadSafetensorsBytes(model, bytes, { ...options, what: 'loadModel', source: file });
}

/**
 * Replaces `file` by `bytes` atomically: temporary file in the same directory (named by `tempPathFor`,
 * so that a later run can recognize it as an orphan if this process is killed), write, fsync, rename,
 * fsync of the directory. On failure the temporary file is removed and the old `file` is untouched;
 * the error keeps the system's `code` (ENOSPC, EACCES…) and the original as `cause`.
 *
 * Why not the `write-file-atomic` package (7.0), which was weighed as a replacement: its sync writer
 * calls `writeSync` once and ignores the count returned, so a short write (a disk filling up, a file
 * size limit: write(2) then returns what fit, without an error) is fsynced and renamed over the good
 * file, which breaks the one guarantee this function exists for (reproduced with `ulimit -f`); it also
 * does not fsync the directory, names its temporary files `<file>.<hash>` (no pid, so a later run cannot
 * tell an orphan from a write in progress: `removeOrphanedTempFiles`), and has no place for the
 * fault-injection points the kill -9 test needs.
 */
export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const dir = path.dirname(path.resolve(file));
  const tmp = tempPathFor(file);
  const fault = writeFaultHook(file);
  let fd: number | null = null;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    const half = bytes.length >>> 1;
    writeAll(fd, bytes.subarray(0, half));
    fault('during-write');
    writeAll(fd, bytes.subarray(half));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fault('before-rename');
    fs.renameSync(tmp, file);
  } catch (error) {
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing; the original error is the one to report
      }
    }
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // best effort
    }
    throw Object.assign(
      new Error(
        `saveSafetensors: could not write ${file} (the previous file, if any, is unchanged): ${(error as Error).message}`,
        { cause: error },
      ),
      { code: (error as NodeJS.ErrnoException).code },
    );
  }
  syncDirectory(dir);
  fault('after-write');
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) {
    written += fs.writeSync(fd, bytes, written, bytes.length - written);
  }
}

/** Makes a rename durable; not possible on every platform (Windows), where it is skipped. */
function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Directories cannot be opened or fsynced on some platforms; the rename has still happened.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
