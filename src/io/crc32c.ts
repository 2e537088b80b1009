/**
 * CRC-32C (Castagnoli: the reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF),
 * the checksum of TFRecord files, and the "masked" form TensorFlow stores in them.
 *
 * Why a second CRC next to crc32.ts: TFRecord framing (TensorBoard's event files) is defined with
 * CRC-32C, not zip's CRC-32; the two differ only in the polynomial. Event files are small (scalars and
 * histograms), so one table lookup per byte is enough; no slicing.
 *
 * @example
 * crc32c(new TextEncoder().encode('123456789')); // 0xe3069283 (the catalogue's check value)
 */

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** The CRC-32C of `bytes`, continuing from `previous` (the CRC of what came before; 0 to start). */
export function crc32c(bytes: Uint8Array, previous = 0): number {
  let crc = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]!) & 0xff]!;
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * TensorFlow's masked CRC (tensorflow/core/lib/hash/crc32c.h, `Mask`): rotate right by 15 bits and add
 * 0xa282ead8. Masking keeps a CRC stored inside data that is itself checksummed from being degenerate.
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}
