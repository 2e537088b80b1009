/** The playground panel's worker jobs (run inside the lab's Web Worker); see session_host.ts. */
import type { JobContext, JobHandler } from '../../worker/protocol';
import type { OpenInput, TrainInput } from './messages';
import { exclusive, openSession, sessionState, trainSession } from './session_host';

export const playgroundJobs: Record<string, JobHandler> = {
  'playground.open': (input: OpenInput) => exclusive(() => openSession(input)),
  'playground.state': () => exclusive(sessionState),
  'playground.train': (input: TrainInput, ctx: JobContext) => exclusive(() => trainSession(input, ctx)),
};
