/**
 * An independent reader of TensorBoard event files for the tests: TFRecord framing checked with the
 * `crc-32` package's CRC-32C (not src/io/crc32c.ts), and the Event message decoded by protobufjs from
 * the .proto definitions below, transcribed from TensorFlow's published schema
 * (tensorflow/core/util/event.proto, tensorflow/core/framework/summary.proto; only the fields descent
 * writes, with TensorFlow's field numbers and types).
 */
import CRC32C from 'crc-32/crc32c';
import protobuf from 'protobufjs';

const SCHEMA = `
syntax = "proto3";
package tensorflow;

message HistogramProto {
  double min = 1;
  double max = 2;
  double num = 3;
  double sum = 4;
  double sum_squares = 5;
  repeated double bucket_limit = 6 [packed = true];
  repeated double bucket = 7 [packed = true];
}

message Summary {
  message Value {
    string node_name = 7;
    string tag = 1;
    oneof value {
      float simple_value = 2;
      bytes obsolete_old_style_histogram = 3;
      HistogramProto histo = 5;
    }
  }
  repeated Value value = 1;
}

message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    bytes graph_def = 4;
    Summary summary = 5;
  }
}
`;

const EventType = protobuf.parse(SCHEMA).root.lookupType('tensorflow.Event');

export interface DecodedHistogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

export interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  summary?: { value: { tag: string; simpleValue?: number; histo?: DecodedHistogram }[] };
}

/** TensorFlow's mask of a CRC, written out again here: rotate right 15, add 0xa282ead8. */
export function maskCrc(crc: number): number {
  const c = crc >>> 0;
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

/** CRC-32C by the crc-32 package (it returns a signed 32-bit integer). */
export function referenceCrc32c(bytes: Uint8Array): number {
  return CRC32C.buf(bytes) >>> 0;
}

/** The records of an event file, each checked (lengths and both masked CRCs); throws on a bad one. */
export function readRecords(file: Uint8Array): Uint8Array[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const records: Uint8Array[] = [];
  let at = 0;
  while (at < file.length) {
    if (at + 12 > file.length) throw new Error(`truncated header at byte ${at}`);
    const length = view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
    if (view.getUint32(at + 8, true) !== maskCrc(referenceCrc32c(file.subarray(at, at + 8)))) {
      throw new Error(`bad length CRC at byte ${at}`);
    }
    const data = file.subarray(at + 12, at + 12 + length);
    if (data.length !== length || at + 16 + length > file.length)
      throw new Error(`truncated record at ${at}`);
    if (view.getUint32(at + 12 + length, true) !== maskCrc(referenceCrc32c(data))) {
      throw new Error(`bad data CRC at byte ${at}`);
    }
    records.push(data);
    at += 16 + length;
  }
  return records;
}

/** One Event message decoded by protobufjs (int64 as a number, repeated fields as arrays). */
export function decodeEvent(data: Uint8Array): DecodedEvent {
  // defaults: proto3 leaves out a field at its default (step 0, a histogram's min 0); show it as 0
  return EventType.toObject(EventType.decode(data), { longs: Number, defaults: true }) as DecodedEvent;
}

/** Every event of a file, framing checked. */
export function readEventFile(file: Uint8Array): DecodedEvent[] {
  return readRecords(file).map(decodeEvent);
}
