/**
 * `useJob(worker, kind, input, { enabled })`: runs a worker job whenever its input changes and keeps
 * the latest result. A newer input cancels the job still running for an older one, so dragging a
 * slider never queues stale work, and the result shown always belongs to the input shown.
 */
import { useEffect, useState } from 'preact/hooks';
import type { LabWorker } from './client';

export interface JobState<R, P> {
  result: R | undefined;
  /** The job's error message, when it failed. */
  error: string | undefined;
  running: boolean;
  /** The latest progress message of the running job. */
  progress: P | undefined;
  /** Whether `result` (or `error`) belongs to the current input (false while a newer one computes). */
  fresh: boolean;
}

interface Held<R, P> extends Omit<JobState<R, P>, 'fresh'> {
  /** The input the result or error belongs to, as JSON. */
  key: string | undefined;
}

/** Debounce in ms: slider drags send many inputs a second; only the last one needs computing. */
const SETTLE_MS = 60;

export function useJob<R, P = unknown>(
  worker: LabWorker | undefined,
  kind: string,
  input: unknown,
  options: { enabled?: boolean; onProgress?: (data: P) => void } = {},
): JobState<R, P> {
  const [state, setState] = useState<Held<R, P>>({
    result: undefined,
    error: undefined,
    running: false,
    progress: undefined,
    key: undefined,
  });
  const key = JSON.stringify(input);
  const enabled = options.enabled ?? true;
  useEffect(() => {
    if (!worker || !enabled) return;
    let cancel = () => {};
    let live = true;
    const timer = setTimeout(() => {
      setState((s) => ({ ...s, running: true, error: undefined, progress: undefined }));
      const job = worker.run<R, P>(kind, input, {
        onProgress: (progress) => {
          if (live) setState((s) => ({ ...s, progress }));
          options.onProgress?.(progress);
        },
      });
      cancel = job.cancel;
      job.result.then(
        (result) => live && setState({ result, error: undefined, running: false, progress: undefined, key }),
        (error: Error) =>
          live &&
          setState({ result: undefined, error: error.message, running: false, progress: undefined, key }),
      );
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
      cancel();
    };
  }, [worker, kind, key, enabled]);
  const { key: heldKey, ...rest } = state;
  return { ...rest, fresh: heldKey === key && !state.running };
}
