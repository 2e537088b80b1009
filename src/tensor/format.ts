/**
 * Pretty printing in PyTorch's style: fixed 4 decimals, scientific notation when magnitudes span a
 * wide range, "1." for integral floats, aligned columns, and "..." beyond 1000 elements.
 */
import type { Tensor } from './tensor.js';

const THRESHOLD = 1000;
const EDGE_ITEMS = 3;

function formatter(values: ArrayLike<number>, dtype: string): (v: number) => string {
  if (dtype === 'int32') return (v) => String(v);
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) finite.push(Math.abs(values[i]!));
  const special = (v: number): string | null =>
    Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : null;
  if (finite.length === 0) return (v) => special(v) ?? String(v);
  const integral = finite.every((v) => Number.isInteger(v));
  const nonzero = finite.filter((v) => v !== 0);
  const maxAbs = Math.max(...finite);
  const minAbs = nonzero.length ? Math.min(...nonzero) : 0;
  const wide = maxAbs >= 1e8 || (minAbs > 0 && maxAbs / minAbs > 1000);
  if (integral && !wide) return (v) => special(v) ?? `${v.toFixed(0)}.`;
  if (wide || (minAbs > 0 && minAbs < 1e-4)) {
    return (v) => special(v) ?? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return (v) => special(v) ?? v.toFixed(4);
}

export function formatTensor(t: Tensor): string {
  if (t.storage.released) return `tensor(<released>, shape=[${t.shape.join(', ')}])`;
  // Printing must not throw where reads are asynchronous only (a GPU): say how to see the values.
  if (t.backend.read === undefined) {
    return `tensor(<on ${t.backend.name}: await t.toArrayAsync()>, shape=[${t.shape.join(', ')}], dtype=${t.dtype})`;
  }
  const data = t.data();
  const summarize = data.length > THRESHOLD;
  const fmt = formatter(data, t.dtype);
  const strings = Array.from(data, fmt);
  const width = Math.max(1, ...strings.map((s) => s.length));
  const pad = (s: string): string => s.padStart(width);
  const strides: number[] = [];
  let s = 1;
  for (let i = t.ndim - 1; i >= 0; i--) {
    strides[i] = s;
    s *= t.shape[i]!;
  }
  const indent = 'tensor('.length;
  const build = (dim: number, start: number): string => {
    if (dim === t.ndim) return pad(strings[start]!);
    const n = t.shape[dim]!;
    const picks: (number | null)[] =
      summarize && n > 2 * EDGE_ITEMS
        ? [
            ...Array.from({ length: EDGE_ITEMS }, (_, i) => i),
            null,
            ...Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i),
          ]
        : Array.from({ length: n }, (_, i) => i);
    const parts = picks.map((i) => (i === null ? '...' : build(dim + 1, start + i * strides[dim]!)));
    const last = dim === t.ndim - 1;
    const sep = last ? ', ' : `,${'\n'.repeat(t.ndim - dim - 1)}${' '.repeat(indent + dim + 1)}`;
    return `[${parts.join(sep)}]`;
  };
  const body = t.ndim === 0 ? strings[0]! : t.size === 0 ? '[]' : build(0, 0);
  const extras: string[] = [];
  if (t.dtype !== 'float32') extras.push(`dtype=${t.dtype}`);
  if (t.gradFn) extras.push(`gradFn=<${t.gradFn.primitive}>`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  if (t.size === 0) extras.unshift(`size=[${t.shape.join(', ')}]`);
  return `tensor(${body}${extras.map((e) => `, ${e}`).join('')})`;
}
