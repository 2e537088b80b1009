/**
 * The WGSL source of every matrix product on the WebGPU backend: matmul, linear and the three
 * convolution kernels (implicit GEMM) are one shader generated from a `GemmShader` description.
 *
 * out[t, i, j] = epilogue(Σ_p A(t, i, p)·B(t, p, j)), accumulated in float32 from 0 in order of p,
 * so each output is deterministic and independent of the tile shape. What differs between callers is
 * only how an operand element is fetched (`GemmOperand.body`: a plain or transposed matrix, or a
 * window of an image for a convolution) and the epilogue (a bias per row or per column, then an
 * activation), so transposes and convolutions never copy their operands.
 *
 * Two paths: `tiled` (each workgroup computes a bm×bn output tile with (bn/tn)×(bm/tm) threads, tm×tn
 * outputs per thread held in registers, bk-deep slices of A and B staged in workgroup memory) and
 * `small` (one thread per output, for products too small to fill a tile). The tile shape is a
 * parameter so that it can be tuned per GPU; the pipeline key includes it.
 */
import type { FusedActivation } from '../../backend.js';

/** The output tile of one workgroup (bm×bn), its k-slice (bk) and the outputs per thread (tm×tn). */
export interface GemmTile {
  readonly bm: number;
  readonly bn: number;
  readonly bk: number;
  readonly tm: number;
  readonly tn: number;
}

/**
 * 64×64 tiles of 16×16 threads, 4×4 outputs each, k-slices of 8 (4.2 KB of workgroup memory). Slices
 * of 16 compile three times slower on SwiftShader (measured: ~10 s against ~3.5 s on a loaded 2-core
 * machine), which every test process pays; to be tuned on a real GPU (bench/gpu).
 */
export const DEFAULT_TILE: GemmTile = { bm: 64, bn: 64, bk: 8, tm: 4, tn: 4 };

/** Workgroup size of the small path (one thread per output). */
export const SMALL_WORKGROUP = 64;

/**
 * How one operand element is fetched. `body` is the body of a WGSL function
 * `(base: u32, r: u32, c: u32) -> f32` (r, c: row and column of the operand as the product reads it,
 * A as m×k and B as k×n; base: the batch's element offset) that returns 0 outside the operand.
 * `contiguous` names the index that walks memory, so that consecutive threads load consecutive
 * addresses when a tile is staged.
 */
export interface GemmOperand {
  readonly key: string;
  readonly body: string;
  readonly contiguous: 'row' | 'col';
}

/** What is added and applied to each rounded float32 sum before it is stored. */
export interface GemmEpilogue {
  /** A bias per output row (conv2d: one per channel) or per column (linear: one per feature). */
  readonly bias: 'none' | 'row' | 'col';
  /** sigmoid and tanh call WGSL functions `act_sigmoid(f32) -> f32` and `act_tanh(f32) -> f32` (GemmShader.library). */
  readonly activation: FusedActivation;
}

export interface GemmShader {
  readonly a: GemmOperand;
  readonly b: GemmOperand;
  /** Batch dimensions the shader decomposes the batch index over (0…4). */
  readonly batchRank: number;
  readonly epilogue: GemmEpilogue;
  /** Further `vec4<i32>` fields of Params, after the fixed ones (an operand's geometry). */
  readonly extraParams: readonly string[];
  readonly path: 'tiled' | 'small';
  readonly tile: GemmTile;
  /**
   * WGSL functions the loaders or the epilogue call. Not part of the key: it must follow from the
   * operands' keys and the activation.
   */
  readonly library?: string;
}

/** The pipeline key: every parameter the source depends on. */
export function gemmKey(s: GemmShader): string {
  const t = s.tile;
  const tile = s.path === 'tiled' ? `${t.bm}x${t.bn}x${t.bk}/${t.tm}x${t.tn}` : 'small';
  const e = s.epilogue;
  return `gemm:${tile}:a=${s.a.key}:b=${s.b.key}:batch${s.batchRank}:bias=${e.bias}:act=${e.activation}:x=${s.extraParams.join(',')}`;
}

/**
 * The fixed uniform fields, in the order `gemmUniforms` (matmul.ts) appends them: sizes, the first
 * batch index of this dispatch, element offsets, then the batch shape and the operands' batch strides.
 */
function paramsStruct(extra: readonly string[]): string {
  const fields = [
    'm: u32, n: u32, k: u32, batchBase: u32,',
    'aOffset: u32, bOffset: u32, outOffset: u32, biasOffset: u32,',
    'shape: vec4<i32>, aStrides: vec4<i32>, bStrides: vec4<i32>,',
    ...extra.map((f) => `${f}: vec4<i32>,`),
  ];
  return `struct Params {\n  ${fields.join('\n  ')}\n}`;
}

function bindings(bias: boolean): string {
  return [
    '@group(0) @binding(0) var<storage, read> A: array<f32>;',
    '@group(0) @binding(1) var<storage, read> B: array<f32>;',
    '@group(0) @binding(2) var<storage, read_write> O: array<f32>;',
    ...(bias ? ['@group(0) @binding(3) var<storage, read> bias: array<f32>;'] : []),
    `@group(0) @binding(${bias ? 4 : 3}) var<uniform> params: Params;`,
  ].join('\n');
}

/** The element offsets of batch t's A and B, from the batch shape (last dimension fastest). */
function batchOffsets(rank: number): string {
  const lines = ['  var rest = t;', '  var a = params.aOffset;', '  var b = params.bOffset;'];
  for (let d = rank - 1; d >= 0; d--) {
    lines.push(
      `  let i${d} = rest % u32(params.shape[${d}]);`,
      `  rest = rest / u32(params.shape[${d}]);`,
      `  a = a + u32(i32(i${d}) * params.aStrides[${d}]);`,
      `  b = b + u32(i32(i${d}) * params.bStrides[${d}]);`,
    );
  }
  return `fn batchBases(t: u32) -> vec2<u32> {\n${lines.join('\n')}\n  return vec2<u32>(a, b);\n}`;
}

function activation(e: GemmEpilogue): string {
  switch (e.activation) {
    case 'none':
      return 's';
    case 'relu':
      return 'select(s, 0.0, s < 0.0)'; // relu(−0) = −0 and relu(NaN) = NaN, as the reference
    case 'sigmoid':
      return 'act_sigmoid(s)';
    case 'tanh':
      return 'act_tanh(s)';
  }
}

function epilogue(e: GemmEpilogue): string {
  const add =
    e.bias === 'none' ? '' : `  s = s + bias[params.biasOffset + ${e.bias === 'row' ? 'i' : 'j'}];\n`;
  return `fn epilogue(v: f32, i: u32, j: u32) -> f32 {\n  var s = v;\n${add}  return ${activation(e)};\n}`;
}

/** Everything both paths share: Params, bindings, the loaders, batch offsets and the epilogue. */
function common(s: GemmShader): string {
  return [
    paramsStruct(s.extraParams),
    bindings(s.epilogue.bias !== 'none'),
    `fn loadA(base: u32, r: u32, c: u32) -> f32 {\n${s.a.body}\n}`,
    `fn loadB(base: u32, r: u32, c: u32) -> f32 {\n${s.b.body}\n}`,
    batchOffsets(s.batchRank),
    epilogue(s.epilogue),
    s.library ?? '',
  ].join('\n\n');
}

/** The shader's WGSL source. */
export function gemmWgsl(s: GemmShader): string {
  return `${common(s)}\n\n${s.path === 'tiled' ? tiledMain(s.tile, s.a, s.b) : smallMain()}\n`;
}

function smallMain(): string {
  return `@compute @workgroup_size(${SMALL_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let g = (wid.x + wid.y * nwg.x) * ${SMALL_WORKGROUP}u + lid;
  if (g >= params.m * params.n) { return; }
  let i = g / params.n;
  let j = g % params.n;
  let t = params.batchBase + wid.z;
  let bases = batchBases(t);
  var acc = 0.0;
  for (var p = 0u; p < params.k; p = p + 1u) {
    acc = acc + loadA(bases.x, i, p) * loadB(bases.y, p, j);
  }
  O[params.outOffset + t * params.m * params.n + g] = epilogue(acc, i, j);
}`;
}

/**
 * Stages a rows×cols tile of an operand into workgroup memory `name` (row-major with a padded row
 * stride, laid out [slice index p][row or column] so the inner loop reads along the output tile).
 */
function stageTile(
  name: string,
  op: GemmOperand,
  loader: string,
  sizes: { readonly outer: number; readonly depth: number; readonly threads: number },
  isA: boolean,
): string {
  const { outer, depth, threads } = sizes;
  // For A the operand's rows are the tile's outer index (i) and its columns the slice index (p); for
  // B the rows are p and the columns j. Consecutive threads walk the operand's contiguous index.
  const pFast = isA ? op.contiguous === 'col' : op.contiguous === 'row';
  const decompose = pFast
    ? `let q = l / ${depth}u; let p = l % ${depth}u;`
    : `let p = l / ${outer}u; let q = l % ${outer}u;`;
  const fetch = isA ? `${loader}(base, origin + q, k0 + p)` : `${loader}(base, k0 + p, origin + q)`;
  return `  for (var l = tid; l < ${outer * depth}u; l = l + ${threads}u) {
    ${decompose}
    ${name}[p * ${outer + 1}u + q] = ${fetch};
  }`;
}

function tiledMain(t: GemmTile, a: GemmOperand, b: GemmOperand): string {
  const tx = t.bn / t.tn;
  const ty = t.bm / t.tm;
  const threads = tx * ty;
  const strideA = t.bm + 1;
  const strideB = t.bn + 1;
  const inner: string[] = [];
  for (let r = 0; r < t.tm; r++) inner.push(`    let a${r} = As[p * ${strideA}u + ly + ${r * ty}u];`);
  for (let c = 0; c < t.tn; c++) inner.push(`    let b${c} = Bs[p * ${strideB}u + lx + ${c * tx}u];`);
  for (let r = 0; r < t.tm; r++)
    for (let c = 0; c < t.tn; c++)
      inner.push(`    acc[${r * t.tn + c}] = acc[${r * t.tn + c}] + a${r} * b${c};`);
  const store: string[] = [];
  for (let r = 0; r < t.tm; r++)
    for (let c = 0; c < t.tn; c++)
      store.push(`  store(t, row0 + ly + ${r * ty}u, col0 + lx + ${c * tx}u, acc[${r * t.tn + c}]);`);
  return `var<workgroup> As: array<f32, ${t.bk * strideA}>;
var<workgroup> Bs: array<f32, ${t.bk * strideB}>;

fn store(t: u32, i: u32, j: u32, v: f32) {
  if (i < params.m && j < params.n) {
    O[params.outOffset + t * params.m * params.n + i * params.n + j] = epilogue(v, i, j);
  }
}

@compute @workgroup_size(${tx}, ${ty})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
  let lx = lid3.x;
  let ly = lid3.y;
  let tid = ly * ${tx}u + lx;
  let row0 = wid.y * ${t.bm}u;
  let col0 = wid.x * ${t.bn}u;
  let t = params.batchBase + wid.z;
  let bases = batchBases(t);
  var acc: array<f32, ${t.tm * t.tn}>;
  for (var k0 = 0u; k0 < params.k; k0 = k0 + ${t.bk}u) {
    {
      let base = bases.x;
      let origin = row0;
${stageTile('As', a, 'loadA', { outer: t.bm, depth: t.bk, threads }, true)}
    }
    {
      let base = bases.y;
      let origin = col0;
${stageTile('Bs', b, 'loadB', { outer: t.bn, depth: t.bk, threads }, false)}
    }
    workgroupBarrier();
    for (var p = 0u; p < ${t.bk}u; p = p + 1u) {
${inner.join('\n')}
    }
    workgroupBarrier();
  }
${store.join('\n')}
}`;
}

/** The operand of a row-major matrix (rows×cols, or stored transposed as cols×rows) at base. */
export function matrixOperand(name: 'A' | 'B', transposed: boolean): GemmOperand {
  // A is m×k and B k×n as the product reads them.
  const [rows, cols] = name === 'A' ? ['params.m', 'params.k'] : ['params.k', 'params.n'];
  const index = transposed ? `c * ${rows} + r` : `r * ${cols} + c`;
  return {
    key: transposed ? 'T' : 'N',
    body: `  if (r >= ${rows} || c >= ${cols}) { return 0.0; }\n  return ${name}[base + ${index}];`,
    contiguous: transposed ? 'row' : 'col',
  };
}
