/**
 * The backends every spec runs against. A new backend joins the whole suite by being added here;
 * gradient checks run on the reference backend only (float64 is required there, not elsewhere).
 */
import { type Backend, ReferenceBackend } from '../src/index.js';

export interface NamedBackend {
  name: string;
  backend: Backend;
}

export const backends: NamedBackend[] = [{ name: 'reference', backend: new ReferenceBackend() }];
