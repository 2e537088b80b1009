/**
 * A minimal Protocol Buffers encoder (the wire format of protobuf.dev/programming-guides/encoding):
 * just what TensorBoard's `Event` messages need — varints, 32- and 64-bit floats, strings, nested
 * messages and packed repeated doubles. Writing it by hand keeps a runtime dependency out for a few
 * dozen lines; the tests decode its output with protobufjs, an independent implementation.
 *
 * Each field is written as a key, (fieldNumber << 3) | wireType, then its value: wire type 0 is a
 * varint (7 bits per byte, low groups first, high bit set on all but the last byte), 1 a little-endian
 * 64-bit value, 2 a varint length followed by that many bytes, 5 a little-endian 32-bit value.
 *
 * @example
 * const w = new ProtoWriter();
 * w.double(1, 1.5).string(3, 'brain.Event:2');
 * w.finish(); // Uint8Array of the encoded message
 */

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

const utf8 = new TextEncoder();

export class ProtoWriter {
  private bytes = new Uint8Array(64);
  private length = 0;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  /** A non-negative integer (int64, uint64, int32 ≥ 0) up to 2⁵³ as a varint field. */
  varint(field: number, value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`ProtoWriter: field ${field} takes a non-negative safe integer, got ${value}`);
    }
    this.key(field, VARINT);
    this.rawVarint(value);
    return this;
  }

  /** A `double` field (wire type 1). */
  double(field: number, value: number): this {
    this.key(field, FIXED64);
    this.scratch.setFloat64(0, value, true);
    this.push(new Uint8Array(this.scratch.buffer, 0, 8));
    return this;
  }

  /** A `float` field (wire type 5): the value rounded to float32. */
  float(field: number, value: number): this {
    this.key(field, FIXED32);
    this.scratch.setFloat32(0, value, true);
    this.push(new Uint8Array(this.scratch.buffer, 0, 4));
    return this;
  }

  /** A `string` field, UTF-8 encoded. */
  string(field: number, value: string): this {
    return this.bytesField(field, utf8.encode(value));
  }

  /** A `bytes` field, or an embedded message given as its encoding. */
  bytesField(field: number, value: Uint8Array): this {
    this.key(field, LENGTH_DELIMITED);
    this.rawVarint(value.length);
    this.push(value);
    return this;
  }

  /** An embedded message, written by `fill` into a fresh writer. */
  message(field: number, fill: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    fill(inner);
    return this.bytesField(field, inner.finish());
  }

  /** A packed `repeated double` field: one length-delimited run of little-endian doubles. */
  packedDoubles(field: number, values: ArrayLike<number>): this {
    const run = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) run[i] = values[i]!;
    const bytes = new Uint8Array(run.length * 8);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < run.length; i++) view.setFloat64(8 * i, run[i]!, true);
    return this.bytesField(field, bytes);
  }

  /** The encoded message (a copy; the writer can keep going). */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  private key(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  /** Division instead of shifts: JavaScript's bit operators stop at 32 bits, steps go past 2³². */
  private rawVarint(value: number): void {
    let v = value;
    const out: number[] = [];
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
    this.push(out);
  }

  private push(chunk: ArrayLike<number>): void {
    if (this.length + chunk.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.length + chunk.length));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.bytes.set(chunk, this.length);
    this.length += chunk.length;
  }
}
