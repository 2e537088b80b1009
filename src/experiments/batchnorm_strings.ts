/** The text of the `batchnorm` experiment's section, in English and Chinese (see batchnorm_present.ts). */
import type { Bilingual } from './types.js';

const reachText = (s: number | null): Bilingual =>
  s === null ? { en: 'never', zh: '未达到' } : { en: `at step ${s}`, zh: `第 ${s} 步` };

/** The range [lo, hi] of a series, as the findings print it. */
const span = (r: [number, number]) => `[${r[0].toFixed(2)}, ${r[1].toFixed(2)}]`;

/** How the followed sigmoid input drifts, without BN (`plain`) and with it (`bn`). */
export interface Drift {
  median: [number, number];
  spread: [number, number];
}

export const BATCHNORM_STRINGS = {
  title: {
    en: 'Batch normalization: faster, stable sigmoid inputs, larger learning rates',
    zh: '批归一化：更快的收敛、稳定的 sigmoid 输入、更大的学习率',
  },
  shows: {
    en: 'Reproduces figure 1 of Ioffe & Szegedy 2015 (arXiv:1502.03167) on MNIST: a 784-100-100-100-10 sigmoid network trained by SGD with and without BN (the lecture’s bn_model), from the same small random weights at the same learning rate — test accuracy against step, and the 15th/50th/85th percentiles of one last-hidden-layer sigmoid input; then, as the lecture says (“可以采用更大的学习率、收敛速度更快”), a learning rate several times larger that only the BN network survives.',
    zh: '在 MNIST 上复现 Ioffe & Szegedy 2015（arXiv:1502.03167）图 1：784-100-100-100-10 的 sigmoid 网络（即课件中的 bn_model）分别带与不带 BN，以相同的小随机初始权重和相同学习率用 SGD 训练——测试准确率随迭代步数的变化，以及最后一个隐藏层中某个 sigmoid 输入的第 15/50/85 百分位数；再按课件“可以采用更大的学习率、收敛速度更快”，用大数倍的学习率训练：只有 BN 网络能训练下去。',
  },
  step: { en: 'step', zh: '迭代步数' },
  accuracy: { en: 'test accuracy', zh: '测试准确率' },
  accTitle: { en: 'Test accuracy at lr', zh: '测试准确率，学习率' },
  pctTitle: {
    en: 'Input of one last-layer sigmoid: 15th / 50th / 85th percentiles, lr',
    zh: '最后一层某个 sigmoid 的输入：第 15/50/85 百分位数，学习率',
  },
  pctAxis: { en: 'sigmoid input', zh: 'sigmoid 输入' },
  plain: { en: 'without BN', zh: '无 BN' },
  bn: { en: 'with BN', zh: '有 BN' },
  percentile: { en: 'percentile', zh: '百分位' },
  atLr: (o: {
    lr: number;
    steps: number;
    bn: string;
    plain: string;
    reachBn: number | null;
    reachPlain: number | null;
  }): Bilingual => ({
    en: `At lr ${o.lr}, after ${o.steps} steps: with BN ${o.bn} vs ${o.plain} without; 80% test accuracy reached ${reachText(o.reachBn).en} with BN, ${reachText(o.reachPlain).en} without.`,
    zh: `学习率 ${o.lr}，${o.steps} 步后：有 BN ${o.bn}，无 BN ${o.plain}；测试准确率达到 80%：有 BN ${reachText(o.reachBn).zh}，无 BN ${reachText(o.reachPlain).zh}。`,
  }),
  drift: (o: {
    unit: number;
    first: number;
    steps: number;
    plain: Drift;
    bn: Drift;
    steadier: boolean;
  }): Bilingual => {
    const { plain: a, bn: b } = o;
    return {
      en: `The input of sigmoid ${o.unit} of the last hidden layer, from step ${o.first} to ${o.steps}: its median moves over ${span(a.median)} without BN and over ${span(b.median)} with BN; its 15th–85th percentile spread ranges over ${span(a.spread)} without and ${span(b.spread)} with BN${o.steadier ? ' — with BN the distribution the sigmoid sees shifts less (figure 1b, c).' : '.'}`,
      zh: `最后隐藏层第 ${o.unit} 个 sigmoid 的输入，从第 ${o.first} 步到第 ${o.steps} 步：中位数的变化范围无 BN 为 ${span(a.median)}，有 BN 为 ${span(b.median)}；第 15–85 百分位的宽度无 BN 在 ${span(a.spread)} 之间，有 BN 在 ${span(b.spread)} 之间${o.steadier ? '——有 BN 时 sigmoid 所见的输入分布漂移更小（图 1b、c）。' : '。'}`,
    };
  },
  largeLr: (o: {
    lr: number;
    ratio: number;
    bn: string;
    plain: string;
    gap: string;
    median: number | null;
    survived: boolean;
  }): Bilingual => {
    const saturated = o.median !== null && Math.abs(o.median) > 4;
    const m = o.median === null ? '' : o.median.toFixed(1);
    return {
      en: `At lr ${o.lr} (${o.ratio}× larger): with BN ${o.bn} vs ${o.plain} without (${o.gap} points)${o.median === null ? '' : `; without BN the followed sigmoid input ends with median ${m}${saturated ? ' (saturated)' : ''}`}${o.survived ? ' — the BN network trains on, the plain one does not.' : '.'}`,
      zh: `学习率 ${o.lr}（大 ${o.ratio} 倍）：有 BN ${o.bn}，无 BN ${o.plain}（相差 ${o.gap} 个百分点）${o.median === null ? '' : `；无 BN 时所跟踪的 sigmoid 输入中位数最终为 ${m}${saturated ? '（已饱和）' : ''}`}${o.survived ? '——BN 网络继续学习，无 BN 的网络训练失败。' : '。'}`,
    };
  },
  tableHeader: {
    en: [
      'network',
      'lr',
      'test accuracy',
      'training loss (last steps)',
      'sigmoid input median after step 0: min … max',
    ],
    zh: [
      '网络',
      '学习率',
      '测试准确率',
      '训练损失（最后若干步）',
      '第 0 步后 sigmoid 输入中位数：最小 … 最大',
    ],
  },
};
