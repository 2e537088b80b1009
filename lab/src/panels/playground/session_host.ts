/**
 * Worker side: the one training session of the playground, kept between jobs so that pause, step and
 * play continue the same run. Jobs run one after another (a queue): a job that arrives while an epoch
 * runs waits for it, so two jobs never train or replace the session at once.
 */
import {
  type EpochRecord,
  epochRecord,
  type FinalRecord,
  fashionRunData,
  finalRecord,
  mnistRunData,
  parseRunConfig,
  type RunConfig,
  type RunData,
  syntheticRunData,
  TrainingSession,
} from 'descent';
import { bundledSubsetBytes } from '../../data/mnist_asset';
import type { JobContext } from '../../worker/protocol';
import type {
  BatchProgress,
  ModelView,
  OpenInput,
  OpenResult,
  RunSamples,
  TrainInput,
  TrainResult,
} from './messages';
import { boundaryView, digitSamples, digitsView, planePoints } from './model_view';
import { isImageSet } from './settings';

interface Host {
  key: string;
  session: TrainingSession;
  samples: RunSamples;
  grid: number;
  /** Where batch progress goes: the job training now, if any. */
  onBatch: ((p: BatchProgress) => void) | null;
}

let host: Host | null = null;
let queue: Promise<unknown> = Promise.resolve();

/** Runs `job` after every job queued before it. */
export function exclusive<T>(job: () => Promise<T> | T): Promise<T> {
  const next = queue.then(job);
  queue = next.catch(() => undefined);
  return next;
}

const keyOf = (input: OpenInput) => JSON.stringify([input.config, input.dataOptions]);

/** Batch progress at most this often (a small 2-D epoch sends none: it ends sooner). */
const BATCH_PROGRESS_MS = 250;
/** Epoch progress (records and the model's view) at most this often, and after a job's last epoch. */
const EPOCH_PROGRESS_MS = 150;

/** The run's data as `descent train` loads it: a bundled image set, or a 2-D set drawn from the config. */
async function loadData(config: RunConfig, options: OpenInput['dataOptions']): Promise<RunData> {
  if (config.data === 'mnist') return mnistRunData(config, await bundledSubsetBytes('mnist'));
  if (config.data === 'fashion-mnist')
    return fashionRunData(config, await bundledSubsetBytes('fashion-mnist'));
  return syntheticRunData(config, options);
}

function viewOf(h: Host): ModelView {
  const { session, samples } = h;
  return samples.kind === 'plane'
    ? boundaryView(session.model, samples.window, h.grid)
    : digitsView(session.model, session.data.test);
}

/** A fresh session for `input.config`, replacing the one held. Bad settings throw the library's message. */
export async function openSession(input: OpenInput): Promise<OpenResult> {
  host = null;
  const config = parseRunConfig(input.config, { source: 'settings' });
  const data = await loadData(config, input.dataOptions);
  let lastBatch = 0;
  const h: Host = {
    key: keyOf(input),
    grid: input.grid,
    samples: isImageSet(config.data) ? digitSamples(data.test) : planePoints(data),
    onBatch: null,
    session: new TrainingSession({
      config,
      data,
      onProgress: (e) => {
        const now = performance.now();
        if (e.type !== 'batch' || !h.onBatch || now - lastBatch < BATCH_PROGRESS_MS) return;
        lastBatch = now;
        h.onBatch({ type: 'batch', epoch: e.logs.epoch, batch: e.logs.batch + 1, batches: e.batches ?? 0 });
      },
    }),
  };
  host = h;
  return { samples: h.samples, view: viewOf(h) };
}

const recordsOf = (session: TrainingSession): EpochRecord[] => session.history.epochs.map(epochRecord);

/** Where the held session stands: after a pause, the epoch that was under way has ended too. */
export function sessionState(): TrainResult & { view: ModelView | null } {
  if (host === null) return { records: [], final: null, diverged: null, view: null };
  return { ...resultOf(host.session), view: viewOf(host) };
}

function resultOf(session: TrainingSession): TrainResult {
  return {
    records: recordsOf(session),
    final: session.done ? finalOf(session) : null,
    diverged: session.divergence?.message ?? null,
  };
}

/**
 * The final record. A diverged run's names the checkpoint kept, as the CLI's does; the lab writes
 * none, so it is null (what the CLI prints for a run that diverged before its first checkpoint).
 */
function finalOf(session: TrainingSession): FinalRecord {
  const summary = session.summary();
  return finalRecord(summary.status === 'diverged' ? { ...summary, checkpointEpoch: null } : summary);
}

/**
 * Up to `input.epochs` more epochs, one at a time: after each, every record so far and the new view go
 * to the page, then the job yields (where a cancel, the page's pause, ends it). At the end of the run,
 * the final record (the test evaluation) as `descent train --json` prints it.
 */
export async function trainSession(input: TrainInput, ctx: JobContext): Promise<TrainResult> {
  if (host === null || host.key !== keyOf(input)) await openSession(input);
  const h = host!;
  const { session } = h;
  h.onBatch = (p) => ctx.progress(p);
  let sent = -Infinity;
  try {
    for (let n = 0; n < input.epochs && !session.done; n++) {
      session.runEpoch();
      const last = n + 1 === input.epochs || session.done;
      // Short epochs: the page is updated a few times a second, not per epoch (records are never lost:
      // each update carries them all), which keeps its main thread free and training fast.
      if (last || performance.now() - sent >= EPOCH_PROGRESS_MS) {
        ctx.progress({ type: 'epoch', records: recordsOf(session), view: viewOf(h) });
        sent = performance.now();
      }
      await ctx.yield();
    }
  } finally {
    h.onBatch = null;
  }
  return resultOf(session);
}
