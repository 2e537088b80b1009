/**
 * The messages between a panel and its Web Worker. A panel sends jobs; the worker answers each with
 * any number of progress messages and then exactly one `done` or `error`. A job can be cancelled.
 * Jobs are named by kind; each kind's handler lives next to its panel (`panels/<panel>/jobs.ts`)
 * and is listed in `worker/handlers.ts`.
 */

/** Page → worker. */
export type ToWorker =
  | { type: 'job'; id: number; kind: string; input: unknown }
  | { type: 'cancel'; id: number };

/** Worker → page. */
export type FromWorker =
  | { type: 'ready'; backend: BackendInfo }
  | { type: 'progress'; id: number; data: unknown }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'error'; id: number; message: string };

/** What the worker computes on, shown in the page's footer. */
export interface BackendInfo {
  /** 'wasm' normally; 'reference' only if WebAssembly could not start. */
  name: string;
  /** WebAssembly threads in use (1 when the page is not cross-origin isolated). */
  threads: number;
  /** Whether the page is cross-origin isolated (SharedArrayBuffer available). */
  isolated: boolean;
  /** Why threads are off, in English, when they are. */
  note?: string;
}

/** What a handler may do while it runs. */
export interface JobContext {
  /** Sends a progress message to the page. */
  progress(data: unknown): void;
  /** True once the page has cancelled this job; long handlers check it between epochs or steps. */
  cancelled(): boolean;
  /** Yields to the worker's event loop, so that a cancel message can arrive. */
  yield(): Promise<void>;
}

/** A job handler: input in, result out (JSON-able or structured-cloneable values). */
export type JobHandler = (input: never, ctx: JobContext) => unknown | Promise<unknown>;

/** Thrown by handlers (or by `ctx` helpers) when a job was cancelled; the page sees no error. */
export class JobCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelled';
  }
}
