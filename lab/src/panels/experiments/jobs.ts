/**
 * The experiments panel's worker job: runs one of the library's experiments with the given options
 * (the bundled MNIST subset supplied to those that train on images, as the CLI does) and returns its
 * result, the same object `descent experiment <name> --json` prints.
 */
import { experiments } from 'descent';
import type { JobHandler } from '../../worker/protocol';
import { mnistForExperiments } from './mnist_source';

export interface RunExperimentInput {
  name: string;
  options: Record<string, unknown>;
}

async function runExperiment(input: RunExperimentInput): Promise<unknown> {
  const experiment = experiments.EXPERIMENTS.find((e) => e.name === input.name);
  if (!experiment)
    throw new Error(
      `unknown experiment ${JSON.stringify(input.name)}; accepted: ${experiments.EXPERIMENTS.map((e) => e.name).join(', ')}`,
    );
  const supplied = experiments.NEEDS_MNIST.has(input.name) ? { data: await mnistForExperiments() } : {};
  return experiment.run({ ...input.options, ...supplied });
}

export const experimentJobs: Record<string, JobHandler> = {
  'experiments.run': runExperiment as JobHandler,
};
