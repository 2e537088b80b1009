/**
 * One pending GPUCommandEncoder that every dispatch, copy and upload of the backend goes into, in
 * program order, until a read, a flush or the dispatch limit submits it. Dispatches share one open
 * compute pass (WebGPU makes each dispatch's writes visible to the next); a copy ends the pass.
 *
 * Uploads must land in order with the recorded work, which queue.writeBuffer alone does not do (it
 * runs before the pending encoder's commands): while nothing is recorded a write goes straight to the
 * queue; otherwise its bytes go into a staging buffer written just before the submission, and a copy
 * from it is recorded in order.
 */
import { BufferPool, Usage } from './buffer_pool.js';
import type { DeviceErrors } from './device_errors.js';
import { UniformArena, type UniformSlice } from './uniform_arena.js';

/** Submits on its own past this many recorded commands, so an unflushed loop cannot grow without bound. */
const MAX_COMMANDS = 1024;

interface StagedUpload {
  readonly staging: GPUBuffer;
  readonly data: Uint8Array<ArrayBuffer>;
}

export class Recorder {
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private commands = 0;
  private readonly staged: StagedUpload[] = [];
  private readonly uniforms: UniformArena;
  private readonly staging: BufferPool;
  /** The kernels recorded in the pending encoder, to name in a submission's error. */
  private readonly keys = new Set<string>();
  /** Submissions so far (tests count them). */
  submissions = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly errors: DeviceErrors,
  ) {
    this.uniforms = new UniformArena(device);
    this.staging = new BufferPool(device, Usage.COPY_SRC | Usage.COPY_DST, 'staging');
  }

  /** Whether anything is recorded and not yet submitted. */
  get pending(): boolean {
    return this.commands > 0;
  }

  /** Places a uniform block for a dispatch of this submission. */
  uniform(bytes: Uint8Array): UniformSlice {
    return this.uniforms.place(bytes);
  }

  dispatch(
    key: string,
    pipeline: GPUComputePipeline,
    bindGroup: GPUBindGroup,
    workgroups: readonly number[],
  ): void {
    this.keys.add(key);
    if (this.pass === null) this.pass = this.open().beginComputePass();
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, bindGroup);
    this.pass.dispatchWorkgroups(workgroups[0]!, workgroups[1] ?? 1, workgroups[2] ?? 1);
    this.counted();
  }

  /** Records a buffer-to-buffer copy (bytes a multiple of 4). */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    if (bytes === 0) return;
    this.endPass();
    this.open().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
    this.counted();
  }

  /** Writes `data` at the start of `dst`, ordered after everything recorded so far. */
  upload(dst: GPUBuffer, data: Uint8Array<ArrayBuffer>): void {
    if (data.byteLength === 0) return;
    if (!this.pending) {
      this.device.queue.writeBuffer(dst, 0, data);
      return;
    }
    const staging = this.staging.take(data.byteLength);
    this.staged.push({ staging, data: data.slice() });
    this.copy(staging, 0, dst, 0, data.byteLength);
  }

  /** Submits the pending work (and the uploads and uniforms it reads); nothing pending, nothing done. */
  submit(): void {
    if (this.encoder === null) return;
    const encoder = this.encoder;
    this.endPass();
    this.encoder = null;
    this.commands = 0;
    const what = this.keys.size > 0 ? `a submission of kernels ${[...this.keys].join(', ')}` : 'a submission';
    this.keys.clear();
    this.errors.scoped(what, () => {
      const commands = encoder.finish();
      const queue = this.device.queue;
      for (const { staging, data } of this.staged) queue.writeBuffer(staging, 0, data);
      this.uniforms.upload(queue);
      queue.submit([commands]);
    });
    this.submissions++;
    // Safe to reuse at once: the queue runs the next submission's writes after this one.
    for (const { staging } of this.staged) this.staging.give(staging);
    this.staged.length = 0;
  }

  destroy(): void {
    this.uniforms.destroy();
    this.staging.trim();
  }

  private open(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder({ label: 'descent' });
    return this.encoder;
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }

  private counted(): void {
    if (++this.commands >= MAX_COMMANDS) this.submit();
  }
}
