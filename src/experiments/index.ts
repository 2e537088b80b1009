/** The lecture's experiments: pure functions returning data, and presenters returning figures and text. */
export * from './adam_then_sgd.js';
export * from './batchnorm.js';
export * from './bn_batch_size.js';
export * from './bn_placement.js';
export * from './depth.js';
export * from './dropout_ensemble.js';
export * from './dropout_ensemble_average.js';
export * from './init.js';
export * from './lr_sweep.js';
export * from './optimizers_2d.js';
export * from './optimizers_mnist.js';
export * from './overfitting.js';
export * from './pretraining.js';
export * from './registry.js';
export * from './train_test_data.js';
export * from './transfer.js';
export * from './types.js';
