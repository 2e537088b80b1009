/**
 * TensorBoard event records (src/io: crc32c, protobuf_writer, tfrecord, tfevents) read back by an
 * independent reader (tfevents_proto.ts: protobufjs with TensorFlow's schema, crc-32's CRC-32C).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c } from '../../src/io/crc32c.js';
import { ProtoWriter } from '../../src/io/protobuf_writer.js';
import {
  EVENT_FILE_VERSION,
  encodeEvent,
  eventFileName,
  eventRecord,
  fileVersionRecord,
  histogramOf,
} from '../../src/io/tfevents.js';
import { tfRecord } from '../../src/io/tfrecord.js';
import { decodeEvent, maskCrc, readEventFile, readRecords, referenceCrc32c } from './tfevents_proto.js';

const ascii = (s: string) => new TextEncoder().encode(s);
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

describe('CRC-32C', () => {
  it('gives the catalogue check value 0xE3069283 for "123456789", as crc-32 does', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(referenceCrc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('equals crc-32’s CRC-32C on any bytes, also chained over two parts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 50 }), (a, b) => {
        expect(crc32c(a)).toBe(referenceCrc32c(a));
        expect(crc32c(b, crc32c(a))).toBe(referenceCrc32c(concat([a, b])));
      }),
      { numRuns: 200 },
    );
  });

  it('masks as TensorFlow does: rotate right by 15 bits, add 0xa282ead8', () => {
    const bytes = ascii('123456789');
    expect(maskedCrc32c(bytes)).toBe(maskCrc(0xe3069283));
    expect(maskedCrc32c(bytes)).toBe(0xc78ab0e5); // computed by hand (Python) from 0xE3069283
  });
});

describe('TFRecord framing', () => {
  it('frames any payload as length, masked CRC of the length, data, masked CRC of the data', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 5 }), (payloads) => {
        const file = concat(payloads.map(tfRecord));
        expect(readRecords(file)).toEqual(payloads);
      }),
      { numRuns: 100 },
    );
  });

  it('a flipped bit in the data is caught by the reader’s CRC check', () => {
    const record = tfRecord(ascii('hello'));
    record[13]! ^= 1;
    expect(() => readRecords(record)).toThrow('bad data CRC at byte 0');
  });
});

describe('Event records decoded by protobufjs with TensorFlow’s schema', () => {
  it('the file-version event that starts a file', () => {
    const [event] = readEventFile(fileVersionRecord(1700000000.25));
    expect(event).toEqual({ wallTime: 1700000000.25, step: 0, fileVersion: 'brain.Event:2' });
    expect(EVENT_FILE_VERSION).toBe('brain.Event:2');
  });

  it('scalars: tags, float32 simple values, the step (also past 2³²) and the wall time', () => {
    const step = 2 ** 40 + 3;
    const event = decodeEvent(
      encodeEvent({
        wallTime: 12.5,
        step,
        values: [
          { tag: 'train/loss', simpleValue: 0.1 },
          { tag: 'epoch/valAccuracy', simpleValue: 0.875 },
          { tag: 'nan', simpleValue: Number.NaN },
        ],
      }),
    );
    expect(event.step).toBe(step);
    expect(event.wallTime).toBe(12.5);
    expect(event.summary!.value.map((v) => v.tag)).toEqual(['train/loss', 'epoch/valAccuracy', 'nan']);
    expect(event.summary!.value[0]!.simpleValue).toBe(Math.fround(0.1));
    expect(event.summary!.value[1]!.simpleValue).toBe(0.875);
    expect(event.summary!.value[2]!.simpleValue).toBeNaN();
  });

  it('histograms: min, max, num, sum, sum of squares, bucket limits and counts', () => {
    const values = [-1, -0.5, 0, 0, 0.25, 2, 2, 3];
    const histogram = histogramOf(values, 4)!;
    const [event] = readEventFile(
      eventRecord({ wallTime: 1, step: 7, values: [{ tag: 'weights/0.weight', histogram }] }),
    );
    const histo = event!.summary!.value[0]!.histo!;
    expect(event!.summary!.value[0]!.tag).toBe('weights/0.weight');
    expect(histo).toEqual({
      min: -1,
      max: 3,
      num: 8,
      sum: 5.75,
      sumSquares: 1 + 0.25 + 0.0625 + 4 + 4 + 9,
      bucketLimit: [0, 1, 2, 3],
      bucket: [2, 3, 0, 3],
    });
  });

  it('strings are UTF-8 and nested messages of any length get a multi-byte length', () => {
    const tag = `layer/${'δ'.repeat(100)}`;
    const event = decodeEvent(encodeEvent({ wallTime: 0, step: 1, values: [{ tag, simpleValue: 1 }] }));
    expect(event.summary!.value[0]!.tag).toBe(tag);
  });
});

describe('histogramOf', () => {
  it('counts every value once, with increasing bucket limits from min to max', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 40 }),
        (values, bins) => {
          const h = histogramOf(values, bins)!;
          expect(h.buckets.reduce((a, b) => a + b, 0)).toBe(values.length);
          expect(h.num).toBe(values.length);
          expect(h.bucketLimits.at(-1)).toBe(Math.max(...values));
          expect(h.min).toBe(Math.min(...values));
          for (let i = 1; i < h.bucketLimits.length; i++) {
            expect(h.bucketLimits[i]!).toBeGreaterThanOrEqual(h.bucketLimits[i - 1]!);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('equal values make one bucket; NaN, infinity or no values make no histogram', () => {
    expect(histogramOf([2, 2, 2], 10)).toMatchObject({ bucketLimits: [2], buckets: [3], min: 2, max: 2 });
    expect(histogramOf([1, Number.NaN])).toBeNull();
    expect(histogramOf([1, Number.POSITIVE_INFINITY])).toBeNull();
    expect(histogramOf([])).toBeNull();
  });
});

describe('ProtoWriter', () => {
  it('refuses a negative or fractional varint, naming the field', () => {
    expect(() => new ProtoWriter().varint(2, -1)).toThrow(
      'ProtoWriter: field 2 takes a non-negative safe integer, got -1',
    );
    expect(() => new ProtoWriter().varint(2, 1.5)).toThrow('got 1.5');
  });
});

it('event files are named as TensorFlow names them', () => {
  expect(eventFileName(1700000000.9, 'host-1')).toBe('events.out.tfevents.1700000000.host-1');
});
