/** The playground panel's worker jobs (run inside the lab's Web Worker). */
import type { JobHandler } from '../../worker/protocol';

export const playgroundJobs: Record<string, JobHandler> = {};
