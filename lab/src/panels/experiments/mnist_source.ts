/** The bundled MNIST subset in the worker, for the experiments that train on images. */

/** A loader as the experiments take it (`data: () => TrainTest`); rejects with what is missing. */
export async function mnistForExperiments(): Promise<() => never> {
  throw new Error('the bundled MNIST subset is not available in the browser yet');
}
