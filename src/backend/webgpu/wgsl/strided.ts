/**
 * Strided views in elementwise shaders. Every view of a kernel has the output's shape; the plan merges
 * the dimensions that every view walks contiguously and drops unit dimensions (a [64, 3, 32, 32]
 * contiguous tensor becomes one dimension), so most shaders index `offset + i` and only true
 * transposes, slices and broadcasts pay for the division per dimension. The rank after merging and
 * which views are contiguous go into the pipeline key; shape, strides and offsets into the uniforms.
 *
 * Usage (see kernels/binary.ts): `const plan = planViews(shape, [a, b])`, put `planKey(plan)` in the key,
 * `planUniforms(uniforms, plan)` after the kernel's scalar uniforms, `planFields(plan)` at the end of
 * the shader's `struct Params`, `planFunctions(plan, ['a', 'b'])` in the shader, then `at_a(i)` gives
 * view a's element index for output index i.
 */
import type { View } from '../../backend.js';
import type { Uniforms } from '../kernel_context.js';

export interface ViewPlan {
  /** Merged dimensions (at least one). */
  readonly shape: readonly number[];
  readonly views: readonly {
    readonly offset: number;
    readonly strides: readonly number[];
    readonly contiguous: boolean;
  }[];
}

/** Merges dimensions for views all shaped `shape` (row-major order of the output). */
export function planViews(shape: readonly number[], views: readonly View[]): ViewPlan {
  const dims: number[] = [];
  const strides: number[][] = views.map(() => []);
  shape.forEach((size, d) => {
    if (size === 1) return;
    const last = dims.length - 1;
    const mergeable = last >= 0 && views.every((v, k) => strides[k]![last] === v.strides[d]! * size);
    if (mergeable) {
      dims[last]! *= size;
      views.forEach((v, k) => {
        strides[k]![last] = v.strides[d]!;
      });
    } else {
      dims.push(size);
      views.forEach((v, k) => {
        strides[k]!.push(v.strides[d]!);
      });
    }
  });
  if (dims.length === 0) {
    dims.push(1);
    for (const s of strides) s.push(1);
  }
  return {
    shape: dims,
    views: views.map((v, k) => ({
      offset: v.offset,
      strides: strides[k]!,
      contiguous: dims.length === 1 && strides[k]![0] === 1,
    })),
  };
}

/** The plan's part of a pipeline key. */
export function planKey(plan: ViewPlan): string {
  return `r${plan.shape.length}${plan.views.map((v) => (v.contiguous ? 'c' : 's')).join('')}`;
}

function slots(plan: ViewPlan): number {
  return Math.ceil(plan.shape.length / 4);
}

/** Appends the plan's uniforms: view offsets, then the shape, then each strided view's strides. */
export function planUniforms(uniforms: Uniforms, plan: ViewPlan): void {
  uniforms.vec4u(plan.views.map((v) => v.offset));
  const n = slots(plan);
  for (let s = 0; s < n; s++) uniforms.vec4u(plan.shape.slice(4 * s, 4 * s + 4));
  for (const view of plan.views) {
    if (view.contiguous) continue;
    for (let s = 0; s < n; s++) uniforms.vec4i(view.strides.slice(4 * s, 4 * s + 4));
  }
}

/** The `struct Params` fields `planUniforms` fills, to close the struct with. */
export function planFields(plan: ViewPlan, names: readonly string[]): string {
  const n = slots(plan);
  const fields = ['offsets: vec4<u32>', `shape: array<vec4<u32>, ${n}>`];
  plan.views.forEach((view, k) => {
    if (!view.contiguous) fields.push(`strides_${names[k]}: array<vec4<i32>, ${n}>`);
  });
  return fields.join(',\n  ');
}

/** WGSL `fn at_<name>(i: u32) -> u32` for each view: its element index for output index i. */
export function planFunctions(plan: ViewPlan, names: readonly string[]): string {
  const rank = plan.shape.length;
  return plan.views
    .map((view, k) => {
      const name = names[k]!;
      if (view.contiguous) return `fn at_${name}(i: u32) -> u32 { return params.offsets[${k}] + i; }`;
      return `fn at_${name}(i: u32) -> u32 {
  var rest = i;
  var at = i32(params.offsets[${k}]);
  for (var d = ${rank - 1}; d >= 0; d--) {
    let size = params.shape[d / 4][d % 4];
    at += i32(rest % size) * params.strides_${name}[d / 4][d % 4];
    rest /= size;
  }
  return u32(at);
}`;
    })
    .join('\n');
}
