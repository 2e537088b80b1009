/**
 * descent/node: the Node-only part of the library (files and processes). The browser-safe core is
 * the main entry point, `descent`; this module re-exports it, so Node programs can import either.
 */

export {
  closeWasmThreads,
  createThreadedWasmBackend,
  useWasmThreads,
  type WasmThreadsOptions,
} from './backend/wasm/threads_node.js';
export {
  type BlockingWebGpuBackend,
  type BlockingWebGpuOptions,
  createBlockingWebGpuBackend,
} from './backend/webgpu/node/blocking_backend.js';
export * from './data/node.js';
export * from './index.js';
export {
  type LoadModelOptions,
  loadModel,
  loadSafetensors,
  saveModel,
  saveSafetensors,
  writeFileAtomic,
} from './io/checkpoint.js';
export * from './report/index.js';
// CsvLogger and TensorBoardLogger here take a file (path, logDir) too; named exports win over the
// browser-safe ones that `export * from './index.js'` brings.
export {
  type CsvFileLoggerOptions,
  CsvLogger,
  loadTrainingState,
  ModelCheckpoint,
  type ModelCheckpointOptions,
  saveTrainingState,
  type TensorBoardFileLoggerOptions,
  TensorBoardLogger,
} from './train/node.js';
