/**
 * The panel's computations, each a worker job run by the lab's `useJob` (a newer input cancels the
 * stale job): the catalog once, the figure when the surface or κ changes, the runs whenever any
 * setting changes.
 */
import type { LabWorker } from '../../worker/client';
import { useJob } from '../../worker/use_job';
import type { Catalog, Figure, FigureInput, RunsInput, RunsResult } from './types';

/** The catalog (surfaces, optimizers and their defaults), asked once of the worker. */
export function useCatalog(worker: LabWorker | undefined): {
  catalog: Catalog | undefined;
  error: string | null;
} {
  const job = useJob<Catalog>(worker, 'paths.catalog', null);
  return { catalog: job.result, error: job.error ?? null };
}

export interface PathsData {
  figure: Figure | undefined;
  runs: RunsResult | undefined;
  /** A worker error (not an optimizer refusing its options: those come per run). */
  error: string | null;
  /** Whether the figure and the runs shown are those of the current settings (tests wait for it). */
  fresh: boolean;
}

/** The figure and the runs for the current settings (undefined inputs: nothing to compute yet). */
export function usePaths(
  worker: LabWorker | undefined,
  figureInput: FigureInput | undefined,
  runsInput: RunsInput | undefined,
): PathsData {
  const figure = useJob<Figure>(worker, 'paths.figure', figureInput, { enabled: figureInput !== undefined });
  const runs = useJob<RunsResult>(worker, 'paths.run', runsInput, { enabled: runsInput !== undefined });
  return {
    figure: figure.result,
    runs: runs.result,
    error: figure.error ?? runs.error ?? null,
    fresh: figure.fresh && runs.fresh && runsInput !== undefined,
  };
}
