/**
 * A wasm backend with one deliberate defect, for checking that the differential test is not vacuous:
 * each perturbation is a bug of a kind the comparison must catch (a NaN rule, a few ulps, the sign of
 * zero, a summation rounding, a gradient kernel, a softmax), applied to one kernel's output.
 */
import type {
  ActivationBackwardCall,
  BinaryOp,
  BufferHandle,
  ReduceCall,
  SoftmaxCall,
  UnaryCall,
  View,
} from '../../src/backend/backend.js';
import { WasmBackend } from '../../src/backend/wasm/wasm_backend.js';

export type Perturbation =
  | 'relu of NaN is 0'
  | 'exp 8 ulps high'
  | 'neg of +0 is +0'
  | 'div 1 ulp high'
  | 'sum 1 ulp high'
  | 'tanh gradient 2⁻¹⁶ high'
  | 'softmax 2⁻¹⁸ high';

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** `v` moved by `k` float32 steps away from zero. */
function bump(v: number, k: number): number {
  f32[0] = v;
  i32[0] = i32[0]! + k;
  return f32[0];
}

const finite = (v: number) => Number.isFinite(v) && v !== 0;

export class PerturbedBackend extends WasmBackend {
  constructor(readonly perturbation: Perturbation) {
    super({ variant: 'scalar' });
  }

  private patch(out: BufferHandle, f: (v: number) => number): void {
    this.write(out, (this.read!(out) as Float32Array).map(f));
  }

  override unary(call: UnaryCall, x: View, out: BufferHandle): void {
    super.unary(call, x, out);
    const p = this.perturbation;
    if (p === 'relu of NaN is 0' && call.op === 'relu') this.patch(out, (v) => (Number.isNaN(v) ? 0 : v));
    if (p === 'exp 8 ulps high' && call.op === 'exp') this.patch(out, (v) => (finite(v) ? bump(v, 8) : v));
    if (p === 'neg of +0 is +0' && call.op === 'neg') this.patch(out, (v) => (v === 0 ? 0 : v));
  }

  override binary(op: BinaryOp, a: View, b: View, out: BufferHandle): void {
    super.binary(op, a, b, out);
    if (this.perturbation === 'div 1 ulp high' && op === 'div')
      this.patch(out, (v) => (finite(v) ? bump(v, 1) : v));
  }

  override reduce(call: ReduceCall): void {
    super.reduce(call);
    if (this.perturbation === 'sum 1 ulp high' && call.op === 'sum' && call.length > 1) {
      this.patch(call.out, (v) => (finite(v) ? bump(v, 1) : v));
    }
  }

  override activationBackward(call: ActivationBackwardCall): void {
    super.activationBackward(call);
    if (this.perturbation === 'tanh gradient 2⁻¹⁶ high' && call.activation === 'tanh') {
      this.patch(call.out, (v) => v * (1 + 2 ** -16));
    }
  }

  override softmax(call: SoftmaxCall): void {
    super.softmax(call);
    if (this.perturbation === 'softmax 2⁻¹⁸ high' && !call.log)
      this.patch(call.out, (v) => v * (1 + 2 ** -18));
  }
}
