/** The lr panel's worker jobs (run inside the lab's Web Worker); each calls descent's public API only. */
import type { JobHandler } from '../../worker/protocol';
import { rangeJob } from './range_job';
import { schedulesJob } from './schedules_job';
import { surfaceJob } from './surface_job';
import { trainJob } from './train_job';

export const lrJobs: Record<string, JobHandler> = {
  'lr.surface': surfaceJob as JobHandler,
  'lr.schedules': schedulesJob as JobHandler,
  'lr.train': trainJob as JobHandler,
  'lr.find': rangeJob as JobHandler,
};
