/**
 * How `descent train` shows progress: a live bar with ETA, loss, accuracy and samples/s on a terminal;
 * one plain line per epoch otherwise; JSON lines with --json (stdout carries only the JSON then).
 */
import cliProgress from 'cli-progress';
import { epochRecord, type FinalSummary, finalRecord } from '../run/records.js';
import type { ProgressEvent } from '../train/types.js';

export type { FinalSummary } from '../run/records.js';

export interface Reporter {
  onProgress(event: ProgressEvent): void;
  final(summary: FinalSummary): void;
  info(line: string): void;
  /** Stops what still runs (the terminal bar's redraw timer, after an error mid-epoch); safe to call twice. */
  close(): void;
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

/**
 * The final line's speed: overall, then the steady state (epochs after the first) and the first
 * epoch's warm-up cost apart, `-` where fewer than two epochs ran (run/throughput.ts).
 */
function speedParts(s: FinalSummary): string {
  const steady = s.steadySamplesPerSec === null ? '-' : String(Math.round(s.steadySamplesPerSec));
  const warmup = s.warmupSeconds === null ? '-' : s.warmupSeconds.toFixed(2);
  return `samplesPerSec ${Math.round(s.samplesPerSec)}  steadySamplesPerSec ${steady}  warmupSeconds ${warmup}`;
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
    close() {},
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
        `testLoss ${fmt(s.testLoss)}  testAccuracy ${fmt(s.testAccuracy)}  epochs ${s.epochs}  wallSeconds ${s.wallSeconds.toFixed(1)}  ${speedParts(s)}`,
      );
    },
    info: out,
    close() {},
  };
}

/**
 * A one-line bar redrawn in place by cli-progress (its ETA, throttled redraws, trimmed to the
 * terminal's width), then the epoch's line. The CLI trains through async reads, so the event loop
 * runs during an epoch and cli-progress's timer redraws the bar between the trainer's reads (its
 * batch events come in blocks, every `logEvery` steps). The bar is stopped at each epoch's end and by
 * `close()`, which the command calls on every way out, so that after an error mid-epoch its timer
 * does not keep the process alive.
 */
export function ttyReporter(stream: NodeJS.WriteStream): Reporter {
  const plain = plainReporter((line) => stream.write(`\r\x1b[2K${line}\n`));
  let bar: cliProgress.SingleBar | null = null;
  let epochShown = 0;
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  return {
    onProgress(e) {
      if (e.type !== 'batch') {
        stop();
        plain.onProgress(e);
        return;
      }
      const { logs, batches, epochs, samplesPerSec } = e;
      const payload = { loss: fmt(logs.loss), lr: logs.lr.toPrecision(3), speed: Math.round(samplesPerSec) };
      if (bar === null || logs.epoch !== epochShown) {
        stop();
        epochShown = logs.epoch;
        bar = epochBar(stream, `epoch ${logs.epoch}/${epochs}`, batches !== undefined);
        bar.start(batches ?? 0, logs.batch + 1, payload);
      } else {
        bar.update(logs.batch + 1, payload);
      }
    },
    final(summary) {
      stop();
      plain.final(summary);
    },
    info(line) {
      stop();
      plain.info(line);
    },
    close: stop,
  };
}

/** The bar of one epoch: with a percentage and ETA when the number of batches is known. */
function epochBar(stream: NodeJS.WriteStream, title: string, known: boolean): cliProgress.SingleBar {
  const stats = 'loss {loss}  lr {lr}  {speed} samples/s';
  return new cliProgress.SingleBar({
    stream,
    format: known
      ? `${title} [{bar}] {percentage}%  ${stats}  ETA {eta_formatted}`
      : `${title} {value} batches  ${stats}`,
    barsize: 24,
    barCompleteChar: '#',
    barIncompleteChar: '.',
    // Leave the terminal's modes alone (a crash must not leave the cursor hidden or wrapping off):
    // lines longer than the terminal are trimmed instead.
    hideCursor: null,
    linewrap: true,
    clearOnComplete: true,
    fps: 20,
    etaBuffer: 50,
  });
}
