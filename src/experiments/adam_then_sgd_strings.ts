/** The text of the `adam-then-sgd` experiment's section, in English and Chinese (see adam_then_sgd_present.ts). */
import type { Bilingual } from './types.js';

/** A run that switched to SGD, as its finding prints it (numbers already formatted). */
export interface SwitchText {
  name: string;
  step: number;
  epoch: number | null;
  stepsPerEpoch: number;
  lr: string;
  estimate: string;
  accuracy: string;
  /** The estimate was not positive, so SGD kept Adam's learning rate. */
  fallback: boolean;
}

export const ADAM_THEN_SGD_STRINGS = {
  title: {
    en: 'Adam early, SGD late: switching optimizers',
    zh: '前期 Adam、后期 SGD：切换优化器',
  },
  shows: {
    en: 'The lecture’s advice on optimizers (“前期用 Adam，享受 Adam 快速收敛的优势；后期切换到 SGD，慢慢寻找最优解”): Adam, SGD with momentum, a switch from Adam to SGD at a chosen epoch carrying the learning rate estimated from Adam’s steps, and SWATS, which picks the moment itself (Keskar & Socher 2017, arXiv:1712.07628) — test accuracy after every epoch from the same initial weights.',
    zh: '课件中的优化器建议（“前期用 Adam，享受 Adam 快速收敛的优势；后期切换到 SGD，慢慢寻找最优解”）：Adam、带动量的 SGD、在选定轮次由 Adam 切换到 SGD（沿用由 Adam 步长估计的学习率），以及自动选择切换时机的 SWATS（Keskar & Socher 2017，arXiv:1712.07628）——从相同初始权重出发，每轮后的测试准确率。',
  },
  variant: {
    adam: { en: 'Adam', zh: 'Adam' },
    sgd: { en: 'SGD + momentum', zh: 'SGD + 动量' },
    switch: { en: 'Adam → SGD', zh: 'Adam → SGD' },
    swats: { en: 'SWATS', zh: 'SWATS' },
  },
  epoch: { en: 'epoch', zh: '轮次' },
  accuracy: { en: 'test accuracy', zh: '测试准确率' },
  accTitle: { en: 'Test accuracy per epoch', zh: '每轮测试准确率' },
  loss: { en: 'training loss (epoch mean)', zh: '训练损失（每轮平均）' },
  lossTitle: { en: 'Training loss per epoch', zh: '每轮训练损失' },
  listSeparator: { en: ', ', zh: '，' },
  finalAccuracies: (epochs: number, list: string): Bilingual => ({
    en: `Test accuracy after ${epochs} epochs: ${list}.`,
    zh: `${epochs} 轮后的测试准确率：${list}。`,
  }),
  noSwitch: (name: string, epochs: number, estimate: string): Bilingual => ({
    en: `${name} did not switch within ${epochs} epochs (last estimate Λ = ${estimate}).`,
    zh: `${name} 在 ${epochs} 轮内没有切换（最后的估计 Λ = ${estimate}）。`,
  }),
  switched: (o: SwitchText): Bilingual => ({
    en: `${o.name} switched to SGD after step ${o.step} (epoch ${o.epoch}, ${o.stepsPerEpoch} steps per epoch) with learning rate ${o.lr} and momentum 0.9 (SWATS estimate Λ = ${o.estimate}); final test accuracy ${o.accuracy}.${o.fallback ? ' The estimate was not positive, so SGD kept Adam’s learning rate.' : ''}`,
    zh: `${o.name} 在第 ${o.step} 步后（第 ${o.epoch} 轮，每轮 ${o.stepsPerEpoch} 步）切换到 SGD，学习率 ${o.lr}，动量 0.9（SWATS 估计 Λ = ${o.estimate}）；最终测试准确率 ${o.accuracy}。${o.fallback ? '估计值不为正，因此 SGD 沿用了 Adam 的学习率。' : ''}`,
  }),
  tableHeader: {
    en: [
      'optimizer',
      'test accuracy',
      'best epoch accuracy',
      'switched after step',
      'epoch',
      'SGD lr after the switch',
    ],
    zh: ['优化器', '测试准确率', '各轮最高准确率', '切换步数', '轮次', '切换后 SGD 学习率'],
  },
};
