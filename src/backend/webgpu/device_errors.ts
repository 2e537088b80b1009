/**
 * Device errors turned into thrown Errors. WebGPU reports validation errors, out-of-memory and
 * device loss asynchronously (an `uncapturederror` event, a rejected `lost` promise, an error scope's
 * promise), never at the call that caused them; the runtime collects them here and throws the first
 * one at the next read or flush, naming the kernel when it is known (shader compilation is checked in
 * an error scope per pipeline key, and in debug mode every dispatch is).
 */
import { deviceLostError } from './adapter.js';

export class DeviceErrors {
  private first: Error | null = null;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly device: GPUDevice) {
    device.addEventListener('uncapturederror', (event) => {
      const error = (event as GPUUncapturedErrorEvent).error;
      this.record(new Error(`webgpu: the device reported an error: ${error.message}`));
    });
  }

  /** Runs `body` inside a validation and out-of-memory error scope; an error there is recorded as `what`'s. */
  scoped<T>(what: string, body: () => T): T {
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    try {
      return body();
    } finally {
      this.watch(what, this.device.popErrorScope());
      this.watch(what, this.device.popErrorScope());
    }
  }

  /** Throws the first error recorded so far (and forgets it), or a lost device's error. */
  throwIfAny(): void {
    const lost = deviceLostError(this.device);
    if (lost) throw lost;
    const error = this.first;
    if (error === null) return;
    this.first = null;
    throw error;
  }

  /** Waits for the outstanding error scopes, then throws as `throwIfAny`. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    this.throwIfAny();
  }

  private watch(what: string, scope: Promise<GPUError | null>): void {
    const done = scope.then(
      (error) => {
        if (error) this.record(new Error(`webgpu: ${what} failed: ${error.message}`));
      },
      () => {},
    );
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  private record(error: Error): void {
    this.first ??= error;
  }
}
