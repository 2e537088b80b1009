/** Every job kind the worker knows, by panel. Each panel's jobs live in `panels/<panel>/jobs.ts`. */
import { experimentJobs } from '../panels/experiments/jobs';
import { initJobs } from '../panels/init/jobs';
import { lrJobs } from '../panels/lr/jobs';
import { pathsJobs } from '../panels/paths/jobs';
import { playgroundJobs } from '../panels/playground/jobs';
import type { JobHandler } from './protocol';

export const handlers: Record<string, JobHandler> = {
  ...pathsJobs,
  ...lrJobs,
  ...initJobs,
  ...playgroundJobs,
  ...experimentJobs,
};
