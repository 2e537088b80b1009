/**
 * Orthogonal initialization: Saxe, McClelland & Ganguli 2013, "Exact solutions to the nonlinear
 * dynamics of learning in deep linear neural networks", arXiv:1312.6120. An orthogonal weight
 * preserves the norm of every input (all singular values are 1), so signals neither explode nor
 * vanish through deep linear (and, with a gain, tanh/ReLU) stacks, independently of depth.
 */
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import { generatorOf, type InitOptions, requireFinite, requireFloatTensor, writeValues } from './fill.js';

export interface OrthogonalOptions extends InitOptions {
  /** Multiplies the orthogonal matrix; default 1 (use `calculateGain` for the activation). */
  gain?: number;
}

/**
 * Fills `t` in place with a (semi-)orthogonal matrix times `gain`, the way PyTorch does: `t` is viewed
 * as rows = size(0) by cols = numel/rows; a rows×cols matrix A of N(0, 1) samples (transposed when
 * rows < cols) is factored A = QR, and Q's columns are multiplied by sign(diag R), which makes Q
 * Haar-distributed (uniform over orthogonal matrices; Mezzadri 2007). The result W satisfies
 * W Wᵀ = gain²·I when rows ≤ cols and Wᵀ W = gain²·I when rows ≥ cols. Default gain 1.
 * Needs at least 2 dimensions. Returns `t`.
 *
 * The QR factorization is a Householder QR in float64 written here (about 2·rows·cols² flops;
 * fine for layer-sized matrices).
 *
 * @example
 * orthogonal_(rnn.weightHh, { gain: calculateGain('tanh') });
 *
 * Divergence from PyTorch: descent's own seeded stream; given the same Gaussian matrix the result is
 * the same up to rounding (the sign correction makes the QR factor unique).
 */
export function orthogonal_(t: Tensor, options: OrthogonalOptions = {}): Tensor {
  checkOptions('orthogonal_', options, { gain: true, generator: true });
  requireFloatTensor('orthogonal_', t);
  const gain = requireFinite('orthogonal_', 'gain', options.gain ?? 1);
  if (t.ndim < 2) {
    throw new RangeError(
      `orthogonal_: only tensors with 2 or more dimensions are supported, got shape ${formatShape(t.shape)}`,
    );
  }
  if (t.size === 0) return t;
  const rows = t.shape[0]!;
  const cols = t.size / rows;
  const g = generatorOf(options);
  const a = new Float64Array(rows * cols);
  for (let i = 0; i < a.length; i++) a[i] = g.normal();
  const q = orthogonalFactor(a, rows, cols);
  for (let i = 0; i < q.length; i++) q[i]! *= gain;
  return writeValues(t, q);
}

/**
 * The sign-corrected orthogonal factor of the rows×cols row-major matrix `a`, as PyTorch's
 * orthogonal_ computes it: for rows ≥ cols, Q (rows×cols) from A = QR with Q's columns multiplied by
 * sign(diag R); for rows < cols the same applied to Aᵀ, then transposed back. Float64 throughout.
 * @internal exported for the golden test against torch.linalg.qr.
 */
export function orthogonalFactor(a: Float64Array, rows: number, cols: number): Float64Array {
  const transposed = rows < cols;
  const m = transposed ? cols : rows;
  const n = transposed ? rows : cols;
  // Column-major working copy of the m×n matrix (columns are contiguous, which Householder walks).
  const w = new Float64Array(m * n);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = a[i * cols + j]!;
      if (transposed)
        w[i * m + j] = v; // Aᵀ[j, i], column i
      else w[j * m + i] = v; // A[i, j], column j
    }
  }
  const vs: Float64Array[] = [];
  const diag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const col = k * m;
    let norm2 = 0;
    for (let i = k; i < m; i++) norm2 += w[col + i]! * w[col + i]!;
    const norm = Math.sqrt(norm2);
    const x0 = w[col + k]!;
    const alpha = x0 >= 0 ? -norm : norm; // the sign that avoids cancellation in v0 = x0 − alpha
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = w[col + i]!;
    v[0] = x0 - alpha;
    let vn2 = 0;
    for (let i = 0; i < v.length; i++) vn2 += v[i]! * v[i]!;
    if (vn2 > 0) {
      const s = 1 / Math.sqrt(vn2);
      for (let i = 0; i < v.length; i++) v[i]! *= s;
      // Apply H = I − 2vvᵀ to the remaining columns.
      for (let j = k; j < n; j++) {
        const cj = j * m;
        let dot = 0;
        for (let i = k; i < m; i++) dot += v[i - k]! * w[cj + i]!;
        dot *= 2;
        for (let i = k; i < m; i++) w[cj + i]! -= dot * v[i - k]!;
      }
    }
    diag[k] = vn2 > 0 ? alpha : x0;
    vs.push(v);
  }
  // Q = H_0 H_1 … H_{n−1} applied to the first n columns of the identity, column-major m×n.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * m + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!;
    for (let j = 0; j < n; j++) {
      const cj = j * m;
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k]! * q[cj + i]!;
      dot *= 2;
      if (dot !== 0) for (let i = k; i < m; i++) q[cj + i]! -= dot * v[i - k]!;
    }
  }
  // Sign correction (torch: q *= sign(diag(r))), then back to row-major rows×cols.
  const out = new Float64Array(rows * cols);
  for (let j = 0; j < n; j++) {
    const s = Math.sign(diag[j]!);
    for (let i = 0; i < m; i++) {
      const v = q[j * m + i]! * s;
      if (transposed)
        out[j * cols + i] = v; // Qᵀ[j, i]
      else out[i * cols + j] = v;
    }
  }
  return out;
}
