/** The backend the workers report, for the footer ("WebAssembly, 2 threads"). */
import { useEffect, useState } from 'preact/hooks';
import type { BackendInfo } from '../worker/protocol';

let current: BackendInfo | undefined;
const listeners = new Set<(info: BackendInfo) => void>();

export function reportBackend(info: BackendInfo): void {
  current = info;
  for (const listener of listeners) listener(info);
}

export function useBackendStatus(): BackendInfo | undefined {
  const [info, setInfo] = useState(current);
  useEffect(() => {
    listeners.add(setInfo);
    return () => void listeners.delete(setInfo);
  }, []);
  return info;
}
