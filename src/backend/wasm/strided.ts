/**
 * Describing a strided iteration to the kernels (assembly/strided.ts reads the same layout).
 *
 * The shape and up to four operands' strides are simplified first: dimensions of size 1 are dropped,
 * and neighbouring dimensions are merged wherever every operand steps through them as through one
 * (stride[i] = stride[i+1]·shape[i+1]). A contiguous tensor becomes one long row, a bias broadcast
 * over a batch becomes rows with a stride-0 operand, a transpose stays two-dimensional; the kernels
 * then pick their SIMD paths from the strides of the last dimension.
 */

/** The most dimensions a simplified iteration may keep. */
const MAX_DIMS = 64;
/** i32 words of a descriptor: shape, four operands' strides, counters (nd each), four offsets. */
export const DESCRIPTOR_WORDS = 7 * MAX_DIMS + 4;

const sizes = new Array<number>(MAX_DIMS).fill(0);
const strides = [0, 1, 2, 3].map(() => new Array<number>(MAX_DIMS).fill(0));

/**
 * Writes the simplified iteration of `shape` over the operands' strides into heap[at …]; returns its
 * number of dimensions (at least 1), or 0 when the shape has no elements.
 */
export function describeIteration(
  heap: Int32Array,
  at: number,
  shape: readonly number[],
  s0: readonly number[],
  s1?: readonly number[],
  s2?: readonly number[],
  s3?: readonly number[],
): number {
  const [t0, t1, t2, t3] = strides as [number[], number[], number[], number[]];
  let nd = 0;
  for (let i = shape.length - 1; i >= 0; i--) {
    const size = shape[i]!;
    if (size === 0) return 0;
    if (size === 1) continue;
    const a = s0[i]!;
    const b = s1 === undefined ? 0 : s1[i]!;
    const c = s2 === undefined ? 0 : s2[i]!;
    const d = s3 === undefined ? 0 : s3[i]!;
    if (nd > 0) {
      const inner = sizes[nd - 1]!;
      const k = nd - 1;
      if (a === t0[k]! * inner && b === t1[k]! * inner && c === t2[k]! * inner && d === t3[k]! * inner) {
        sizes[k] = inner * size;
        continue;
      }
    }
    if (nd === MAX_DIMS) {
      throw new RangeError(`the wasm backend iterates over at most ${MAX_DIMS} non-mergeable dimensions`);
    }
    sizes[nd] = size;
    t0[nd] = a;
    t1[nd] = b;
    t2[nd] = c;
    t3[nd] = d;
    nd++;
  }
  if (nd === 0) {
    sizes[0] = 1;
    t0[0] = t1[0] = t2[0] = t3[0] = 0;
    nd = 1;
  }
  // The loop above walked from the innermost dimension out; the descriptor lists outermost first.
  for (let k = 0; k < nd; k++) {
    const j = nd - 1 - k;
    heap[at + k] = sizes[j]!;
    heap[at + nd + k] = t0[j]!;
    heap[at + 2 * nd + k] = t1[j]!;
    heap[at + 3 * nd + k] = t2[j]!;
    heap[at + 4 * nd + k] = t3[j]!;
  }
  return nd;
}
