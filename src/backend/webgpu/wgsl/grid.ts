/**
 * The 1-D launch every elementwise kernel uses: WORKGROUP_SIZE invocations per workgroup, the
 * workgroups spread over x and y when there are more than a dimension allows (gridFor), and the
 * element index recovered in the shader by `globalIndex(wid, nwg, lid)`.
 */
import { gridFor, type KernelContext } from '../kernel_context.js';

export const WORKGROUP_SIZE = 256;

/** Workgroup counts covering `count` elements, one per invocation. */
export function elementGrid(ctx: KernelContext, count: number): [number, number, number] {
  return gridFor(Math.ceil(count / WORKGROUP_SIZE), ctx.limits.maxWorkgroupsPerDimension);
}

/**
 * WGSL: the entry point's attributes and parameters for an elementwise shader, and the function
 * giving the linear element index. Use as `${ELEMENTWISE_ENTRY} { let i = globalIndex(wid, nwg, lid); if (i >= params.n) { return; } … }`.
 */
export const ELEMENTWISE_ENTRY = /* wgsl */ `
fn globalIndex(wid: vec3<u32>, nwg: vec3<u32>, lid: vec3<u32>) -> u32 {
  return (wid.x + wid.y * nwg.x) * ${WORKGROUP_SIZE}u + lid.x;
}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>)`;
