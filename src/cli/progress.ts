/**
 * How `descent train` shows progress: a live bar with ETA, loss, accuracy and samples/s on a terminal;
 * one plain line per epoch otherwise; JSON lines with --json (stdout carries only the JSON then).
 */
import { epochRecord, type FinalSummary, finalRecord } from '../run/records.js';
import type { ProgressEvent } from '../train/types.js';

export type { FinalSummary } from '../run/records.js';

export interface Reporter {
  onProgress(event: ProgressEvent): void;
  final(summary: FinalSummary): void;
  info(line: string): void;
}

// The plain lines name each number by its key in the --json records (run/records.ts): one set of
// names for the terminal and the JSON (checked by test/cli/metric_names.test.ts).
const fmt = (v: number | undefined, digits = 4): string =>
  v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits);

function epochLine(logs: Extract<ProgressEvent, { type: 'epoch' }>['logs'], epochs: number): string {
  const parts = [
    `epoch ${logs.epoch}/${epochs}`,
    `trainLoss ${fmt(logs.trainLoss)}`,
    `trainAccuracy ${fmt(logs.trainAccuracy)}`,
    logs.valLoss !== undefined ? `valLoss ${fmt(logs.valLoss)}` : '',
    logs.valAccuracy !== undefined ? `valAccuracy ${fmt(logs.valAccuracy)}` : '',
    `lr ${logs.lr.toPrecision(3)}`,
    `samplesPerSec ${Math.round(logs.samplesPerSec)}`,
    `${logs.seconds.toFixed(1)}s`,
  ];
  return parts.filter(Boolean).join('  ');
}

export function jsonReporter(out: (line: string) => void, err: (line: string) => void): Reporter {
  return {
    onProgress(e) {
      // The records the lab exports too (run/records.ts): one path, one schema.
      if (e.type === 'epoch') out(JSON.stringify(epochRecord(e.logs)));
      else if (e.type === 'warning') err(`warning: ${e.warning.message}`);
    },
    final(s) {
      out(JSON.stringify(finalRecord(s)));
    },
    info: err,
  };
}

export function plainReporter(out: (line: string) => void): Reporter {
  return {
    onProgress(e) {
      if (e.type === 'epoch') out(epochLine(e.logs, e.epochs));
      else if (e.type === 'warning') out(`warning: ${e.warning.message}`);
    },
    final(s) {
      out(
        `testLoss ${fmt(s.testLoss)}  testAccuracy ${fmt(s.testAccuracy)}  epochs ${s.epochs}  wallSeconds ${s.wallSeconds.toFixed(1)}  samplesPerSec ${Math.round(s.samplesPerSec)}`,
      );
    },
    info: out,
  };
}

/** A one-line bar redrawn in place (at most ten times a second), then the epoch's line. */
export function ttyReporter(stream: NodeJS.WriteStream): Reporter {
  const plain = plainReporter((line) => stream.write(`\r\x1b[2K${line}\n`));
  let lastDraw = 0;
  let epochStart = Date.now();
  let epochSeen = 0;
  return {
    onProgress(e) {
      if (e.type !== 'batch') {
        plain.onProgress(e);
        return;
      }
      const { logs, batches, epochs, samplesPerSec } = e;
      if (logs.epoch !== epochSeen) {
        epochSeen = logs.epoch;
        epochStart = Date.now();
      }
      const now = Date.now();
      if (now - lastDraw < 100 && batches !== undefined && logs.batch + 1 < batches) return;
      lastDraw = now;
      const done = logs.batch + 1;
      const width = 24;
      const frac = batches ? done / batches : 0;
      const bar = batches
        ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ${Math.round(frac * 100)}%`
        : `${done} batches`;
      const eta = batches && done > 0 ? ((now - epochStart) / 1000 / done) * (batches - done) : Number.NaN;
      stream.write(
        `\r\x1b[2Kepoch ${logs.epoch}/${epochs} ${bar}  loss ${fmt(logs.loss)}  lr ${logs.lr.toPrecision(3)}  ${Math.round(samplesPerSec)} samples/s  ETA ${Number.isFinite(eta) ? `${eta.toFixed(0)}s` : '-'}`,
      );
    },
    final: plain.final,
    info: plain.info,
  };
}
