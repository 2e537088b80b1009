/** The text of the `optimizers-mnist` experiment's section, in English and Chinese (see optimizers_mnist_present.ts). */
import type { Bilingual } from './types.js';

export const OPTIMIZERS_MNIST_STRINGS = {
  title: {
    en: 'Optimizers on MNIST (Kingma & Ba 2015, figure 2)',
    zh: 'MNIST 上的优化器比较（Kingma & Ba 2015，图 2）',
  },
  shows: {
    en: 'Reproduces the style of the Adam paper\'s figure 2 (Kingma & Ba 2015: training cost of a multilayer network on MNIST for AdaGrad, RMSProp, SGD + Nesterov, AdaDelta and Adam) at a small size, the comparison behind the lecture\'s adaptive-learning-rate slides and its advice "Adam 通常是一个很好的选择".',
    zh: '以小规模复现 Adam 论文图 2 的比较方式（Kingma & Ba 2015：多层网络在 MNIST 上的训练损失，比较 AdaGrad、RMSProp、SGD + Nesterov、AdaDelta 与 Adam），对应课件中自适应学习率一节及“Adam 通常是一个很好的选择”的建议。',
  },
  epoch: { en: 'epoch', zh: '训练轮数' },
  step: { en: 'step', zh: '迭代步数' },
  epochLoss: { en: 'training loss per epoch', zh: '每轮平均训练损失' },
  stepLoss: { en: 'training loss per step (moving average)', zh: '每步训练损失（滑动平均）' },
  loss: { en: 'training cost (cross-entropy)', zh: '训练损失（交叉熵）' },
  listSeparator: { en: ', ', zh: '，' },
  ranking: (epochs: number, list: string): Bilingual => ({
    en: `Training loss after ${epochs} epochs, lowest first: ${list}.`,
    zh: `${epochs} 轮后的训练损失（由低到高）：${list}。`,
  }),
  adamRank: (rank: number, of: number, firstEpoch: string): Bilingual => ({
    en: `Adam ranks ${rank} of ${of} by final training loss; after the first epoch its loss is ${firstEpoch}.`,
    zh: `按最终训练损失，Adam 排第 ${rank}（共 ${of} 个）；第一轮后其损失为 ${firstEpoch}。`,
  }),
  testAccuracy: (list: string): Bilingual => ({
    en: `Test accuracy: ${list}.`,
    zh: `测试集准确率：${list}。`,
  }),
  tableHeader: (epochs: number): Bilingual<string[]> => {
    const k = Array.from({ length: epochs }, (_, i) => i + 1);
    return {
      en: ['optimizer', 'settings', ...k.map((e) => `loss, epoch ${e}`), 'test accuracy'],
      zh: ['优化器', '设置', ...k.map((e) => `第 ${e} 轮损失`), '测试集准确率'],
    };
  },
};
