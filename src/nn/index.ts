/** Neural-network modules and layers (torch.nn). */
export {
  type ActivationName,
  type ActivationSpec,
  activationLayer,
  ELU,
  GELU,
  Identity,
  LeakyReLU,
  LogSoftmax,
  ReLU,
  Sigmoid,
  Softmax,
  Softplus,
  Tanh,
} from './activations.js';
export { BasicBlock, type BasicBlockOptions } from './basic_block.js';
export { BatchNorm, BatchNorm1d, BatchNorm2d, type BatchNormOptions } from './batch_norm.js';
export { DenseNet, type DenseNetOptions, densenet } from './builders/densenet.js';
export { type Lenet5Options, lenet5 } from './builders/lenet5.js';
export { type MlpOptions, mlp } from './builders/mlp.js';
export { plainNet, ResNet, type ResNetOptions, resnet } from './builders/resnet.js';
export { Conv2d, type Conv2dLayerOptions } from './conv2d.js';
export { DenseBlock, DenseLayer, Transition } from './dense_block.js';
export { DenseMLPBlock, type DenseMLPBlockOptions } from './dense_mlp_block.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { Flatten } from './flatten.js';
export { type HookHandle, registerGradHook } from './grad_hook.js';
export { LayerNorm, type LayerNormOptions } from './layer_norm.js';
export { Linear, type LinearOptions } from './linear.js';
export {
  type BufferOptions,
  type ForwardHook,
  type ForwardPreHook,
  type LoadStateDictOptions,
  type LoadStateDictResult,
  Module,
  type OutputGradHook,
  type StateDict,
} from './module.js';
export {
  AvgPool2d,
  type AvgPool2dLayerOptions,
  GlobalAvgPool2d,
  MaxPool2d,
  type MaxPool2dLayerOptions,
} from './pooling.js';
export {
  type ConvProjectionOptions,
  convProjection,
  linearProjection,
  Residual,
  type ResidualOptions,
} from './residual.js';
export { Sequential } from './sequential.js';
export { type ModelSummary, type SummaryLayer, type SummaryOptions, summary } from './summary.js';
export { formatSummary } from './summary_table.js';
