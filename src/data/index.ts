/**
 * Data (browser-safe part): datasets in typed arrays, seeded splits, the DataLoader, feature
 * transforms, IDX and CSV parsing from bytes and text, and synthetic 2-D sets. The file readers and the
 * bundled MNIST / Fashion-MNIST loaders are Node-only, in `./node.ts` (exported from `descent/node`).
 */
export { type CsvOptions, parseCsv } from './csv.js';
export { concatDatasets, TensorDataset, type TensorDatasetOptions } from './dataset.js';
export {
  encodeIdx,
  type IdxArray,
  type IdxDatasetOptions,
  type IdxDType,
  idxToDataset,
  parseIdx,
} from './idx.js';
export {
  DataLoader,
  type DataLoaderOptions,
  type IterateOptions,
  type LoaderBatch,
} from './loader.js';
export { epochGenerator, epochPermutation, shuffledIndices, shuffleInPlace } from './permutation.js';
export {
  type DatasetSplits,
  randomSplit,
  type SplitDatasetOptions,
  type SplitOptions,
  splitDataset,
  splitIndices,
} from './split.js';
export {
  type BlobsOptions,
  blobs,
  type CirclesOptions,
  circles,
  moons,
  type SpiralsOptions,
  type SyntheticName,
  type SyntheticOptions,
  spirals,
  syntheticDataset,
  syntheticNames,
  xor,
} from './synthetic.js';
export {
  ComposedTransform,
  composeTransforms,
  type Fittable,
  FlattenSamples,
  flattenSamples,
  minMaxScale,
  Normalize,
  normalize,
  oneHot,
  type StatisticsOver,
  scaleToUnit,
  standardize,
  Transform,
  type TransformFitOptions,
  type TransformJSON,
  transformFromJSON,
} from './transforms.js';
