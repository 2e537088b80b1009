/**
 * The safetensors format (Hugging Face, https://github.com/huggingface/safetensors), bytes ↔ tensors.
 * Browser-safe: no Node imports; `checkpoint.ts` adds the files.
 *
 * Layout of a file:
 *
 *     [8 bytes]  N, the header length, an unsigned 64-bit little-endian integer
 *     [N bytes]  the header: UTF-8 JSON
 *                { "<name>": { "dtype": "F32", "shape": [8, 4], "data_offsets": [begin, end] }, …,
 *                  "__metadata__": { "<key>": "<string value>", … } }          (metadata optional)
 *     [rest]     the data: each tensor's elements row-major, little-endian, at
 *                [begin, end) counted from the start of the data section
 *
 * Writing follows the reference writer: the header is padded with spaces so that the data starts at
 * a multiple of 8 bytes, and tensors are laid out by decreasing element size (F64 before F32/I32), so
 * every tensor is naturally aligned. Header keys keep the caller's order (state-dict order).
 *
 * Reading accepts, and converts as stated (descent has float32, float64 and int32):
 *
 * | stored | becomes | rule |
 * | --- | --- | --- |
 * | F32, F64, I32 | float32, float64, int32 | exact |
 * | F16, BF16 | float32 | exact (every half/bfloat16 value is a float32) |
 * | I64, U64, U32 | int32 | exact; a value outside [−2³¹, 2³¹ − 1] is an error (PyTorch's `num_batches_tracked` is I64) |
 * | I16, U16, I8, U8 | int32 | exact |
 * | BOOL | int32 | 0 or 1 |
 *
 * F64 tensors need a backend that supports float64 (the reference backend does). Other dtypes
 * (F8_E4M3, F8_E5M2, …) are rejected with an error naming them.
 *
 * The reader validates everything the reference implementation does and names the source and the
 * problem: a file shorter than 8 bytes, a header length beyond the file, a header that is not a JSON
 * object, entries without a known dtype, a valid shape or two offsets, offsets out of range,
 * overlapping, leaving holes or not covering the data section, and a byte size that does not match
 * the shape. Every such problem is a `FormatError` (src/io/format_error.ts), raised before anything is
 * allocated for the data; `test/io/fuzz_safetensors.test.ts` holds the reader to that.
 *
 * @example
 * const bytes = serializeSafetensors(model.stateDict(), { format: 'pt' });
 * const { tensors, metadata } = parseSafetensors(bytes, 'model.safetensors');
 * model.loadStateDict(tensors);
 */
import { getBackend } from '../backend/registry.js';
import { allocTyped, type DType, type TypedArray } from '../tensor/dtype.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Storage } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { FormatError } from './format_error.js';

/** The dtypes descent reads; writing produces only F32, F64 and I32. */
export type SafetensorsDType =
  | 'F64'
  | 'F32'
  | 'F16'
  | 'BF16'
  | 'I64'
  | 'I32'
  | 'I16'
  | 'I8'
  | 'U64'
  | 'U32'
  | 'U16'
  | 'U8'
  | 'BOOL';

const ITEM_SIZE: Record<SafetensorsDType, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
};

/** The descent dtype each stored dtype is read as. */
const READ_AS: Record<SafetensorsDType, DType> = {
  F64: 'float64',
  F32: 'float32',
  F16: 'float32',
  BF16: 'float32',
  I64: 'int32',
  I32: 'int32',
  I16: 'int32',
  I8: 'int32',
  U64: 'int32',
  U32: 'int32',
  U16: 'int32',
  U8: 'int32',
  BOOL: 'int32',
};

const WRITE_AS: Record<DType, SafetensorsDType> = { float32: 'F32', float64: 'F64', int32: 'I32' };

/** The reference implementation's limit on the header size (100 MB). */
const MAX_HEADER = 100_000_000;
const METADATA_KEY = '__metadata__';
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface ParsedSafetensors {
  /** The tensors by name, in the header's order, on the current backend. */
  tensors: Map<string, Tensor>;
  /** The `__metadata__` strings (empty when the file has none). */
  metadata: Record<string, string>;
}

/** The tensors to write: a state dict (Map) or a record of tensors. */
export type NamedTensors = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

// ------------------------------------------------------------------ writing

/**
 * Encodes `tensors` (a state dict or a record, any layout or backend) and optional string `metadata`
 * as a safetensors file. float32, float64 and int32 are stored as F32, F64 and I32.
 *
 * Divergence from PyTorch's writers: integer tensors are I32 (PyTorch writes its int64 counters as
 * I64); PyTorch's `load_state_dict` converts them back when it copies.
 */
export function serializeSafetensors(
  tensors: NamedTensors,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const arrays = new Map<string, ArrayTensor>();
  for (const [name, t] of namedEntries(tensors)) {
    arrays.set(name, { shape: [...t.shape], dtype: t.dtype, data: t.data() });
  }
  return encodeSafetensors(arrays, metadata);
}

/**
 * `serializeSafetensors` through async reads (`dataAsync`), one tensor at a time: works on every
 * backend, a GPU's included, whose tensors cannot be read synchronously. The bytes are the same.
 *
 * @example
 * const bytes = await serializeSafetensorsAsync(model.stateDict(), { epoch: '3' });
 */
export async function serializeSafetensorsAsync(
  tensors: NamedTensors,
  metadata?: Readonly<Record<string, string>>,
): Promise<Uint8Array> {
  const arrays = new Map<string, ArrayTensor>();
  for (const [name, t] of namedEntries(tensors)) {
    arrays.set(name, { shape: [...t.shape], dtype: t.dtype, data: await t.dataAsync() });
  }
  return encodeSafetensors(arrays, metadata);
}

/** A tensor as plain data: what `encodeSafetensors` writes and `decodeSafetensors` returns. */
export interface ArrayTensor {
  shape: number[];
  dtype: DType;
  /** The elements, row-major; its length is the product of `shape`. */
  data: TypedArray;
}

/**
 * Like `serializeSafetensors`, from typed arrays instead of tensors: no backend memory is touched
 * (training states write optimizer moments this way).
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, ArrayTensor>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) header[METADATA_KEY] = checkedMetadata(metadata);
  const entries = [...tensors.entries()];
  for (const [name, t] of entries) checkArrayTensor(name, t);
  // Lay the data out by decreasing item size (stable), so every tensor is naturally aligned.
  const order = entries
    .map(([name, t], i) => ({ name, t, i, item: ITEM_SIZE[WRITE_AS[t.dtype]] }))
    .sort((a, b) => b.item - a.item || a.i - b.i);
  const offsets = new Map<string, [number, number]>();
  let cursor = 0;
  for (const e of order) {
    const bytes = e.t.data.length * e.item;
    offsets.set(e.name, [cursor, cursor + bytes]);
    cursor += bytes;
  }
  for (const [name, t] of entries) {
    header[name] = { dtype: WRITE_AS[t.dtype], shape: [...t.shape], data_offsets: offsets.get(name) };
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil((8 + json.length) / 8) * 8 - 8;
  if (padded !== json.length) {
    const withSpaces = new Uint8Array(padded).fill(0x20);
    withSpaces.set(json);
    json = withSpaces;
  }
  const out = new Uint8Array(8 + json.length + cursor);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  const dataStart = 8 + json.length;
  for (const e of order) {
    const [begin] = offsets.get(e.name)!;
    writeLittleEndian(out, dataStart + begin, e.t.data);
  }
  return out;
}

function checkedMetadata(metadata: Readonly<Record<string, string>>): Record<string, string> {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new TypeError('serializeSafetensors: metadata must be a record of strings');
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') {
      throw new TypeError(
        `serializeSafetensors: metadata values must be strings (the format allows no other), but '${k}' is ${typeof v}`,
      );
    }
  }
  return { ...metadata };
}

function checkArrayTensor(name: string, t: ArrayTensor): void {
  if (typeof name !== 'string' || name === '' || name === METADATA_KEY) {
    throw new TypeError(
      `serializeSafetensors: tensor names must be non-empty strings other than '${METADATA_KEY}', got ${JSON.stringify(name)}`,
    );
  }
  if (!(t.dtype in WRITE_AS) || !ArrayBuffer.isView(t.data) || sizeOf(t.shape) !== t.data.length) {
    throw new TypeError(
      `serializeSafetensors: '${name}' must be { shape, dtype, data } with a float32, float64 or int32 typed array of ${formatShape(t.shape)} elements`,
    );
  }
}

function namedEntries(tensors: NamedTensors): [string, Tensor][] {
  if (tensors === null || typeof tensors !== 'object') {
    throw new TypeError(
      `serializeSafetensors: expected a Map or a record of tensors (e.g. model.stateDict()), got ${tensors === null ? 'null' : typeof tensors}`,
    );
  }
  const entries: [string, Tensor][] =
    tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors as Record<string, Tensor>);
  for (const [name, t] of entries) {
    if (typeof name !== 'string' || name === '' || name === METADATA_KEY) {
      throw new TypeError(
        `serializeSafetensors: tensor names must be non-empty strings other than '${METADATA_KEY}', got ${JSON.stringify(name)}`,
      );
    }
    if (!(t instanceof Tensor)) {
      throw new TypeError(`serializeSafetensors: the value of '${name}' is not a Tensor`);
    }
  }
  return entries;
}

function writeLittleEndian(out: Uint8Array, at: number, data: TypedArray): void {
  if (LITTLE_ENDIAN_HOST) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset);
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) view.setFloat32(at + i * size, data[i]!, true);
    else if (data instanceof Float64Array) view.setFloat64(at + i * size, data[i]!, true);
    else view.setInt32(at + i * size, data[i]!, true);
  }
}

// ------------------------------------------------------------------ reading

interface Entry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Decodes a safetensors file into tensors on the current backend (converted as in the table above)
 * and its metadata. `source` names the file in error messages (default `'<bytes>'`); every problem
 * with the bytes is a `FormatError`.
 */
export function parseSafetensors(bytes: Uint8Array, source = '<bytes>'): ParsedSafetensors {
  const decoded = decodeSafetensors(bytes, source);
  const backend = getBackend();
  const tensors = new Map<string, Tensor>();
  for (const [name, { shape, dtype, data }] of decoded.tensors) {
    if (!backend.supports(dtype)) {
      throw new FormatError(
        source,
        `safetensors: ${source}: tensor '${name}' is read as ${dtype}, which the ${backend.name} backend does not support`,
      );
    }
    const t = new Tensor(new Storage(backend, backend.allocate(dtype, data.length)), shape);
    if (data.length > 0) backend.write(t.storage.buffer, data);
    tensors.set(name, t);
  }
  return { tensors, metadata: decoded.metadata };
}

/** What `decodeSafetensors` returns: typed arrays instead of backend tensors. */
interface DecodedSafetensors {
  /** The tensors by name, in the header's order. */
  tensors: Map<string, ArrayTensor>;
  metadata: Record<string, string>;
  /** Where the data section starts in the bytes (8 + the header length). */
  dataStart: number;
}

/**
 * Like `parseSafetensors`, into typed arrays (no backend memory), with the same checks. Everything
 * is validated against the file's length before anything is allocated, so a header that claims a
 * 2⁴⁰-byte tensor costs nothing.
 */
export function decodeSafetensors(bytes: Uint8Array, source = '<bytes>'): DecodedSafetensors {
  const fail = (what: string): never => {
    throw new FormatError(source, `safetensors: ${source}: ${what}`);
  };
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`safetensors: ${source}: expected the file's bytes as a Uint8Array`);
  }
  const { header, dataStart } = readHeader(bytes, fail);
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      if (info === null || typeof info !== 'object' || Array.isArray(info))
        fail('__metadata__ is not an object');
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__ value '${k}' is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    entries.push(parseEntry(name, info, dataLength, fail));
  }
  checkTiling(entries, dataLength, fail);
  const tensors = new Map<string, ArrayTensor>();
  for (const e of entries) {
    const data = toTyped(e, bytes.subarray(dataStart + e.begin, dataStart + e.end), fail);
    tensors.set(e.name, { shape: e.shape, dtype: READ_AS[e.dtype], data });
  }
  return { tensors, metadata, dataStart };
}

/** The 8-byte length and the JSON header object, checked against the file's length. */
function readHeader(
  bytes: Uint8Array,
  fail: (what: string) => never,
): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.length < 8) {
    fail(`too short to be a safetensors file (${bytes.length} bytes; the 8-byte header length is missing)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8)) {
    fail(
      `the header length ${n} exceeds the ${bytes.length - 8} bytes after it (the file is truncated or not a safetensors file)`,
    );
  }
  const headerLength = Number(n);
  if (headerLength > MAX_HEADER) fail(`the header length ${headerLength} exceeds the 100 MB limit`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    text = fail('the header is not valid UTF-8 (not a safetensors file?)');
  }
  if (!text.startsWith('{'))
    fail(`the header is not a JSON object (it starts with ${JSON.stringify(text.slice(0, 16))})`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    header = fail(`the header is not valid JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    fail('the header is not a JSON object');
  return { header: header as Record<string, unknown>, dataStart: 8 + headerLength };
}

/** Offsets must tile the data section exactly: no overlap, no hole, nothing left over. */
function checkTiling(entries: readonly Entry[], dataLength: number, fail: (what: string) => never): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous = '';
  for (const e of sorted) {
    if (e.begin < covered) {
      fail(
        `tensor '${e.name}' (bytes [${e.begin}, ${e.end}]) overlaps tensor '${previous}' (ending at ${covered})`,
      );
    }
    if (e.begin > covered) fail(`bytes [${covered}, ${e.begin}] of the data section belong to no tensor`);
    covered = e.end;
    previous = e.name;
  }
  if (covered !== dataLength) {
    fail(`the tensors cover ${covered} bytes but the data section has ${dataLength} (trailing bytes)`);
  }
}

function parseEntry(name: string, info: unknown, dataLength: number, fail: (what: string) => never): Entry {
  if (info === null || typeof info !== 'object' || Array.isArray(info))
    fail(`the entry of '${name}' is not an object`);
  const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in ITEM_SIZE)) {
    fail(
      `tensor '${name}' has dtype ${JSON.stringify(dtype)}, which descent cannot read (supported: ${Object.keys(ITEM_SIZE).join(', ')})`,
    );
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`tensor '${name}' has shape ${JSON.stringify(shape)}; expected an array of non-negative integers`);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((d) => Number.isSafeInteger(d) && d >= 0) ||
    offsets[0] > offsets[1]
  ) {
    fail(
      `tensor '${name}' has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] with 0 ≤ begin ≤ end`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataLength) {
    fail(
      `tensor '${name}' has data_offsets [${begin}, ${end}] beyond the ${dataLength}-byte data section (the file may be truncated)`,
    );
  }
  const dt = dtype as SafetensorsDType;
  const expected = sizeOf(shape as number[]) * ITEM_SIZE[dt];
  if (end - begin !== expected) {
    fail(
      `tensor '${name}' of dtype ${dt} and shape ${formatShape(shape as number[])} needs ${expected} bytes, but its data_offsets span ${end - begin}`,
    );
  }
  return { name, dtype: dt, shape: shape as number[], begin, end };
}

function toTyped(e: Entry, raw: Uint8Array, fail: (what: string) => never): TypedArray {
  const dtype = READ_AS[e.dtype];
  const count = sizeOf(e.shape);
  let values: TypedArray;
  if (LITTLE_ENDIAN_HOST && (e.dtype === 'F32' || e.dtype === 'F64' || e.dtype === 'I32')) {
    // A fresh, aligned copy (not raw.slice(): on a Node Buffer that is a view, not a copy).
    const copy = new Uint8Array(raw);
    values =
      e.dtype === 'F32'
        ? new Float32Array(copy.buffer, 0, count)
        : e.dtype === 'F64'
          ? new Float64Array(copy.buffer, 0, count)
          : new Int32Array(copy.buffer, 0, count);
  } else {
    values = allocTyped(dtype, count);
    const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const size = ITEM_SIZE[e.dtype];
    for (let i = 0; i < count; i++) {
      const at = i * size;
      let x: number;
      switch (e.dtype) {
        case 'F64':
          x = v.getFloat64(at, true);
          break;
        case 'F32':
          x = v.getFloat32(at, true);
          break;
        case 'F16':
          x = halfToFloat(v.getUint16(at, true));
          break;
        case 'BF16':
          x = bfloat16ToFloat(v.getUint16(at, true));
          break;
        case 'I64':
        case 'U64': {
          const big = e.dtype === 'I64' ? v.getBigInt64(at, true) : v.getBigUint64(at, true);
          if (big < -2147483648n || big > 2147483647n) {
            fail(
              `tensor '${e.name}' (${e.dtype}) holds ${big} at element ${i}, outside the int32 range descent reads integers into`,
            );
          }
          x = Number(big);
          break;
        }
        case 'I32':
          x = v.getInt32(at, true);
          break;
        case 'U32':
          x = v.getUint32(at, true);
          if (x > 2147483647) {
            fail(
              `tensor '${e.name}' (U32) holds ${x} at element ${i}, outside the int32 range descent reads integers into`,
            );
          }
          break;
        case 'I16':
          x = v.getInt16(at, true);
          break;
        case 'U16':
          x = v.getUint16(at, true);
          break;
        case 'I8':
          x = v.getInt8(at);
          break;
        case 'U8':
          x = v.getUint8(at);
          break;
        case 'BOOL':
          x = v.getUint8(at) === 0 ? 0 : 1;
          break;
      }
      values[i] = x;
    }
  }
  return values;
}

/** IEEE 754 binary16 → number (exact). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** bfloat16 (the top half of a float32) → number (exact). */
export function bfloat16ToFloat(b: number): number {
  bf16View.setUint32(0, b << 16, false);
  return bf16View.getFloat32(0, false);
}

const bf16View = new DataView(new ArrayBuffer(4));
