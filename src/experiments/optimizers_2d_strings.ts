/** The text of the `optimizers-2d` experiment's section, in English and Chinese (see optimizers_2d_present.ts). */
import type { Surface2d } from './optimizers_2d_setups.js';
import type { Bilingual } from './types.js';

export const SURFACE_TITLES: Record<Surface2d, Bilingual> = {
  quadratic: { en: 'ill-conditioned quadratic', zh: '病态二次函数' },
  rosenbrock: { en: 'Rosenbrock', zh: 'Rosenbrock 函数' },
  beale: { en: 'Beale', zh: 'Beale 函数' },
  saddle: { en: 'saddle', zh: '鞍点' },
};

export const OPTIMIZERS_2D_STRINGS = {
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
  notWithin: (steps: number): Bilingual => ({ en: `not within ${steps}`, zh: `${steps} 步内未达到` }),
  quadratic: (o: {
    zs: number;
    sgdAt: string;
    zm: number;
    momAt: string;
    nesAt: string | null;
  }): Bilingual => ({
    en: `Quadratic: SGD crosses the valley floor (y changes sign while |y| > 0.01) ${o.zs} times and reaches f < 1e-4 at step ${o.sgdAt}; momentum crosses it ${o.zm} times and arrives at step ${o.momAt}${o.nesAt !== null ? `, Nesterov at step ${o.nesAt}` : ''}.`,
    zh: `二次函数：SGD 来回穿过谷底（|y| > 0.01 时 y 变号）${o.zs} 次，第 ${o.sgdAt} 步 f < 1e-4；动量法只穿过 ${o.zm} 次，第 ${o.momAt} 步到达${o.nesAt !== null ? `，Nesterov 第 ${o.nesAt} 步` : ''}。`,
  }),
  saddle: (o: { sgdY: string; steps: number; momAt: string; nesAt: string; range: string }): Bilingual => ({
    en: `Saddle x² − y² from (−2, 0.001): SGD is still at |y| = ${o.sgdY} after ${o.steps} steps (stalled); momentum leaves (|y| > 1) at step ${o.momAt} and Nesterov at ${o.nesAt}, after lingering near the saddle; AdaGrad, AdaDelta, RMSProp and Adam leave at steps ${o.range}.`,
    zh: `鞍点 x² − y²，起点 (−2, 0.001)：SGD 经过 ${o.steps} 步后 |y| 仍只有 ${o.sgdY}（停滞）；动量法在鞍点附近停留后于第 ${o.momAt} 步脱离（|y| > 1），Nesterov 第 ${o.nesAt} 步；AdaGrad、AdaDelta、RMSProp 和 Adam 在第 ${o.range} 步即脱离。`,
  }),
  reached: (o: { name: string; goal: string; list: string; rest: string; steps: number }): Bilingual => ({
    en: `${o.name}: first step with ${o.goal}: ${o.list || 'none'}${o.rest ? `; not within ${o.steps} steps: ${o.rest}` : ''}.`,
    zh: `${o.name}：首次 ${o.goal} 的步数：${o.list || '无'}${o.rest ? `；${o.steps} 步内未达到：${o.rest}` : ''}。`,
  }),
};
