/** The lecture's experiments: pure functions returning data, and presenters returning figures and text. */
export * from './init.js';
export * from './lr_sweep.js';
export * from './mlp_runs.js';
export * from './optimizers_2d.js';
export * from './optimizers_mnist.js';
export * from './types.js';
