/**
 * Tracing one step: running it eagerly under the tracer and turning what was recorded into a Program.
 *
 * The step runs on copies of the inputs in buffers the program owns (a replay copies the next inputs
 * there), inside a scope of its own, so that its temporaries are released while the tracer still
 * watches: into the trace's pool, not the backend's. The tensors it returns that it made itself are
 * taken over by the program (their storages relinquished); everything else the recorded calls
 * mention is external and watched.
 */
import type { Backend, BufferHandle } from '../backend/backend.js';
import { getBackend } from '../backend/registry.js';
import { contiguousStrides } from '../tensor/shape.js';
import { inCurrentScope, Storage, scope } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { buffersOf } from './call_buffers.js';
import { elideCopies } from './elide_copies.js';
import { hoistChecks } from './hoist_checks.js';
import { type OutputTemplate, outputTemplate } from './outputs.js';
import { type InputSlot, Program } from './program.js';
import { type OwnedBuffer, Tracer } from './tracer.js';

export interface TraceRequest<I extends readonly Tensor[], O> {
  readonly step: (...inputs: I) => O;
  readonly params: readonly Tensor[];
  readonly inputs: I;
}

/**
 * A program and the traced step's result; or, where the step could not be captured, its eager result,
 * the reason, and what to release once that result is no longer needed (at the next run).
 */
export type TraceOutcome<O> =
  | { readonly program: Program<O>; readonly result: O }
  | { readonly program: null; readonly result: O; readonly reason: string; readonly leftovers: () => void };

function backendsOf(request: TraceRequest<readonly Tensor[], unknown>): Set<Backend> {
  return new Set([
    ...request.params.map((p) => p.backend),
    ...request.inputs.map((t) => t.backend),
    getBackend(),
  ]);
}

/** Buffers of the program's own for the inputs, holding copies of them. */
function inputSlots(inputs: readonly Tensor[]): InputSlot[] {
  return inputs.map((t) => {
    const buffer = t.backend.allocate(t.dtype, t.size, t.shape);
    const view = { buffer, shape: t.shape.slice(), strides: contiguousStrides(t.shape), offset: 0 };
    t.backend.copy(t.strided(), view);
    return { backend: t.backend, view };
  });
}

function releaseAll(owned: readonly OwnedBuffer[]): void {
  for (const { backend, buffer } of owned) backend.release(buffer);
}

/** Runs the step once under `tracer`; the template is null when the trace was given up. */
function runTraced<O>(
  tracer: Tracer,
  request: TraceRequest<readonly Tensor[], O>,
  inputs: readonly Tensor[],
): { result: O; template: OutputTemplate<O> | null } {
  let template: OutputTemplate<O> | null = null;
  tracer.start(backendsOf(request));
  try {
    const result = scope(() => {
      const out = (request.step as (...xs: readonly Tensor[]) => O)(...inputs);
      if (tracer.poison === null) template = outputTemplate(out, inCurrentScope);
      return out;
    });
    return { result, template };
  } finally {
    tracer.stop();
  }
}

/** The first check that throws when run again now, outside the step: it reads what the step made. */
function unreplayableCheck(checks: readonly (() => void)[]): string | null {
  for (const check of checks) {
    try {
      check();
    } catch (error) {
      return `a hostCheck reads a tensor made inside the step, which a replay no longer has (${(error as Error).message})`;
    }
  }
  return null;
}

export function traceStep<I extends readonly Tensor[], O>(typed: TraceRequest<I, O>): TraceOutcome<O> {
  // The step is called with tensors standing for its inputs; their tuple type matters only to callers.
  const request = typed as unknown as TraceRequest<readonly Tensor[], O>;
  const slots = inputSlots(request.inputs);
  const inputsOwned = slots.map((s) => ({ backend: s.backend, buffer: s.view.buffer }));
  const traceInputs = slots.map(
    (s, i) => new Tensor(new Storage(s.backend, s.view.buffer, true), request.inputs[i]!.shape),
  );
  const tracer = new Tracer(new Set(request.params.map((p) => p.storage.buffer)));
  let traced: { result: O; template: OutputTemplate<O> | null };
  try {
    traced = runTraced(tracer, request, traceInputs);
  } catch (error) {
    releaseAll(tracer.takePool());
    releaseAll(inputsOwned);
    throw error;
  }
  const { result, template } = traced;
  if (template === null) {
    return { program: null, result, reason: tracer.poison!, leftovers: () => releaseAll(inputsOwned) };
  }
  return finishProgram({ request, tracer, slots, inputsOwned, template });
}

interface Finish<O> {
  request: TraceRequest<readonly Tensor[], O>;
  tracer: Tracer;
  slots: InputSlot[];
  inputsOwned: OwnedBuffer[];
  template: OutputTemplate<O>;
}

/** The program of a completed trace, and the traced step's result handed out over its buffers. */
function finishProgram<O>({ request, tracer, slots, inputsOwned, template }: Finish<O>): TraceOutcome<O> {
  for (const s of template.storages) s.relinquish();
  const results = template.storages.map((s) => ({ backend: s.backend, buffer: s.buffer }));
  const pool = tracer.takePool();
  const owned = [...inputsOwned, ...pool, ...results];
  const ownedSet = new Set<BufferHandle>(owned.map((o) => o.buffer));
  const elided = elideCopies(tracer.calls, tracer.allocatedAt, new Set(pool.map((o) => o.buffer)));
  const { prechecks, calls } = hoistChecks(elided);
  const external = new Set<BufferHandle>();
  for (const c of calls) for (const b of buffersOf(c.args)) if (!ownedSet.has(b)) external.add(b);
  for (const b of tracer.live.keys()) if (!ownedSet.has(b)) external.add(b);
  const grads = request.params.map((param) => ({ param, ...param.gradState }));
  const program = new Program({
    calls,
    prechecks,
    inputs: slots,
    output: template,
    owned,
    external: [...external],
    grads,
  });
  const result = program.handOut();
  const reason = unreplayableCheck(tracer.checks);
  if (reason === null) return { program, result };
  return { program: null, result, reason, leftovers: () => program.dispose() };
}
