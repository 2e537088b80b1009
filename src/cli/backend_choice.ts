/** `--backend`: which backend the CLI's tensors live on. */

import { ReferenceBackend } from '../backend/reference/reference_backend.js';
import { getBackend, setBackend } from '../backend/registry.js';
import { UsageError } from './run_config.js';

export function selectBackend(name: 'reference' | 'wasm' | undefined): void {
  if (name === undefined || name === getBackend().name) return;
  if (name === 'reference') {
    setBackend(new ReferenceBackend());
    return;
  }
  throw new UsageError(`--backend ${name}: this build has no ${name} backend; accepted: reference`);
}
