/**
 * Which captured programs depend on which buffers they do not own.
 *
 * A program replays kernels on parameters, their gradients, layer buffers (running statistics):
 * memory owned by tensors outside the step. When such a buffer goes back to its backend (a gradient
 * dropped with `zeroGrad({ setToNone: true })`, a layer or a parameter replaced and freed), the
 * program would write into memory that may be handed to someone else: it is marked stale, and the
 * next run traces the step again. Storages report releases through `setReleaseListener`.
 */
import type { BufferHandle } from '../backend/backend.js';
import { setReleaseListener } from '../tensor/storage.js';

/** Something that must hear of the release of a buffer it depends on. */
export interface Watcher {
  bufferReleased(): void;
}

const watchers = new WeakMap<BufferHandle, Set<Watcher>>();
let installed = false;

function notify(buffer: BufferHandle): void {
  const set = watchers.get(buffer);
  if (set === undefined) return;
  watchers.delete(buffer);
  for (const w of set) w.bufferReleased();
}

/** Tells `watcher` when any of `buffers` is released. */
export function watchReleases(watcher: Watcher, buffers: Iterable<BufferHandle>): void {
  if (!installed) {
    setReleaseListener(notify);
    installed = true;
  }
  for (const b of buffers) {
    let set = watchers.get(b);
    if (set === undefined) {
      set = new Set();
      watchers.set(b, set);
    }
    set.add(watcher);
  }
}

/** Stops telling `watcher` about `buffers`. */
export function unwatchReleases(watcher: Watcher, buffers: Iterable<BufferHandle>): void {
  for (const b of buffers) watchers.get(b)?.delete(watcher);
}
