/**
 * The page's side of a training run: opens a session in the worker whenever the settings change, and
 * plays (all remaining epochs), pauses, steps (one epoch) and resets (a fresh session, same settings).
 * The worker keeps the session between jobs, so pausing and stepping never copy a model back and forth.
 *
 * Pause cancels the training job; the worker stops after the epoch under way, whose record the page
 * then fetches (`playground.state`), so that what is shown (and exported) is what the session holds.
 */
import type { EpochRecord, FinalRecord, RunConfig } from 'descent';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { LabWorker, RunningJob } from '../../worker/client';
import type {
  ModelView,
  OpenInput,
  OpenResult,
  RunSamples,
  TrainInput,
  TrainProgress,
  TrainResult,
} from './messages';

export type RunStatus =
  | 'opening'
  | 'idle'
  | 'running'
  /** Paused by the page; the epoch under way in the worker is still ending. */
  | 'pausing'
  | 'paused'
  | 'finished'
  | 'diverged'
  | 'error';

export interface TrainingRun {
  status: RunStatus;
  /** The settings (as JSON) of the session this run shows. */
  key: string | null;
  samples: RunSamples | null;
  view: ModelView | null;
  records: EpochRecord[];
  final: FinalRecord | null;
  /** The divergence guard's message, or the library's refusal of the settings, or a worker failure. */
  message: string | null;
  /** Within a long epoch: batches done of how many. */
  batch: { epoch: number; batch: number; batches: number } | null;
}

const GRID = 64;
const EMPTY: TrainingRun = {
  status: 'opening',
  key: null,
  samples: null,
  view: null,
  records: [],
  final: null,
  message: null,
  batch: null,
};

export interface TrainingControls {
  run: TrainingRun;
  play(): void;
  pause(): void;
  step(): void;
  reset(): void;
}

/** The status a training job's result leaves the run in. */
function settled(r: TrainingRun, result: TrainResult): TrainingRun {
  const status = result.diverged ? 'diverged' : result.final ? 'finished' : 'paused';
  return {
    ...r,
    records: result.records,
    final: result.final,
    batch: null,
    status,
    message: result.diverged,
  };
}

/** What a session is opened from: the run configuration and the lab-only data options. */
export interface RunSetup {
  config: Partial<RunConfig>;
  dataOptions: OpenInput['dataOptions'];
}

export function useTraining(worker: LabWorker | undefined, setup: RunSetup): TrainingControls {
  const [run, setRun] = useState<TrainingRun>(EMPTY);
  /** The job whose answers the page listens to; any other job's answers are stale. */
  const job = useRef<RunningJob<unknown> | null>(null);
  const key = JSON.stringify(setup);

  /** Sends a job that replaces the current one; `apply` only runs while it is still the current one. */
  const send = useCallback(
    <R, P = never>(kind: string, input: unknown, apply: (r: R) => void, onProgress?: (p: P) => void) => {
      if (!worker) return;
      job.current?.cancel();
      const running = worker.run<R, P>(kind, input, onProgress ? { onProgress } : {});
      job.current = running;
      running.result.then(
        (result) => {
          if (job.current !== running) return;
          job.current = null;
          apply(result);
        },
        (error: Error) => {
          if (job.current !== running) return;
          job.current = null;
          setRun((r) => ({ ...r, status: 'error', message: error.message, batch: null }));
        },
      );
    },
    [worker],
  );

  const open = useCallback(() => {
    setRun(EMPTY);
    const input: OpenInput = { ...setup, grid: GRID };
    send<OpenResult>('playground.open', input, (r) =>
      setRun({ ...EMPTY, status: 'idle', key, samples: r.samples, view: r.view }),
    );
  }, [send, key]);

  useEffect(() => {
    open();
    return () => job.current?.cancel();
  }, [open]);

  const train = useCallback(
    (epochs: number) => {
      const input: TrainInput = { ...setup, grid: GRID, epochs };
      setRun((r) => ({ ...r, status: 'running', message: null }));
      send<TrainResult, TrainProgress>(
        'playground.train',
        input,
        (result) => setRun((r) => settled(r, result)),
        (p) =>
          setRun((r) =>
            p.type === 'epoch' ? { ...r, records: p.records, view: p.view, batch: null } : { ...r, batch: p },
          ),
      );
    },
    [send, key],
  );

  const pause = useCallback(() => {
    setRun((r) => ({ ...r, status: 'pausing', batch: null }));
    send<TrainResult & { view: ModelView | null }>('playground.state', null, (state) =>
      setRun((r) => ({ ...settled(r, state), view: state.view ?? r.view })),
    );
  }, [send]);

  return {
    // Until the session of the settings on screen is open, the run shown is another's: not playable.
    run: run.key === key ? run : { ...run, status: run.status === 'error' ? 'error' : 'opening' },
    play: () => train(Number.MAX_SAFE_INTEGER),
    pause,
    step: () => train(1),
    reset: open,
  };
}
