/**
 * The init panel's worker jobs: which activations and initializations the library's `init` experiment
 * offers, and one run of it (`experiments.init.run`, whose result is what `descent experiment init
 * --activation … --init … --json` prints for that single configuration).
 */
import { experiments } from 'descent';
import type { JobHandler } from '../../worker/protocol';

export interface InitChoices {
  activations: string[];
  inits: string[];
}

export interface InitJobInput {
  activation: string;
  init: string;
  batchNorm: boolean;
  layers: number;
  width: number;
  batch: number;
  seed: number;
}

export type InitJobResult = ReturnType<typeof experiments.init.run>;

export const initJobs: Record<string, JobHandler> = {
  'init.choices': (): InitChoices => ({
    activations: [...experiments.INIT_ACTIVATIONS],
    inits: [...experiments.INIT_CHOICES],
  }),
  'init.run': ((input: InitJobInput): InitJobResult =>
    experiments.init.run(input as Parameters<typeof experiments.init.run>[0])) as JobHandler,
};
