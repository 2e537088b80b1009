/**
 * TensorBoard event records (browser-safe): the `Event` protocol buffer of TensorFlow's
 * tensorflow/core/util/event.proto with scalar and histogram summaries
 * (tensorflow/core/framework/summary.proto), each framed as a TFRecord (tfrecord.ts). A file of them
 * named `events.out.tfevents.<seconds>.<host>` is what TensorBoard reads from a log directory.
 *
 * The fields written, with TensorFlow's field numbers:
 *
 *   Event          { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5 }
 *   Summary        { repeated Value value = 1 }
 *   Summary.Value  { string tag = 1; float simple_value = 2; HistogramProto histo = 5 }
 *   HistogramProto { double min = 1, max = 2, num = 3, sum = 4, sum_squares = 5;
 *                    repeated double bucket_limit = 6 [packed]; repeated double bucket = 7 [packed] }
 *
 * A file starts with an Event holding only `file_version: "brain.Event:2"`. Scalars use the
 * TensorFlow 1 `simple_value` and histograms the `histo` field; TensorBoard migrates both to its
 * scalar and histogram dashboards. Bucket i of a histogram covers [bucket_limit[i−1], bucket_limit[i])
 * (the first from `min`, the last up to and including `max`), as TensorFlow's own Histogram::Add
 * counts a value equal to a limit in the bucket above it.
 */
import { ProtoWriter } from './protobuf_writer.js';
import { tfRecord } from './tfrecord.js';

/** The version string TensorBoard expects in a file's first event. */
export const EVENT_FILE_VERSION = 'brain.Event:2';

/** A histogram as TensorBoard's HistogramProto holds it. */
export interface HistogramSummary {
  min: number;
  max: number;
  /** Number of values. */
  num: number;
  sum: number;
  sumSquares: number;
  /** Right edge of each bucket, increasing; the last is `max`. */
  bucketLimits: number[];
  /** Values per bucket. */
  buckets: number[];
}

/** One tagged value of a summary: a scalar or a histogram. */
export type SummaryValue =
  | { tag: string; simpleValue: number }
  | { tag: string; histogram: HistogramSummary };

export interface TfEvent {
  /** Seconds since 1970 (fractional). */
  wallTime: number;
  /** The x axis of TensorBoard's charts: an optimizer step or an epoch. */
  step: number;
  /** Only in a file's first event: `EVENT_FILE_VERSION`. */
  fileVersion?: string;
  values?: readonly SummaryValue[];
}

/** The `Event` message's bytes (without framing). */
export function encodeEvent(event: TfEvent): Uint8Array {
  const w = new ProtoWriter().double(1, event.wallTime).varint(2, event.step);
  if (event.fileVersion !== undefined) w.string(3, event.fileVersion);
  if (event.values !== undefined && event.values.length > 0) {
    w.message(5, (summary) => {
      for (const value of event.values!) summary.message(1, (v) => encodeValue(v, value));
    });
  }
  return w.finish();
}

function encodeValue(w: ProtoWriter, value: SummaryValue): void {
  w.string(1, value.tag);
  if ('simpleValue' in value) {
    w.float(2, value.simpleValue);
    return;
  }
  const h = value.histogram;
  w.message(5, (p) =>
    p
      .double(1, h.min)
      .double(2, h.max)
      .double(3, h.num)
      .double(4, h.sum)
      .double(5, h.sumSquares)
      .packedDoubles(6, h.bucketLimits)
      .packedDoubles(7, h.buckets),
  );
}

/** One event framed as a TFRecord, ready to append to an event file. */
export function eventRecord(event: TfEvent): Uint8Array {
  return tfRecord(encodeEvent(event));
}

/** The record every event file starts with. */
export function fileVersionRecord(wallTime: number): Uint8Array {
  return eventRecord({ wallTime, step: 0, fileVersion: EVENT_FILE_VERSION });
}

/** The file name TensorFlow gives an event file: `events.out.tfevents.<whole seconds>.<host>`. */
export function eventFileName(wallTime: number, host: string): string {
  return `events.out.tfevents.${Math.floor(wallTime)}.${host}`;
}

/**
 * The histogram of `values` in `bins` equal-width buckets over [min, max], or null when there is
 * nothing TensorBoard could draw (no values, or a NaN or infinity among them: a diverged run).
 */
export function histogramOf(values: ArrayLike<number>, bins = 30): HistogramSummary | null {
  const n = values.length;
  if (n === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) return null;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
  }
  const count = min === max ? 1 : bins;
  const width = (max - min) / count;
  const buckets = new Array<number>(count).fill(0);
  for (let i = 0; i < n; i++) {
    buckets[Math.min(count - 1, Math.floor((values[i]! - min) / width) || 0)]! += 1;
  }
  // min(max, …): with subnormal widths the rounded edges could pass max and stop increasing
  const bucketLimits = Array.from({ length: count }, (_, k) =>
    k === count - 1 ? max : Math.min(max, min + (k + 1) * width),
  );
  return { min, max, num: n, sum, sumSquares, bucketLimits, buckets };
}
