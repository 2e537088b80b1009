/**
 * The optimizer formula table: every optimizer of OPTIMIZER_NAMES has its update rule (a test that
 * fails when one is added without), each list ends with a form that always applies, every symbol the
 * table explains appears in its formula, and the options that pick a form are options the optimizer
 * really accepts and pick that form.
 */
import { describe, expect, it } from 'vitest';
import {
  createOptimizer,
  OPTIMIZER_FORMULAS,
  OPTIMIZER_NAMES,
  optimizerFormula,
  tensor,
} from '../../src/index.js';
import { messageOf } from '../helpers/thrown.js';

/** For each optimizer: options that select each non-default form, and the form they select. */
const SELECTING: Record<string, [Record<string, unknown>, string][]> = {
  sgd: [
    [{}, 'plain'],
    [{ momentum: 0.9 }, 'momentum'],
    [{ momentum: 0.9, dampening: 0.5 }, 'momentum'],
    [{ momentum: 0.9, nesterov: true }, 'nesterov'],
    [{ momentum: 0.9, nesterov: true, nesterovForm: 'lookahead' }, 'nesterov-lookahead'],
  ],
  adam: [
    [{}, 'pytorch'],
    [{ amsgrad: true }, 'amsgrad'],
    [{ biasCorrection: false }, 'textbook'],
    [{ biasCorrection: false, epsInsideSqrt: true }, 'textbook-eps-inside'],
    [{ epsInsideSqrt: true }, 'eps-inside'],
  ],
  adamw: [
    [{}, 'pytorch'],
    [{ amsgrad: true }, 'amsgrad'],
  ],
  adagrad: [
    [{}, 'pytorch'],
    [{ epsInsideSqrt: true }, 'eps-inside'],
  ],
  rmsprop: [
    [{}, 'pytorch'],
    [{ epsInsideSqrt: true }, 'eps-inside'],
    [{ momentum: 0.9 }, 'momentum'],
    [{ centered: true }, 'centered'],
    [{ centered: true, momentum: 0.5 }, 'centered-momentum'],
  ],
};

describe('OPTIMIZER_FORMULAS', () => {
  it('has at least one formula for every optimizer in OPTIMIZER_NAMES, and no other names', () => {
    expect(Object.keys(OPTIMIZER_FORMULAS).sort()).toEqual([...OPTIMIZER_NAMES].sort());
    for (const name of OPTIMIZER_NAMES) expect(OPTIMIZER_FORMULAS[name].length).toBeGreaterThan(0);
  });

  it.each(OPTIMIZER_NAMES)(
    '%s: the last form always applies and every symbol appears in its rule',
    (name) => {
      const forms = OPTIMIZER_FORMULAS[name];
      expect(forms[forms.length - 1]!.applies({})).toBe(true);
      for (const f of forms) {
        expect(f.update).toContain('θ ←');
        for (const symbol of Object.keys(f.symbols)) {
          for (const s of symbol.split(', ')) expect(f.update, `${name}/${f.form}: ${s}`).toContain(s);
        }
      }
      expect(new Set(forms.map((f) => f.form)).size).toBe(forms.length);
    },
  );

  it.each(Object.entries(SELECTING))('%s: real options pick the intended form', (name, cases) => {
    for (const [options, form] of cases) {
      // The optimizer accepts these options (a renamed option would throw here).
      expect(() => createOptimizer(name, [tensor([1, 2], { requiresGrad: true })], options)).not.toThrow();
      expect(optimizerFormula(name, options).form, JSON.stringify(options)).toBe(form);
    }
  });

  it('writes the forms the course contrasts', () => {
    expect(optimizerFormula('sgd', { momentum: 0.9, nesterov: true, nesterovForm: 'lookahead' }).update).toBe(
      'g = ∇J(θ + ρv) + λθ;  v ← ρv − ηg;  θ ← θ + v',
    );
    expect(optimizerFormula('adam').update).toContain('m̂ = m/(1 − β₁ᵗ)');
    expect(optimizerFormula('adam', { biasCorrection: false }).update).not.toContain('m̂');
    // AdamW decouples the decay from the gradient; Adam couples it.
    expect(optimizerFormula('adamw').update).toContain('+ λθ)');
    expect(optimizerFormula('adamw').update).not.toContain('g ← g + λθ');
    expect(optimizerFormula('adam').update).toContain('g ← g + λθ');
    expect(optimizerFormula('lion').update).toContain('sign(c)');
  });

  it('refuses an unknown optimizer, listing the accepted names', () => {
    expect(messageOf(() => optimizerFormula('adamm'), RangeError)).toBe(
      `optimizerFormula: unknown optimizer "adamm"; accepted: ${OPTIMIZER_NAMES.join(', ')}`,
    );
  });
});
