/**
 * Experiment 1, `optimizers-2d`: optimizer paths on 2-D loss surfaces, the lecture's pictures of
 * gradient descent and its improvements (slides "动量法比较", "各种改进的梯度下降法的可视化结果" and
 * the saddle point slide; the animations after Radford 2014).
 *
 * Every optimizer is the library's own class (`createOptimizer`) on one float32 parameter θ = [x, y]
 * whose loss is the surface's differentiable tensor form, exactly as in training. What each surface
 * shows, with the step budget and the goal whose first step is reported as `thresholdStep`:
 *
 * | surface | start | steps | goal | shows |
 * | --- | --- | --- | --- | --- |
 * | quadratic 0.5·(x² + 25y²) | (−4, 1) | 150 | f < 1e-4 | SGD zig-zags across the steep axis; momentum swings smoothly and arrives in fewer steps; Nesterov damps the swing |
 * | Rosenbrock | (−1.5, 2) | 1500 | f < 1e-3 | the long curved valley: plain SGD and AdaGrad crawl along it |
 * | Beale | (1, 1) | 1000 | f < 1e-3 | momentum and Nesterov swing out into another region before turning to (3, 0.5) |
 * | saddle x² − y² | (−2, 0.001) | 150 | |y| > 1 ("leaves the saddle") | SGD stalls at the saddle, momentum and Nesterov linger there and then escape, adaptive methods escape at once |
 *
 * Learning rates are tuned per surface so that each path is stable and visible (the table `SETUPS_2D`
 * documents them, with the reasons): SGD, momentum and Nesterov share one learning rate per surface
 * (except SGD on the quadratic, set just below its stability limit 2/25 to show the zig-zag), the
 * adaptive methods use their usual scales. Nesterov is the course's look-ahead form
 * v ← ρv − η∇J(θ + ρv). Lion moves every coordinate by exactly η per step, so at a constant rate it
 * ends in a cycle of size η around a minimum; it runs with cosine decay to 0 as in its paper.
 *
 * The run is deterministic (no randomness is involved).
 */

import { noGrad } from '../autograd/tape.js';
import { createOptimizer, type OptimizerName } from '../optim/registry.js';
import { contourPlot, type Window } from '../report/contour.js';
import { lineChart } from '../report/figures.js';
import { orderSeries } from '../report/series_order.js';
import { type Surface, surfaces } from '../surfaces/functions.js';
import { tensor } from '../tensor/creation.js';
import { scope } from '../tensor/storage.js';
import { type Bilingual, type Experiment, type ExperimentPresentation, type Lang, tr } from './types.js';

export const SURFACES_2D = ['quadratic', 'rosenbrock', 'beale', 'saddle'] as const;
export type Surface2d = (typeof SURFACES_2D)[number];

export const OPTIMIZERS_2D = [
  'sgd',
  'momentum',
  'nesterov',
  'adagrad',
  'adadelta',
  'rmsprop',
  'adam',
  'nadam',
  'lion',
] as const;
export type Optimizer2d = (typeof OPTIMIZERS_2D)[number];

/** How one optimizer runs on one surface. */
export interface RunSpec2d {
  optimizer: OptimizerName;
  /** PyTorch-style options (see `createOptimizer`). */
  options: Record<string, number | boolean | string>;
  /** 'cosine': lr_k = lr·½(1 + cos(πk/steps)) before step k (Lion). Default constant. */
  schedule?: 'constant' | 'cosine';
}

/** What counts as reaching the goal on a surface. */
export type Goal2d = { kind: 'loss'; below: number } | { kind: 'escape'; above: number };

export interface SurfaceSetup2d {
  start: readonly [number, number];
  steps: number;
  goal: Goal2d;
  /** The plotted window and its contour levels. */
  window: Window;
  levels: readonly number[];
  runs: Record<Optimizer2d, RunSpec2d>;
}

const geometric = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n }, (_, k) => lo * (hi / lo) ** (k / (n - 1)));
const evenly = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n }, (_, k) => lo + ((hi - lo) * k) / (n - 1));

const sgd = (lr: number): RunSpec2d => ({ optimizer: 'sgd', options: { lr } });
const momentum = (lr: number, rho: number): RunSpec2d => ({
  optimizer: 'sgd',
  options: { lr, momentum: rho },
});
const nesterov = (lr: number, rho: number): RunSpec2d => ({
  optimizer: 'sgd',
  options: { lr, momentum: rho, nesterov: true, nesterovForm: 'lookahead' },
});
const adaptive = (optimizer: OptimizerName, options: Record<string, number>): RunSpec2d => ({
  optimizer,
  options,
});
const lion = (lr: number): RunSpec2d => ({ optimizer: 'lion', options: { lr }, schedule: 'cosine' });

/**
 * The set-ups, with the reasons for each learning rate:
 *
 * - quadratic (Hessian diag(1, 25)): SGD at 0.075, just under the stability limit 2/25, multiplies y
 *   by 1 − 25·0.075 = −0.875 per step (the zig-zag) and x by 0.925; momentum and Nesterov at lr 0.02,
 *   ρ 0.8 contract both axes by √0.8 ≈ 0.89 per step with a smooth swing; RMSprop and AdaDelta need
 *   eps 0.1 to settle (with the default eps they end in a limit cycle, see docs/OPTIMIZERS.md).
 * - Rosenbrock: the curvature at the start (≈ 1900) caps SGD at lr ≈ 1e-3; the heavy-ball methods at
 *   7e-4 (Nesterov's look-ahead diverges at 1.5e-3); the adaptive methods at rates that neither jump
 *   out of the window at the first steps nor stall.
 * - Beale: one rate 0.01 for the SGD family; the adaptive methods at their usual scales.
 * - saddle: SGD, momentum and Nesterov at 0.01, so that y grows by 1.02 per SGD step (1e-3 → 0.02 in
 *   150 steps: stalled) while momentum multiplies it by ≈ 1.11 once it arrives at the saddle; the
 *   adaptive methods normalize the tiny gradient in y and move by about their learning rate at once.
 */
export const SETUPS_2D: Record<Surface2d, SurfaceSetup2d> = {
  quadratic: {
    start: [-4, 1],
    steps: 150,
    goal: { kind: 'loss', below: 1e-4 },
    window: [-5, 5, -2, 2],
    levels: geometric(0.02, 40, 14),
    runs: {
      sgd: sgd(0.075),
      momentum: momentum(0.02, 0.8),
      nesterov: nesterov(0.02, 0.8),
      adagrad: adaptive('adagrad', { lr: 1 }),
      adadelta: adaptive('adadelta', { lr: 0.07, eps: 0.1 }),
      rmsprop: adaptive('rmsprop', { lr: 0.05, eps: 0.1 }),
      adam: adaptive('adam', { lr: 0.1 }),
      nadam: adaptive('nadam', { lr: 0.1 }),
      lion: lion(0.15),
    },
  },
  rosenbrock: {
    start: [-1.5, 2],
    steps: 1500,
    goal: { kind: 'loss', below: 1e-3 },
    window: [-2, 2, -1, 3],
    levels: geometric(0.5, 2000, 13),
    runs: {
      sgd: sgd(0.001),
      momentum: momentum(0.0007, 0.9),
      nesterov: nesterov(0.0007, 0.9),
      adagrad: adaptive('adagrad', { lr: 0.5 }),
      adadelta: adaptive('adadelta', { lr: 0.3 }),
      rmsprop: adaptive('rmsprop', { lr: 0.005 }),
      adam: adaptive('adam', { lr: 0.05 }),
      nadam: adaptive('nadam', { lr: 0.05 }),
      lion: lion(0.02),
    },
  },
  beale: {
    start: [1, 1],
    steps: 1000,
    goal: { kind: 'loss', below: 1e-3 },
    window: [-0.5, 4.5, -1.5, 2],
    levels: geometric(0.01, 100, 16),
    runs: {
      sgd: sgd(0.01),
      momentum: momentum(0.01, 0.9),
      nesterov: nesterov(0.01, 0.9),
      adagrad: adaptive('adagrad', { lr: 0.5 }),
      adadelta: adaptive('adadelta', { lr: 1 }),
      rmsprop: adaptive('rmsprop', { lr: 0.01 }),
      adam: adaptive('adam', { lr: 0.05 }),
      nadam: adaptive('nadam', { lr: 0.05 }),
      lion: lion(0.02),
    },
  },
  saddle: {
    start: [-2, 1e-3],
    steps: 150,
    goal: { kind: 'escape', above: 1 },
    window: [-2.5, 2.5, -2.5, 2.5],
    levels: evenly(-6, 6, 25),
    runs: {
      sgd: sgd(0.01),
      momentum: momentum(0.01, 0.9),
      nesterov: nesterov(0.01, 0.9),
      adagrad: adaptive('adagrad', { lr: 0.1 }),
      adadelta: adaptive('adadelta', { lr: 1 }),
      rmsprop: adaptive('rmsprop', { lr: 0.01 }),
      adam: adaptive('adam', { lr: 0.05 }),
      nadam: adaptive('nadam', { lr: 0.05 }),
      lion: lion(0.05),
    },
  },
};

export const OPTIMIZER_LABELS_2D: Record<Optimizer2d, string> = {
  sgd: 'SGD',
  momentum: 'Momentum',
  nesterov: 'Nesterov',
  adagrad: 'AdaGrad',
  adadelta: 'AdaDelta',
  rmsprop: 'RMSProp',
  adam: 'Adam',
  nadam: 'NAdam',
  lion: 'Lion',
};

export interface Optimizers2dOptions {
  surfaces: Surface2d[];
  optimizers: Optimizer2d[];
  /** Steps per surface; surfaces left out take `SETUPS_2D[surface].steps`. */
  steps: Partial<Record<Surface2d, number>>;
}

export interface Path2d {
  optimizer: Optimizer2d;
  label: string;
  spec: RunSpec2d;
  /** The points from the start, one per step (steps + 1), cut at the first non-finite one. */
  path: [number, number][];
  /** f at each point of `path`. */
  losses: number[];
  /** The first step meeting the surface's goal (loss below, or |y| above), or null. */
  thresholdStep: number | null;
  finalLoss: number;
  /** True when the iterate stopped being finite (the path ends there). */
  diverged: boolean;
}

export interface Surface2dResult {
  surface: Surface2d;
  formula: string;
  start: [number, number];
  steps: number;
  goal: Goal2d;
  window: [number, number, number, number];
  criticalPoints: [number, number][];
  runs: Path2d[];
}

export interface Optimizers2dResult {
  surfaces: Surface2dResult[];
}

/** Runs one optimizer on a surface (float32 θ, as in training), recording every iterate. */
export function trajectory2d(
  surface: Surface,
  spec: RunSpec2d,
  start: readonly [number, number],
  steps: number,
): { path: [number, number][]; losses: number[]; diverged: boolean } {
  const theta = tensor([start[0], start[1]], { requiresGrad: true });
  const opt = createOptimizer(spec.optimizer, [theta], spec.options);
  const lr0 = opt.lr;
  const path: [number, number][] = [];
  const losses: number[] = [];
  const record = (): boolean => {
    const [x, y] = theta.data() as unknown as [number, number];
    if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
    // Nine significant digits give back every float32 exactly and halve the JSON.
    path.push([Number(x.toPrecision(9)), Number(y.toPrecision(9))]);
    losses.push(Number(surface.value(x, y).toPrecision(9)));
    return true;
  };
  record();
  let diverged = false;
  for (let k = 0; k < steps; k++) {
    if (spec.schedule === 'cosine') opt.lr = lr0 * 0.5 * (1 + Math.cos((Math.PI * k) / steps));
    scope(() =>
      opt.step(() => {
        theta.zeroGrad();
        const loss = surface.loss(theta);
        loss.backward();
        return loss;
      }),
    );
    if (!record()) {
      diverged = true;
      break;
    }
  }
  noGrad(() => theta.dispose());
  return { path, losses, diverged };
}

function firstStep(goal: Goal2d, path: [number, number][], losses: number[]): number | null {
  for (let k = 0; k < path.length; k++) {
    const hit = goal.kind === 'loss' ? losses[k]! < goal.below : Math.abs(path[k]![1]) > goal.above;
    if (hit) return k;
  }
  return null;
}

function run(options: Partial<Optimizers2dOptions> = {}): Optimizers2dResult {
  const o = { ...defaults, ...options };
  for (const s of o.surfaces) {
    if (!SURFACES_2D.includes(s))
      throw new RangeError(`optimizers-2d: unknown surface '${s}'; accepted: ${SURFACES_2D.join(', ')}`);
  }
  for (const name of o.optimizers) {
    if (!OPTIMIZERS_2D.includes(name))
      throw new RangeError(
        `optimizers-2d: unknown optimizer '${name}'; accepted: ${OPTIMIZERS_2D.join(', ')}`,
      );
  }
  return {
    surfaces: o.surfaces.map((name) => {
      const setup = SETUPS_2D[name];
      const surface = surfaces[name];
      const steps = o.steps[name] ?? setup.steps;
      if (!Number.isInteger(steps) || steps < 1)
        throw new RangeError(`optimizers-2d: steps for ${name} must be a positive integer, got ${steps}`);
      return {
        surface: name,
        formula: surface.formula,
        start: [setup.start[0], setup.start[1]],
        steps,
        goal: setup.goal,
        window: [...setup.window],
        criticalPoints: surface.criticalPoints.map(([x, y]) => [x, y]),
        runs: o.optimizers.map((id) => {
          const spec = setup.runs[id];
          const t = trajectory2d(surface, spec, setup.start, steps);
          return {
            optimizer: id,
            label: OPTIMIZER_LABELS_2D[id],
            spec,
            ...t,
            thresholdStep: firstStep(setup.goal, t.path, t.losses),
            finalLoss: t.losses[t.losses.length - 1]!,
          };
        }),
      };
    }),
  };
}

const defaults: Optimizers2dOptions = {
  surfaces: [...SURFACES_2D],
  optimizers: [...OPTIMIZERS_2D],
  steps: {},
};

/**
 * Crossings of the valley floor y = 0 that are visible at the scale of the start (|y| on both sides
 * above `visible`): the zig-zag across the quadratic's steep axis.
 */
export function ySignChanges(path: readonly (readonly [number, number])[], visible = 0.01): number {
  let n = 0;
  for (let k = 1; k < path.length; k++) {
    const a = path[k - 1]![1];
    const b = path[k]![1];
    if (a * b < 0 && Math.abs(a) > visible && Math.abs(b) > visible) n++;
  }
  return n;
}

const SURFACE_TITLES: Record<Surface2d, Bilingual> = {
  quadratic: { en: 'ill-conditioned quadratic', zh: '病态二次函数' },
  rosenbrock: { en: 'Rosenbrock', zh: 'Rosenbrock 函数' },
  beale: { en: 'Beale', zh: 'Beale 函数' },
  saddle: { en: 'saddle', zh: '鞍点' },
};

const T = {
  title: { en: 'Optimizer paths on 2-D surfaces', zh: '二维曲面上的优化路径' },
  shows: {
    en: 'Reproduces the lecture\'s comparison of gradient descent, momentum, Nesterov and the adaptive methods (slides "动量法比较", "各种改进的梯度下降法的可视化结果" and the saddle-point slide, after Radford\'s animations): on an ill-conditioned quadratic SGD zig-zags and momentum smooths the path; at a saddle SGD stalls, momentum lingers and escapes, adaptive methods escape at once. Nesterov is the course\'s look-ahead form; Lion (Chen et al. 2023) and NAdam (Dozat 2016) are newer methods.',
    zh: '复现课件中梯度下降、动量法、Nesterov 与自适应学习率方法的比较（“动量法比较”“各种改进的梯度下降法的可视化结果”及鞍点页，取自 Radford 的动画）：病态二次函数上 SGD 呈“之”字形，动量法路径平滑；鞍点处 SGD 停滞，动量法停留一会后脱离，自适应方法迅速脱离。Nesterov 采用课件的前瞻形式；Lion（Chen 等 2023）和 NAdam（Dozat 2016）为较新的方法。',
  },
  step: { en: 'step', zh: '迭代步数' },
  loss: { en: 'loss f(x, y)', zh: '损失 f(x, y)' },
  absY: { en: '|y| (distance from the ridge)', zh: '|y|（离开鞍点脊线的距离）' },
  pathsOn: { en: 'paths on', zh: '优化路径：' },
  lossOn: { en: 'loss against step:', zh: '损失随迭代步数：' },
  escapeOn: { en: 'leaving the saddle:', zh: '脱离鞍点：' },
  optimizer: { en: 'optimizer', zh: '优化器' },
  never: { en: 'never', zh: '未达到' },
  minimum: { en: 'minimum', zh: '极小值点' },
  saddlePoint: { en: 'saddle point', zh: '鞍点' },
};

function goalText(goal: Goal2d, lang: Lang): string {
  if (goal.kind === 'escape') return lang === 'en' ? `|y| > ${goal.above}` : `|y| > ${goal.above}`;
  return `f < ${goal.below.toExponential(0)}`;
}

/** At most `max` points of a path, evenly spaced, the last one kept (keeps report figures small). */
function thin(path: readonly [number, number][], max: number): [number, number][] {
  if (path.length <= max) return [...path];
  const every = Math.ceil(path.length / max);
  const out = path.filter((_, k) => k % every === 0);
  if ((path.length - 1) % every !== 0) out.push(path[path.length - 1]!);
  return out;
}

function present(result: Optimizers2dResult, lang: Lang): ExperimentPresentation {
  const figures = result.surfaces.flatMap((s) => {
    const surface = surfaces[s.surface];
    const setup = SETUPS_2D[s.surface];
    const name = tr(SURFACE_TITLES[s.surface], lang);
    const contour = contourPlot(
      surface.value,
      s.runs.map((r) => ({ name: r.label, points: thin(r.path, 400) })),
      {
        title: `${tr(T.pathsOn, lang)} ${name} ${s.formula}`,
        xTitle: 'x',
        yTitle: 'y',
        window: s.window,
        levels: setup.levels,
        resolution: 120,
        markers: s.criticalPoints.map(([x, y]) => ({
          name: `${tr(s.surface === 'saddle' ? T.saddlePoint : T.minimum, lang)} (${x}, ${y})`,
          x,
          y,
        })),
      },
    );
    const escaping = s.goal.kind === 'escape';
    const curves = orderSeries(
      lineChart(
        s.runs.map((r) => ({
          name: r.label,
          points: thin(
            r.losses.map((l, k): [number, number] => [
              k,
              Number((escaping ? Math.abs(r.path[k]![1]) : l).toPrecision(4)),
            ]),
            400,
          ),
        })),
        {
          title: `${tr(escaping ? T.escapeOn : T.lossOn, lang)} ${name}`,
          xTitle: tr(T.step, lang),
          yTitle: tr(escaping ? T.absY : T.loss, lang),
          logY: true,
        },
      ),
      s.runs.map((r) => r.label),
    );
    return [contour, curves];
  });

  const header = [
    tr(T.optimizer, lang),
    ...result.surfaces.map((s) => `${tr(SURFACE_TITLES[s.surface], lang)}: ${goalText(s.goal, lang)}`),
  ];
  const ids = result.surfaces[0]?.runs.map((r) => r.optimizer) ?? [];
  const rows = ids.map((id) => [
    OPTIMIZER_LABELS_2D[id],
    ...result.surfaces.map((s) => {
      const r = s.runs.find((q) => q.optimizer === id);
      if (r === undefined) return '';
      const lr = r.spec.options.lr;
      const at = r.thresholdStep === null ? `${tr(T.never, lang)} (${s.steps})` : String(r.thresholdStep);
      return `${at} · lr ${lr}`;
    }),
  ]);
  return {
    title: tr(T.title, lang),
    shows: tr(T.shows, lang),
    findings: findings(result, lang),
    figures,
    table: { header, rows },
  };
}

function findings(result: Optimizers2dResult, lang: Lang): string[] {
  const out: string[] = [];
  const get = (s: Surface2dResult, id: Optimizer2d) => s.runs.find((r) => r.optimizer === id);
  const step = (r: Path2d | undefined, s: Surface2dResult) =>
    r === undefined
      ? '?'
      : r.thresholdStep === null
        ? lang === 'en'
          ? `not within ${s.steps}`
          : `${s.steps} 步内未达到`
        : String(r.thresholdStep);
  for (const s of result.surfaces) {
    const sgdRun = get(s, 'sgd');
    const mom = get(s, 'momentum');
    const nes = get(s, 'nesterov');
    if (s.surface === 'quadratic' && sgdRun && mom) {
      const zs = ySignChanges(sgdRun.path);
      const zm = ySignChanges(mom.path);
      out.push(
        lang === 'en'
          ? `Quadratic: SGD crosses the valley floor (y changes sign while |y| > 0.01) ${zs} times and reaches f < 1e-4 at step ${step(sgdRun, s)}; momentum crosses it ${zm} times and arrives at step ${step(mom, s)}${nes ? `, Nesterov at step ${step(nes, s)}` : ''}.`
          : `二次函数：SGD 来回穿过谷底（|y| > 0.01 时 y 变号）${zs} 次，第 ${step(sgdRun, s)} 步 f < 1e-4；动量法只穿过 ${zm} 次，第 ${step(mom, s)} 步到达${nes ? `，Nesterov 第 ${step(nes, s)} 步` : ''}。`,
      );
    }
    if (s.surface === 'saddle') {
      const adaptiveIds: Optimizer2d[] = ['adagrad', 'adadelta', 'rmsprop', 'adam'];
      const ad = adaptiveIds
        .map((id) => get(s, id))
        .filter((r): r is Path2d => r !== undefined && r.thresholdStep !== null)
        .map((r) => r.thresholdStep!);
      const sgdY = sgdRun ? Math.abs(sgdRun.path[sgdRun.path.length - 1]![1]) : Number.NaN;
      const range = ad.length ? `${Math.min(...ad)}–${Math.max(...ad)}` : '?';
      out.push(
        lang === 'en'
          ? `Saddle x² − y² from (−2, 0.001): SGD is still at |y| = ${sgdY.toPrecision(2)} after ${s.steps} steps (stalled); momentum leaves (|y| > 1) at step ${step(mom, s)} and Nesterov at ${step(nes, s)}, after lingering near the saddle; AdaGrad, AdaDelta, RMSProp and Adam leave at steps ${range}.`
          : `鞍点 x² − y²，起点 (−2, 0.001)：SGD 经过 ${s.steps} 步后 |y| 仍只有 ${sgdY.toPrecision(2)}（停滞）；动量法在鞍点附近停留后于第 ${step(mom, s)} 步脱离（|y| > 1），Nesterov 第 ${step(nes, s)} 步；AdaGrad、AdaDelta、RMSProp 和 Adam 在第 ${range} 步即脱离。`,
      );
    }
    if (s.surface === 'rosenbrock' || s.surface === 'beale') {
      const name = tr(SURFACE_TITLES[s.surface], lang);
      const reached = s.runs
        .filter((r) => r.thresholdStep !== null)
        .sort((a, b) => a.thresholdStep! - b.thresholdStep!);
      const notReached = s.runs.filter((r) => r.thresholdStep === null);
      const list = reached.map((r) => `${r.label} ${r.thresholdStep}`).join(', ');
      const rest = notReached.map((r) => `${r.label} (f = ${r.finalLoss.toPrecision(2)})`).join(', ');
      const goal = goalText(s.goal, lang);
      out.push(
        lang === 'en'
          ? `${name}: first step with ${goal}: ${list || 'none'}${rest ? `; not within ${s.steps} steps: ${rest}` : ''}.`
          : `${name}：首次 ${goal} 的步数：${list || '无'}${rest ? `；${s.steps} 步内未达到：${rest}` : ''}。`,
      );
    }
  }
  return out;
}

export const optimizers2d: Experiment<Optimizers2dOptions, Optimizers2dResult> = {
  name: 'optimizers-2d',
  title: T.title,
  defaults,
  run,
  present,
};
