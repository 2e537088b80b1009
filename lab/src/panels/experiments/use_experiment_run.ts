/**
 * Running an experiment in the panel's worker: the latest result (by experiment name, so switching
 * experiments never shows another one's figures), the error, whether a run is going and for how long.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RunningJob } from '../../worker/client';
import { useLabWorker } from '../../worker/use_lab_worker';

export interface ExperimentResult {
  name: string;
  data: unknown;
}

function useElapsed(running: boolean): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!running) return;
    const start = performance.now();
    setSeconds(0);
    const timer = setInterval(() => setSeconds((performance.now() - start) / 1000), 250);
    return () => clearInterval(timer);
  }, [running]);
  return seconds;
}

export function useExperimentRun() {
  const worker = useLabWorker();
  const [result, setResult] = useState<ExperimentResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const job = useRef<RunningJob<unknown> | null>(null);
  const elapsed = useElapsed(running);

  const run = (name: string, options: Record<string, unknown>) => {
    if (!worker) return;
    job.current?.cancel();
    setError(null);
    setRunning(true);
    const started = worker.run<unknown>('experiments.run', { name, options });
    job.current = started;
    started.result
      .then(
        (data) => setResult({ name, data }),
        (e: Error) => setError(e.message),
      )
      .finally(() => job.current === started && setRunning(false));
  };
  const cancel = () => {
    job.current?.cancel();
    job.current = null;
    setRunning(false);
  };
  return { ready: worker !== undefined, result, setResult, error, setError, running, elapsed, run, cancel };
}
