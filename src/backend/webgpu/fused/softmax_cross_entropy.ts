/**
 * Softmax cross-entropy on WebGPU, as the reference (backend.ts, reference/fused.ts): per row, m the
 * maximum, e = e^(z − m) rounded to float32, the sum Σ in df64, probs = e / float32(Σ) and
 * loss = log Σ − (z[target] − m) from the unrounded Σ (in that order: adding log Σ to a huge m first
 * would round it away). The rows are walked by softmax's row machinery (kernels/softmax.ts), so the
 * exponentials and logarithm carry the same few-ulp bounds as softmax; the backward pass
 * g·(p − [c = target]) is two correctly rounded float32 operations and gives the reference's bits.
 */
import type { SoftmaxCrossEntropyBackwardCall, SoftmaxCrossEntropyCall } from '../../backend.js';
import { type KernelContext, Uniforms } from '../kernel_context.js';
import { rowsGrid, softmaxRowsWgsl, treeRows } from '../kernels/softmax.js';
import { EXACT_WGSL } from '../wgsl/exact.js';
import { ELEMENTWISE_ENTRY, elementGrid } from '../wgsl/grid.js';

export function softmaxCrossEntropy(ctx: KernelContext, call: SoftmaxCrossEntropyCall): void {
  const { logits, target, rows, classes, probs, losses } = call;
  if (rows === 0) return;
  const tree = treeRows(classes);
  ctx.dispatch({
    key: `softmaxCrossEntropy:${tree ? 'tree' : 'serial'}`,
    wgsl: () => crossEntropyWgsl(tree),
    bindings: [
      { buffer: logits.buffer },
      { buffer: target.buffer },
      { buffer: probs, write: true },
      { buffer: losses, write: true },
    ],
    uniforms: new Uniforms().u32(rows).u32(classes).u32(1).u32(logits.offset).u32(target.offset),
    workgroups: rowsGrid(ctx, rows, tree),
  });
}

function crossEntropyWgsl(tree: boolean): string {
  const head = /* wgsl */ `
struct Params { outer: u32, length: u32, inner: u32, offset: u32, targetOffset: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> targets: array<i32>;
@group(0) @binding(2) var<storage, read_write> probs: array<f32>;
@group(0) @binding(3) var<storage, read_write> losses: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;`;
  const writePart = /* wgsl */ `
fn writePart(row: u32, start: u32, first: u32, step: u32, m: f32, sum: vec2<f32>) {
  let inv = dfDiv(vec2<f32>(1.0, 0.0), vec2<f32>(sum.x, 0.0));
  for (var j = first; j < params.length; j += step) {
    let k = start + j;
    probs[k - params.offset] = dfMulF(inv, expDf(shifted(x[k], m))).x;
  }
  if (first == 0u) {
    let t = u32(targets[params.targetOffset + row]);
    losses[row] = dfSub(logDf(sum), shifted(x[start + t], m)).x;
  }
}`;
  return softmaxRowsWgsl({ head, writePart, tree });
}

export function softmaxCrossEntropyBackward(ctx: KernelContext, call: SoftmaxCrossEntropyBackwardCall): void {
  const { probs, target, g, rows, classes, out } = call;
  const n = rows * classes;
  if (n === 0) return;
  ctx.dispatch({
    key: 'softmaxCrossEntropyBackward',
    wgsl: crossEntropyBackwardWgsl,
    bindings: [
      { buffer: probs.buffer },
      { buffer: target.buffer },
      { buffer: g.buffer },
      { buffer: out, write: true },
    ],
    uniforms: new Uniforms().u32(n).u32(classes).u32(probs.offset).u32(target.offset).u32(g.offset),
    workgroups: elementGrid(ctx, n),
  });
}

function crossEntropyBackwardWgsl(): string {
  return /* wgsl */ `
struct Params { n: u32, classes: u32, probsOffset: u32, targetOffset: u32, gOffset: u32 }
@group(0) @binding(0) var<storage, read> probs: array<f32>;
@group(0) @binding(1) var<storage, read> targets: array<i32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;
${EXACT_WGSL}

${ELEMENTWISE_ENTRY} {
  x_zero = nwg.x >> 31u;
  let i = globalIndex(wid, nwg, lid);
  if (i >= params.n) { return; }
  let row = i / params.classes;
  let c = i32(i % params.classes);
  let p = probs[params.probsOffset + i];
  let d = select(p, p - 1.0, c == targets[params.targetOffset + row]);
  out[i] = x_mul(g[params.gOffset + row], d);
}`;
}
