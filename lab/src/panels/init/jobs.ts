/** The init panel's worker jobs (run inside the lab's Web Worker). */
import type { JobHandler } from '../../worker/protocol';

export const initJobs: Record<string, JobHandler> = {};
