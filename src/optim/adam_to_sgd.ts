import { noGrad } from '../autograd/tape.js';
import { scope } from '../tensor/storage.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions } from '../util/options.js';
import type { OptimizerLike } from './optimizer.js';
import { Adam, type AdamOptions } from './optimizers/adam.js';
import { SGD, type SgdOptions } from './optimizers/sgd.js';

export interface AdamToSgdOptions {
  /** Adam's options (PyTorch defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8). */
  adam?: Partial<AdamOptions>;
  /**
   * SGD's options after the switch. Default: momentum β₁ and the learning rate estimated from
   * Adam's steps ((1 − β₁)·Λ, the SWATS rule); give `lr` to override the estimate.
   */
  sgd?: Partial<SgdOptions>;
  /** Switch after this many steps. Without it the switch is automatic, by the SWATS criterion. */
  switchAt?: number;
  /** SWATS's tolerance ε on |Λ/(1 − β₂^k) − γ_k|. Default 1e-9. */
  tolerance?: number;
}

/**
 * "Adam early, SGD late": Adam's fast start, then SGD with momentum for the final descent, as the course
 * recommends. The switch happens at `switchAt` steps, when you call `switchToSgd()` (for example at
 * an epoch boundary), or automatically by SWATS (Keskar & Socher 2017, "Improving Generalization
 * Performance by Switching from Adam to SGD", arXiv:1712.07628).
 *
 * SWATS, per parameter group: with p_k Adam's step and g_k the gradient, γ_k = p_kᵀp_k / (−p_kᵀg_k) is
 * the SGD learning rate whose step along g_k would project onto p_k; Λ_k = β₂Λ_{k−1} + (1 − β₂)γ_k is its
 * running average. When k > 1 and |Λ_k/(1 − β₂^k) − γ_k| < ε the estimate has settled: switch to SGD
 * with momentum β₁ and learning rate (1 − β₁)·Λ_k/(1 − β₂^k) (the paper's v ← β₁v + g,
 * w ← w − (1 − β₁)Λv). The estimate is also what a manual switch carries across when SGD's lr is not
 * given. Not in PyTorch.
 */
export class AdamToSGD implements OptimizerLike {
  private readonly adam: Adam;
  private sgd: SGD | null = null;
  private readonly options: AdamToSgdOptions;
  private readonly lambda: number[];
  private readonly estimate: (number | null)[];
  private steps = 0;
  /** The step after which the switch happened (null while still on Adam). */
  switchedAt: number | null = null;

  constructor(params: Tensor[], options: AdamToSgdOptions = {}) {
    checkOptions('AdamToSGD', options, { adam: true, sgd: true, switchAt: true, tolerance: true });
    this.options = options;
    this.adam = new Adam(params, options.adam ?? {});
    if (options.switchAt !== undefined && (!Number.isInteger(options.switchAt) || options.switchAt < 0)) {
      throw new RangeError(`AdamToSGD: switchAt must be a non-negative integer, got ${options.switchAt}`);
    }
    this.lambda = this.adam.paramGroups.map(() => 0);
    this.estimate = this.adam.paramGroups.map(() => null);
  }

  /** 'adam' before the switch, 'sgd' after. */
  get phase(): 'adam' | 'sgd' {
    return this.sgd === null ? 'adam' : 'sgd';
  }

  /** The current optimizer. */
  get current(): OptimizerLike {
    return this.sgd ?? this.adam;
  }

  /** SWATS's bias-corrected estimate Λ/(1 − β₂^k) per group (null until defined). */
  get sgdLrEstimates(): readonly (number | null)[] {
    return this.estimate;
  }

  get paramGroups() {
    return this.current.paramGroups;
  }

  get lr(): number {
    return this.current.lr;
  }

  set lr(value: number) {
    this.current.lr = value;
  }

  step(closure?: () => Tensor | number): Tensor | number | undefined {
    if (this.sgd !== null) return this.sgd.step(closure);
    const before = this.adam.paramGroups.map((g) => g.params.map((p) => noGrad(() => p.detach().clone())));
    const loss = this.adam.step(closure);
    this.steps += 1;
    let settled = false;
    scope(() =>
      noGrad(() => {
        this.adam.paramGroups.forEach((group, k) => {
          let pp = 0;
          let pg = 0;
          group.params.forEach((p, i) => {
            if (p.grad === null) return;
            const step = p.sub(before[k]![i]!);
            pp += step.square().sum().item();
            pg += step.mul(p.grad).sum().item();
          });
          if (pg === 0) return;
          const gamma = pp / -pg;
          const b2 = group.betas[1];
          this.lambda[k] = b2 * this.lambda[k]! + (1 - b2) * gamma;
          const est = this.lambda[k]! / (1 - b2 ** this.steps);
          this.estimate[k] = est;
          if (this.steps > 1 && Math.abs(est - gamma) < (this.options.tolerance ?? 1e-9) && est > 0)
            settled = true;
        });
      }),
    );
    for (const group of before) for (const t of group) t.dispose();
    const due = this.options.switchAt !== undefined ? this.steps >= this.options.switchAt : settled;
    if (due) this.switchToSgd();
    return loss;
  }

  /** Switches to SGD now (idempotent), carrying the learning-rate estimate across. */
  switchToSgd(): void {
    if (this.sgd !== null) return;
    const given = this.options.sgd ?? {};
    const groups = this.adam.paramGroups.map((g, k) => {
      const b1 = g.betas[0];
      const est = this.estimate[k];
      const lr = given.lr ?? (est !== null && est > 0 ? (1 - b1) * est : g.lr);
      return { params: g.params, lr, momentum: given.momentum ?? b1 };
    });
    const { lr: _lr, momentum: _m, ...rest } = given;
    this.sgd = new SGD(groups, { lr: groups[0]!.lr, ...rest });
    this.switchedAt = this.steps;
  }

  zeroGrad(options?: { setToNone?: boolean }): void {
    this.current.zeroGrad(options);
  }

  stateDict(): unknown {
    return {
      phase: this.phase,
      steps: this.steps,
      switchedAt: this.switchedAt,
      lambda: [...this.lambda],
      estimate: [...this.estimate],
      adam: this.adam.stateDict(),
      sgd: this.sgd?.stateDict() ?? null,
    };
  }

  loadStateDict(sd: never): void {
    const s = sd as {
      phase: 'adam' | 'sgd';
      steps: number;
      switchedAt: number | null;
      lambda: number[];
      estimate: (number | null)[];
      adam: Parameters<Adam['loadStateDict']>[0];
      sgd: Parameters<SGD['loadStateDict']>[0] | null;
    };
    if (!s || (s.phase !== 'adam' && s.phase !== 'sgd'))
      throw new TypeError('AdamToSGD.loadStateDict: expected the object returned by stateDict()');
    if (!Number.isInteger(s.steps) || s.steps < 0)
      throw new RangeError(
        `AdamToSGD.loadStateDict: steps must be a non-negative integer, got ${String(s.steps)}`,
      );
    const perGroup = this.lambda.length;
    if (!Array.isArray(s.lambda) || s.lambda.length !== perGroup || !s.lambda.every(Number.isFinite)) {
      throw new RangeError(
        `AdamToSGD.loadStateDict: lambda must hold ${perGroup} finite numbers (one per group)`,
      );
    }
    if (
      !Array.isArray(s.estimate) ||
      s.estimate.length !== perGroup ||
      !s.estimate.every((v) => v === null || Number.isFinite(v))
    ) {
      throw new RangeError(
        `AdamToSGD.loadStateDict: estimate must hold ${perGroup} finite numbers or nulls (one per group)`,
      );
    }
    if (s.switchedAt !== null && (!Number.isInteger(s.switchedAt) || s.switchedAt < 0)) {
      throw new RangeError(
        `AdamToSGD.loadStateDict: switchedAt must be null or a non-negative integer, got ${String(s.switchedAt)}`,
      );
    }
    this.adam.loadStateDict(s.adam);
    this.steps = s.steps;
    this.lambda.splice(0, this.lambda.length, ...s.lambda);
    this.estimate.splice(0, this.estimate.length, ...s.estimate);
    this.sgd = null;
    if (s.phase === 'sgd') {
      this.switchToSgd();
      if (s.sgd) this.sgd!.loadStateDict(s.sgd);
    }
    this.switchedAt = s.switchedAt;
  }
}
