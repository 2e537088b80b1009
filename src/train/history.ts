/**
 * What `fit` returns: one `EpochLogs` per epoch, the loss and lr of every optimizer step, the
 * structured warnings of the guards, and why training stopped. Plain data: `toJSON()` gives an object
 * that survives `JSON.stringify` (NaN and ±Infinity are written as the strings "NaN", "Infinity",
 * "-Infinity" and read back by `History.fromJSON`), which is how a training state carries it.
 *
 * @example
 * const history = fit(model, data, { optimizer, loss: 'crossEntropy', epochs: 5 });
 * history.series('valAccuracy'); // one number per epoch
 * history.warnings;              // e.g. [{ kind: 'divergence', message: 'loss became NaN at …' }]
 */
import type { CaptureStats } from '../capture/capture.js';
import type { EpochLogs, TrainingWarning } from './types.js';

export interface HistoryJSON {
  epochs: EpochLogs[];
  stepLosses: number[];
  stepLrs: number[];
  warnings: TrainingWarning[];
  stopReason: string | null;
}

export class History {
  /** One entry per completed epoch, in order. */
  readonly epochs: EpochLogs[] = [];
  /** The data loss of every optimizer step, across epochs. */
  readonly stepLosses: number[] = [];
  /** The learning rate every optimizer step used. */
  readonly stepLrs: number[] = [];
  /** Warnings from the divergence guard and the plateau detector, in order. */
  readonly warnings: TrainingWarning[] = [];
  /** Why training stopped before its last epoch (a callback's explanation), or null. */
  stopReason: string | null = null;
  /**
   * How this process ran the steps with `capture` on (null with `capture: false` and in a history read
   * back from JSON): traces, replays, eager steps, and `fallback`, the reason steps run eagerly (null
   * while they are captured). Not in `toJSON()`: it describes this process, not the training.
   */
  capture: CaptureStats | null = null;

  /** The values of one log key per epoch (`undefined` where an epoch lacks it). */
  series(key: string): (number | undefined)[] {
    return this.epochs.map((e) => e[key]);
  }

  /** The last epoch's logs, or undefined before the first. */
  get last(): EpochLogs | undefined {
    return this.epochs[this.epochs.length - 1];
  }

  /** Whether a callback stopped training (divergence, early stopping). */
  get stopped(): boolean {
    return this.stopReason !== null;
  }

  /**
   * The epoch (from 1) with the best value of `key`: the lowest for losses, the highest otherwise
   * (`mode` overrides); undefined when no epoch has a number there.
   */
  bestEpoch(key = 'valLoss', mode: 'min' | 'max' | 'auto' = 'auto'): number | undefined {
    const sign = (mode === 'auto' ? (/loss/i.test(key) ? 'min' : 'max') : mode) === 'min' ? 1 : -1;
    let best: EpochLogs | undefined;
    for (const e of this.epochs) {
      const v = e[key];
      if (typeof v !== 'number' || Number.isNaN(v)) continue;
      if (best === undefined || sign * v < sign * best[key]!) best = e;
    }
    return best?.epoch;
  }

  toJSON(): HistoryJSON {
    return encodeNonFinite({
      epochs: this.epochs,
      stepLosses: this.stepLosses,
      stepLrs: this.stepLrs,
      warnings: this.warnings,
      stopReason: this.stopReason,
    }) as HistoryJSON;
  }

  static fromJSON(json: HistoryJSON): History {
    if (json === null || typeof json !== 'object' || !Array.isArray(json.epochs)) {
      throw new TypeError('History.fromJSON: expected the object written by history.toJSON()');
    }
    const decoded = decodeNonFinite(json) as HistoryJSON;
    const h = new History();
    h.epochs.push(...decoded.epochs.map((e) => ({ ...e })));
    h.stepLosses.push(...(decoded.stepLosses ?? []));
    h.stepLrs.push(...(decoded.stepLrs ?? []));
    h.warnings.push(...(decoded.warnings ?? []).map((w) => ({ ...w })));
    h.stopReason = decoded.stopReason ?? null;
    return h;
  }
}

const NON_FINITE: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Deep copy with NaN / ±Infinity replaced by "NaN" / "Infinity" / "-Infinity" (JSON has no such numbers). */
export function encodeNonFinite(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(encodeNonFinite);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeNonFinite(v)]));
  }
  return value;
}

/** The inverse of `encodeNonFinite`. */
export function decodeNonFinite(value: unknown): unknown {
  if (typeof value === 'string' && value in NON_FINITE) return NON_FINITE[value];
  if (Array.isArray(value)) return value.map(decodeNonFinite);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeNonFinite(v)]));
  }
  return value;
}
