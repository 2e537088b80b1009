/** The lr panel's worker jobs (run inside the lab's Web Worker). */
import type { JobHandler } from '../../worker/protocol';

export const lrJobs: Record<string, JobHandler> = {};
