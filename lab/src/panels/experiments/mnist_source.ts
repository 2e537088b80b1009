/** The bundled MNIST subset for the experiments that train on images, as the CLI supplies `loadMnist()`. */
import { decodeMnistSubset } from 'descent';
import { mnistSubsetBytes } from '../../data/mnist_asset';

/** A loader as the experiments take it (`data: () => { train, test }`), the same digits and split as Node's. */
export async function mnistForExperiments(): Promise<() => ReturnType<typeof decodeMnistSubset>> {
  const bytes = await mnistSubsetBytes();
  let decoded: ReturnType<typeof decodeMnistSubset> | null = null;
  return () => (decoded ??= decodeMnistSubset(bytes));
}
