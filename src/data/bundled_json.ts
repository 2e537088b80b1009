/**
 * A fast, strict reader for the JSON files of the `mnist` and `fashion-mnist` packages, which hold
 * `{"data": […]}` with either one flat array of numbers (mnist: 784 per image, back to back) or an
 * array of arrays of numbers (fashion-mnist: one array of 784 per image). `JSON.parse` would build
 * millions of boxed numbers (seconds for Fashion-MNIST's 150 MB); this walks the bytes once and writes
 * one byte code per value, which is also the form the binary cache stores.
 *
 * Empty inner arrays are skipped and counted (fashion-mnist's `0.json` holds two). Anything else
 * unexpected — another structure, a row whose length is not `rowLength`, a value `encode` rejects —
 * is a `FormatError` naming the source and the byte offset (a damaged package is bad input: the
 * CLI's exit code 2, not an internal error).
 */
import { FormatError } from '../io/format_error.js';

export interface ScannedImages {
  /** One code per value, rowLength per image, images back to back. */
  codes: Uint8Array;
  images: number;
  /** Empty inner arrays that were skipped. */
  emptyRows: number;
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;

/** What `scanImagesJson` reads a file as. */
export interface ImagesJsonSpec {
  /** Values per image. */
  rowLength: number;
  /** The byte code of a value, or −1 when the format does not allow it. */
  encode: (value: number) => number;
  /** What the allowed values are, for the error about one that is not (e.g. '0–255'). */
  expected: string;
  /** Names the file in errors. */
  source: string;
}

/** Reads the images of one package file (see the module comment). */
export function scanImagesJson(bytes: Uint8Array, spec: ImagesJsonSpec): ScannedImages {
  const st: ScanState = {
    ...spec,
    bytes,
    codes: new Uint8Array(Math.ceil(bytes.length / 2)),
    n: 0,
    emptyRows: 0,
    depth: 1,
    nested: -1,
    rowStart: 0,
    wantValue: true,
    value: 0,
  };
  const at = scanValues(st, skipPrefix(st));
  return finish(st, at);
}

/** The prefix {"data": [ — checked without allocating; returns the position after the '['. */
function skipPrefix(st: ScanState): number {
  const { bytes } = st;
  let at = skipSpace(bytes, 0);
  if (bytes[at] !== 0x7b) fail(st, at, "expected '{'");
  at = skipSpace(bytes, at + 1);
  for (let k = 0; k < DATA_KEY.length; k++, at++) {
    if (bytes[at] !== DATA_KEY[k]) fail(st, at, 'expected the key "data"');
  }
  at = skipSpace(bytes, at);
  if (bytes[at] !== 0x3a) fail(st, at, "expected ':'");
  at = skipSpace(bytes, at + 1);
  if (bytes[at] !== OPEN) fail(st, at, "expected '['");
  return at + 1;
}

/**
 * The data array's contents, from `at` to its closing ']'; returns the position after it. The hot loop
 * sees only plain numbers, commas and spaces; everything else (a bracket once per image, the end, a
 * number in another notation, an error) goes to `structure`, out of line.
 */
function scanValues(st: ScanState, at: number): number {
  const { bytes, codes, encode } = st;
  const end = bytes.length;
  let n = 0;
  let wantValue = true;
  // Values take the fast path only at the depth where values belong (known after the first one).
  let depth = 1;
  let valueDepth = 0;
  while (at < end) {
    const c = bytes[at]!;
    if (c >= ZERO && c <= NINE && wantValue && depth === valueDepth) {
      const start = at;
      const d = plainNumber(st, at);
      const v = st.value;
      const code = v >= 0 && !isNumberChar(d < end ? bytes[d]! : 0) ? encode(v) : -1;
      if (code < 0) {
        st.n = n;
        at = slowNumber(st, start);
        n = st.n;
        valueDepth = st.nested === 1 ? 2 : 1;
      } else {
        codes[n++] = code;
        at = d;
      }
      wantValue = false;
    } else if (c === COMMA && !wantValue) {
      wantValue = true;
      at++;
    } else if (c === SPACE || c === LF || c === CR || c === TAB) {
      at++;
    } else {
      st.n = n;
      st.wantValue = wantValue;
      at = structure(st, at);
      n = st.n;
      wantValue = st.wantValue;
      depth = st.depth;
      valueDepth = st.nested === 1 ? 2 : st.nested === 0 ? 1 : 0;
      if (depth === 0) break;
    }
  }
  st.n = n;
  return at;
}

/**
 * A plain decimal `digits[.digits]` starting at `at` (a digit): its value in `st.value` (−1 when it has
 * a dot without digits after it, which `slowNumber` then judges), and the position after it. Kept to
 * locals and one field write, so the hot loop pays no allocation for it.
 */
function plainNumber(st: ScanState, at: number): number {
  const { bytes } = st;
  const end = bytes.length;
  const start = at;
  let int = bytes[at]! - ZERO;
  let d = at + 1;
  let b = d < end ? bytes[d]! : 0;
  while (b >= ZERO && b <= NINE && d - start < 15) {
    int = int * 10 + (b - ZERO);
    b = ++d < end ? bytes[d]! : 0;
  }
  let v = int;
  if (b === DOT) {
    let frac = 0;
    let scale = 1;
    b = ++d < end ? bytes[d]! : 0;
    while (b >= ZERO && b <= NINE && scale < 1e15) {
      frac = frac * 10 + (b - ZERO);
      scale *= 10;
      b = ++d < end ? bytes[d]! : 0;
    }
    // (int·scale + frac) / scale: one correctly rounded division of exact integers, the double JSON.parse gives.
    v = scale > 1 ? (int * scale + frac) / scale : -1;
  }
  st.value = v;
  return d;
}

/** The checks after the data array: closing brace, end of file, whole images. */
function finish(st: ScanState, at: number): ScannedImages {
  const { bytes, n, rowLength } = st;
  if (st.depth !== 0) fail(st, at, 'the data array is not closed (truncated file?)');
  at = skipSpace(bytes, at);
  if (bytes[at] !== 0x7d) fail(st, at, "expected '}'");
  at = skipSpace(bytes, at + 1);
  if (at !== bytes.length) fail(st, at, 'expected the end of the file');
  if (st.nested !== 1 && n % rowLength !== 0) {
    throw new FormatError(
      st.source,
      `${st.source}: ${n} values do not make whole images of ${rowLength} values`,
    );
  }
  return { codes: st.codes.slice(0, n), images: n / rowLength, emptyRows: st.emptyRows };
}

interface ScanState {
  bytes: Uint8Array;
  source: string;
  expected: string;
  encode: (value: number) => number;
  rowLength: number;
  codes: Uint8Array;
  n: number;
  emptyRows: number;
  /** 1: inside the data array; 2: inside an image's array; 0: done. */
  depth: number;
  /** −1 until the first element; 1 for an array of arrays, 0 for a flat array. */
  nested: number;
  rowStart: number;
  /** After '[' or ','; false after a value or an inner ']'. */
  wantValue: boolean;
  /** The value `plainNumber` read last. */
  value: number;
}

function fail(st: ScanState, at: number, what: string): never {
  throw new FormatError(st.source, `${st.source}: unexpected content at byte ${at}: ${what}`);
}

/** Brackets, other number notations and errors; returns the next position. */
function structure(st: ScanState, at: number): number {
  const c = st.bytes[at]!;
  if (c === OPEN) {
    if (!st.wantValue || st.depth !== 1 || st.nested === 0) fail(st, at, "unexpected '['");
    st.nested = 1;
    st.depth = 2;
    st.rowStart = st.n;
    return at + 1;
  }
  if (c === CLOSE) {
    if (st.wantValue && st.n !== st.rowStart) fail(st, at, 'expected a value after the comma');
    if (st.depth === 2) {
      const len = st.n - st.rowStart;
      if (len === 0) st.emptyRows++;
      else if (len !== st.rowLength) {
        fail(
          st,
          at,
          `image ${st.rowStart / st.rowLength + st.emptyRows} has ${len} values, expected ${st.rowLength}`,
        );
      }
      st.depth = 1;
      st.wantValue = false;
    } else st.depth = 0;
    return at + 1;
  }
  if (isNumberChar(c) && st.wantValue) return slowNumber(st, at);
  if (c === COMMA) fail(st, at, st.wantValue ? 'expected a value' : "unexpected ','");
  if (isNumberChar(c)) fail(st, at, "expected ',' or ']'");
  return fail(st, at, `unexpected character ${JSON.stringify(String.fromCharCode(c))}`);
}

/** A number in any JSON notation (or a value `encode` rejects, which fails here). */
function slowNumber(st: ScanState, start: number): number {
  const { bytes } = st;
  if (st.nested === -1) st.nested = st.depth === 2 ? 1 : 0;
  if (st.nested === 1 && st.depth !== 2) fail(st, start, "expected '['");
  let d = start;
  while (d < bytes.length && isNumberChar(bytes[d]!)) d++;
  const token = new TextDecoder().decode(bytes.subarray(start, d));
  const v = Number(token);
  if (token === '' || Number.isNaN(v)) fail(st, start, `${JSON.stringify(token)} is not a number`);
  const code = st.encode(v);
  if (code < 0) fail(st, start, `value ${v} is not ${st.expected}`);
  st.codes[st.n++] = code;
  st.wantValue = false;
  return d;
}

const DATA_KEY = Array.from('"data"', (ch) => ch.charCodeAt(0));

function skipSpace(bytes: Uint8Array, at: number): number {
  for (;;) {
    const c = bytes[at];
    if (c === SPACE || c === LF || c === CR || c === TAB) at++;
    else return at;
  }
}

function isNumberChar(c: number): boolean {
  return (c >= ZERO && c <= NINE) || c === DOT || c === 0x2d || c === 0x2b || c === 0x65 || c === 0x45;
}
