/**
 * The direct convolution kernels on WebGPU as implicit GEMMs: each is one dispatch of the GEMM shader
 * (kernels/gemm_wgsl.ts) whose operand loaders compute the window addresses, so no column matrix is
 * ever written (no scratch memory, one pass).
 *
 * - conv2d: per image n, out[n] [O, L] = W [O, C·kh·kw] · cols(x[n]) [C·kh·kw, L] + bias per row.
 *   Each output is summed from 0 over its taps in (c, i, j) order, padding taps included, in float32,
 *   and the bias added last: the reference's order.
 * - conv2dInputGrad: per image, dx[n] [C, H·W] = Σ over (o, i, j) of W[o, c, i, j]·g[n, o, y′, x′]
 *   where the tap reaches an output position (y′ = (y + ph − i·dh)/sh when that divides and lies inside).
 * - conv2dWeightGrad: dW [O, C·kh·kw] = Σ over (n, y′, x′) of g[n, o, y′, x′]·cols(x[n]): one product
 *   with k = N·outH·outW, summed in that order.
 * The loaders handle any stride and dilation, though the op layer routes only stride 1, dilation 1 here.
 */
import type { Conv2dCall, Conv2dInputGradCall, Conv2dWeightGradCall, WindowSpec } from '../../backend.js';
import type { KernelContext } from '../kernel_context.js';
import { type GemmOperand, matrixOperand } from '../kernels/gemm_wgsl.js';
import { type GemmCall, recordGemm } from '../kernels/matmul.js';

export function conv2d(ctx: KernelContext, call: Conv2dCall): void {
  const { x, weight, bias, spec, outChannels, out } = call;
  const { channels, height, width } = spec;
  recordGemm(ctx, {
    ...geometry(spec, outChannels),
    a: weight.buffer,
    b: x.buffer,
    bias: bias?.buffer ?? null,
    out,
    m: outChannels,
    n: spec.outHeight * spec.outWidth,
    k: taps(spec),
    aOffset: weight.offset,
    bOffset: x.offset,
    biasOffset: bias?.offset ?? 0,
    batch: { shape: [spec.batch], aStrides: [0], bStrides: [channels * height * width] },
    aOperand: matrixOperand('A', false),
    bOperand: WINDOWS,
    epilogue: { bias: bias === null ? 'none' : 'row', activation: 'none' },
  });
}

export function conv2dInputGrad(ctx: KernelContext, call: Conv2dInputGradCall): void {
  const { g, weight, spec, outChannels, out } = call;
  const [kh, kw] = spec.kernel;
  recordGemm(ctx, {
    ...geometry(spec, outChannels),
    a: weight.buffer,
    b: g.buffer,
    bias: null,
    out,
    m: spec.channels,
    n: spec.height * spec.width,
    k: outChannels * kh * kw,
    aOffset: weight.offset,
    bOffset: g.offset,
    biasOffset: 0,
    batch: { shape: [spec.batch], aStrides: [0], bStrides: [outChannels * spec.outHeight * spec.outWidth] },
    aOperand: WEIGHT_BY_CHANNEL,
    bOperand: GRADIENT_TAPS,
    epilogue: { bias: 'none', activation: 'none' },
  });
}

export function conv2dWeightGrad(ctx: KernelContext, call: Conv2dWeightGradCall): void {
  const { g, x, spec, outChannels, out } = call;
  recordGemm(ctx, {
    ...geometry(spec, outChannels),
    a: g.buffer,
    b: x.buffer,
    bias: null,
    out,
    m: outChannels,
    n: taps(spec),
    k: spec.batch * spec.outHeight * spec.outWidth,
    aOffset: g.offset,
    bOffset: x.offset,
    biasOffset: 0,
    batch: { shape: [], aStrides: [], bStrides: [] },
    aOperand: GRADIENT_ROWS,
    bOperand: WINDOWS_TRANSPOSED,
    epilogue: { bias: 'none', activation: 'none' },
  });
}

function taps(spec: WindowSpec): number {
  return spec.channels * spec.kernel[0] * spec.kernel[1];
}

/** The window geometry every loader reads (params.geom0…3) and the helper reading x through it. */
function geometry(spec: WindowSpec, outChannels: number): Pick<GemmCall, 'extra' | 'library'> {
  return {
    extra: [
      { name: 'geom0', values: [spec.channels, spec.height, spec.width, outChannels] },
      { name: 'geom1', values: [spec.kernel[0], spec.kernel[1], spec.stride[0], spec.stride[1]] },
      { name: 'geom2', values: [spec.padding[0], spec.padding[1], spec.dilation[0], spec.dilation[1]] },
      { name: 'geom3', values: [spec.outHeight, spec.outWidth, spec.batch, 0] },
    ],
    library: IMAGE_WGSL,
  };
}

/**
 * WGSL: element (row = (c, i, j), l = (y′, x′)) of image n's columns, i.e. x[n, c, y′·sh − ph + i·dh,
 * x′·sw − pw + j·dw] read from binding B at base, 0 in the padding.
 */
const IMAGE_WGSL = /* wgsl */ `
fn image(base: u32, nn: u32, row: u32, l: u32) -> f32 {
  let channels = u32(params.geom0.x);
  let kh = u32(params.geom1.x);
  let kw = u32(params.geom1.y);
  let outW = u32(params.geom3.y);
  let c = row / (kh * kw);
  let ki = i32((row / kw) % kh);
  let kj = i32(row % kw);
  let y = i32(l / outW) * params.geom1.z - params.geom2.x + ki * params.geom2.z;
  let x = i32(l % outW) * params.geom1.w - params.geom2.y + kj * params.geom2.w;
  if (y < 0 || y >= params.geom0.y || x < 0 || x >= params.geom0.z) { return 0.0; }
  return B[base + ((nn * channels + c) * u32(params.geom0.y) + u32(y)) * u32(params.geom0.z) + u32(x)];
}`;

/** B = the columns of one image [C·kh·kw, L] (conv2d). */
const WINDOWS: GemmOperand = {
  key: 'convWindows',
  body: `  if (r >= params.k || c >= params.n) { return 0.0; }
  return image(base, 0u, r, c);`,
  contiguous: 'col',
};

/** B = the columns of every image, transposed: [(n, l), C·kh·kw] (conv2dWeightGrad). */
const WINDOWS_TRANSPOSED: GemmOperand = {
  key: 'convWindowsT',
  body: `  if (r >= params.k || c >= params.n) { return 0.0; }
  let length = u32(params.geom3.x * params.geom3.y);
  return image(base, r / length, c, r % length);`,
  contiguous: 'row',
};

/** A = g as [O, (n, l)] (conv2dWeightGrad): element (o, (n, l)) is g[n, o, l]. */
const GRADIENT_ROWS: GemmOperand = {
  key: 'convGradRows',
  body: `  if (r >= params.m || c >= params.k) { return 0.0; }
  let length = u32(params.geom3.x * params.geom3.y);
  return A[base + ((c / length) * params.m + r) * length + c % length];`,
  contiguous: 'col',
};

/** A = the weight as [C, (o, i, j)] (conv2dInputGrad): element (c, (o, i, j)) is W[o, c, i, j]. */
const WEIGHT_BY_CHANNEL: GemmOperand = {
  key: 'convWeightByChannel',
  body: `  if (r >= params.m || c >= params.k) { return 0.0; }
  let kernelTaps = u32(params.geom1.x * params.geom1.y);
  return A[base + ((c / kernelTaps) * params.m + r) * kernelTaps + c % kernelTaps];`,
  contiguous: 'col',
};

/**
 * B = g at the output position each tap reaches, [(o, i, j), H·W] (conv2dInputGrad): element
 * ((o, i, j), (y, x)) is g[n, o, (y + ph − i·dh)/sh, (x + pw − j·dw)/sw] where both divide and lie inside.
 */
const GRADIENT_TAPS: GemmOperand = {
  key: 'convGradTaps',
  body: `  if (r >= params.k || c >= params.n) { return 0.0; }
  let kh = u32(params.geom1.x);
  let kw = u32(params.geom1.y);
  let o = r / (kh * kw);
  let ki = i32((r / kw) % kh);
  let kj = i32(r % kw);
  let width = u32(params.geom0.z);
  let ty = i32(c / width) + params.geom2.x - ki * params.geom2.z;
  let tx = i32(c % width) + params.geom2.y - kj * params.geom2.w;
  if (ty < 0 || tx < 0 || ty % params.geom1.z != 0 || tx % params.geom1.w != 0) { return 0.0; }
  let oy = ty / params.geom1.z;
  let ox = tx / params.geom1.w;
  if (oy >= params.geom3.x || ox >= params.geom3.y) { return 0.0; }
  return B[base + (o * u32(params.geom3.x) + u32(oy)) * u32(params.geom3.y) + u32(ox)];`,
  contiguous: 'col',
};
