/** The experiments panel's worker jobs (run inside the lab's Web Worker). */
import type { JobHandler } from '../../worker/protocol';

export const experimentJobs: Record<string, JobHandler> = {};
