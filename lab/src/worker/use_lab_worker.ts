/** One LabWorker per panel, made on mount and terminated on unmount; reports its backend to the footer. */
import { useEffect, useState } from 'preact/hooks';
import { reportBackend } from '../state/backend_status';
import { LabWorker } from './client';

export function useLabWorker(): LabWorker | undefined {
  const [worker, setWorker] = useState<LabWorker>();
  useEffect(() => {
    const w = new LabWorker();
    const stop = w.onBackend(reportBackend);
    setWorker(w);
    return () => {
      stop();
      w.terminate();
    };
  }, []);
  return worker;
}
