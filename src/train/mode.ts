/**
 * Running code with a model in training or evaluation mode and putting every module's own mode back
 * afterwards, also when the code throws. Modes are saved per module, so a model whose BatchNorm layers
 * were deliberately left in evaluation mode (fine-tuning) gets exactly that back.
 */
import type { Module } from '../nn/module.js';

/** Runs `fn` with `model` in training (true) or evaluation (false) mode, then restores each module's mode. */
export function withMode<T>(model: Module, training: boolean, fn: () => T): T {
  const restore = saveModes(model);
  model.train(training);
  try {
    return fn();
  } finally {
    restore();
  }
}

/** Records the mode of `model` and all its descendants; the returned function puts them back. */
export function saveModes(model: Module): () => void {
  const saved = [...model.modules()].map((m) => [m, m.training] as const);
  return () => {
    for (const [m, training] of saved) m.training = training;
  };
}
