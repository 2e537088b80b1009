/**
 * TFRecord framing (tensorflow/core/lib/io/record_writer.cc), the container of TensorBoard's event
 * files: each record is
 *
 *   uint64 length (little-endian) | uint32 maskedCrc32c(length bytes) | data | uint32 maskedCrc32c(data)
 *
 * so a reader can tell a torn last record (a run killed mid-write) from a good one.
 */
import { maskedCrc32c } from './crc32c.js';

/** `data` framed as one TFRecord (16 bytes of header and footer around it). */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length % 0x100000000, true);
  view.setUint32(4, Math.floor(data.length / 0x100000000), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}
