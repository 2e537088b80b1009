/** The text of the `bn-placement` experiment's section, in English and Chinese (see bn_placement_present.ts). */
import type { Bilingual } from './types.js';

const reachText = (s: number | null): Bilingual =>
  s === null ? { en: 'never', zh: '未达到' } : { en: `at step ${s}`, zh: `第 ${s} 步` };

export const BN_PLACEMENT_STRINGS = {
  title: {
    en: 'Where batch normalization sits: on z or on a',
    zh: '批归一化的位置：对 z 还是对 a',
  },
  shows: {
    en: 'The lecture’s “对z、a做BN均可” (BN may normalize either z or a): two MLPs that differ only in where BatchNorm1d sits — on the pre-activation z = Wx + b (Linear, BN, activation, as in Ioffe & Szegedy 2015, arXiv:1502.03167) or on the activation a (Linear, activation, BN) — and the same MLP without BN, trained on MNIST from the same weights with the same batches: test accuracy against step and the final accuracy.',
    zh: '课件中的“对z、a做BN均可”：两个只有 BatchNorm1d 位置不同的 MLP——对预激活 z = Wx + b 做 BN（线性层、BN、激活函数，与 Ioffe & Szegedy 2015，arXiv:1502.03167 相同），或对激活值 a 做 BN（线性层、激活函数、BN）——以及不带 BN 的同一 MLP，在 MNIST 上以相同初始权重、相同批次训练：测试准确率随迭代步数的变化和最终准确率。',
  },
  placement: {
    none: { en: 'without BN', zh: '无 BN' },
    pre: { en: 'BN on z (before the activation)', zh: '对 z 做 BN（激活前）' },
    post: { en: 'BN on a (after the activation)', zh: '对 a 做 BN（激活后）' },
  },
  step: { en: 'step', zh: '迭代步数' },
  testAccuracy: { en: 'test accuracy', zh: '测试准确率' },
  accTitle: {
    en: 'Test accuracy against step, by BN placement',
    zh: '不同 BN 位置的测试准确率随迭代步数的变化',
  },
  lossTitle: {
    en: 'Training loss against step, by BN placement',
    zh: '不同 BN 位置的训练损失随迭代步数的变化',
  },
  stepLoss: { en: 'training loss (moving average of 10 steps)', zh: '训练损失（10 步滑动平均）' },
  listSeparator: { en: '; ', zh: '；' },
  final: (o: { steps: number; list: string }): Bilingual => ({
    en: `Test accuracy after ${o.steps} steps: ${o.list}.`,
    zh: `${o.steps} 步后的测试准确率：${o.list}。`,
  }),
  either: (o: { apart: string; weaker: string; plain: string; both: boolean }): Bilingual => ({
    en: `The two placements end ${o.apart} points apart; the weaker of them against the network without BN (${o.plain}): ${o.weaker} points${o.both ? ' — either placement works, as the lecture says.' : '.'}`,
    zh: `两种位置最终相差 ${o.apart} 个百分点；其中较差者与无 BN 网络（${o.plain}）相比：${o.weaker} 个百分点${o.both ? '——正如课件所说，对 z、a 做 BN 均可。' : '。'}`,
  }),
  reach: (o: { level: string; list: string }): Bilingual => ({
    en: `${o.level} test accuracy reached: ${o.list}.`,
    zh: `测试准确率达到 ${o.level}：${o.list}。`,
  }),
  reachText,
  tableHeader: {
    en: [
      'network',
      'hidden layer',
      'test accuracy',
      'training loss (last steps)',
      '80% test accuracy reached',
    ],
    zh: ['网络', '隐藏层结构', '测试准确率', '训练损失（最后若干步）', '测试准确率达到 80%'],
  },
};
