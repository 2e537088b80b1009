/**
 * The network of one transfer case, built from a pre-trained MLP (`mlp()` without batch norm or
 * dropout: children Linear, activation, …, output Linear):
 *
 *   network = [Linear₁, f₁, …, Linear_keep, f_keep]  (the pre-trained hidden layers kept, copied)
 *             + head = a fresh Linear(n_keep, classes)  (the new task's classifier)
 *
 * Of the kept layers, the top `tune` are fine-tuned at `tuneLr` (the lecture's "较小的学习速率") and
 * the others frozen with `module.requiresGrad(false)`; the head trains at `lr`. The optimizer gets
 * only the trained parameters, as per-parameter-group learning rates `[{ params, lr }, …]`, so a
 * frozen parameter is neither updated nor given optimizer state (nor penalized: `fit` regularizes
 * trainable parameters only). With `tune` 0 the network is a linear classifier on fixed features.
 *
 * The pre-trained network is never changed: its weights are copied into a fresh network of the same
 * architecture (`loadStateDict`), so every case starts from the same pre-trained weights.
 */
import { mlp } from '../nn/builders/mlp.js';
import { Linear } from '../nn/linear.js';
import { Sequential } from '../nn/sequential.js';
import { Adam } from '../optim/optimizers/adam.js';
import type { Tensor } from '../tensor/tensor.js';

/** The architecture of the pre-trained MLP, to rebuild it. */
export interface MlpArchitecture {
  sizes: number[];
  activation: 'relu' | 'tanh' | 'sigmoid';
}

export interface TransferNetSpec {
  /** The pre-trained network (read only) and its architecture. */
  pretrained: Sequential;
  architecture: MlpArchitecture;
  /** Hidden layers reused, counted from the input (1 … all of them). */
  keep: number;
  /** Of the kept layers, how many at the top are fine-tuned (0 … keep); the rest are frozen. */
  tune: number;
  /** Outputs of the new head (the target task's classes). */
  classes: number;
  /** Adam's learning rate of the head, and of the fine-tuned layers. */
  lr: number;
  tuneLr: number;
}

export interface TransferNet {
  model: Sequential;
  optimizer: Adam;
  /** The parameters of the frozen layers, of the fine-tuned layers and of the head. */
  frozen: Tensor[];
  tuned: Tensor[];
  head: Tensor[];
}

/** A private copy of the pre-trained network: fine-tuning it leaves the original as it was. */
function copyOf(spec: TransferNetSpec): Sequential {
  const copy = mlp(spec.architecture);
  copy.loadStateDict(spec.pretrained.stateDict());
  return copy;
}

/** The network of a case and its optimizer (see the module comment). */
export function transferNet(spec: TransferNetSpec): TransferNet {
  const hidden = spec.architecture.sizes.length - 2;
  if (!Number.isInteger(spec.keep) || spec.keep < 1 || spec.keep > hidden) {
    throw new RangeError(`transferNet: keep must be an integer in [1, ${hidden}], got ${spec.keep}`);
  }
  if (!Number.isInteger(spec.tune) || spec.tune < 0 || spec.tune > spec.keep) {
    throw new RangeError(`transferNet: tune must be an integer in [0, ${spec.keep}], got ${spec.tune}`);
  }
  const base = copyOf(spec);
  const model = new Sequential();
  const frozen: Tensor[] = [];
  const tuned: Tensor[] = [];
  for (let k = 0; k < spec.keep; k++) {
    const linear = base.at(2 * k);
    const trains = k >= spec.keep - spec.tune;
    linear.requiresGrad(trains);
    (trains ? tuned : frozen).push(...linear.parameters());
    model.append(linear).append(base.at(2 * k + 1));
  }
  const headLayer = new Linear(spec.architecture.sizes[spec.keep]!, spec.classes);
  model.append(headLayer);
  const head = headLayer.parameters();
  const groups = [
    { params: head, lr: spec.lr },
    ...(tuned.length ? [{ params: tuned, lr: spec.tuneLr }] : []),
  ];
  return { model, optimizer: new Adam(groups), frozen, tuned, head };
}
