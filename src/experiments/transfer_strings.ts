/** The text of the `transfer` experiment's section, in English and Chinese (see transfer_present.ts). */
import type { Bilingual } from './types.js';

export const TRANSFER_STRINGS = {
  title: {
    en: 'Transfer learning: reusing a pre-trained network, by dataset size and similarity',
    zh: '迁移学习：按数据集大小与相似度复用预训练模型',
  },
  shows: {
    en: 'The lecture’s four ways to reuse “类似问题中已经训练好的模型”: an MLP pre-trained on MNIST digits is reused on a small or large new dataset that is similar (further digits) or different (the same digits transposed): (a) small & similar, a linear classifier on the frozen top features; (b) large & similar, the top layer fine-tuned at a smaller learning rate; (c) large & different, every layer fine-tuned at a smaller learning rate; (d) small & different, a linear classifier on frozen early features (the lecture’s SVM; here a softmax classifier). Each against the same architecture trained from scratch on the same data; frozen layers are left out of the optimizer.',
    zh: '课件中复用“类似问题中已经训练好的模型”的四种情况：在 MNIST 数字上预训练的 MLP，被用于相似（其他数字样本）或不同（同样的数字转置后）、小或大的新数据集：(a) 小而相似，在冻结的顶层特征上训练线性分类器；(b) 大而相似，以较小学习率调优顶层；(c) 大而不同，以较小学习率调优多层；(d) 小而不同，在冻结的靠前特征层上训练线性分类器（课件为 SVM，此处为 softmax 分类器）。每种情况都与在同样数据上从头训练的同结构网络比较；冻结的层不交给优化器。',
  },
  cases: {
    a: {
      en: '(a) small, similar: linear classifier on frozen top features',
      zh: '(a) 小而相似：冻结顶层特征 + 线性分类器',
    },
    b: {
      en: '(b) large, similar: top layer fine-tuned at a smaller lr',
      zh: '(b) 大而相似：以较小学习率调优顶层',
    },
    c: {
      en: '(c) large, different: all layers fine-tuned at a smaller lr',
      zh: '(c) 大而不同：以较小学习率调优多层',
    },
    d: {
      en: '(d) small, different: linear classifier on frozen early features',
      zh: '(d) 小而不同：冻结靠前特征层 + 线性分类器',
    },
  },
  shortCases: {
    a: { en: '(a) small, similar', zh: '(a) 小而相似' },
    b: { en: '(b) large, similar', zh: '(b) 大而相似' },
    c: { en: '(c) large, different', zh: '(c) 大而不同' },
    d: { en: '(d) small, different', zh: '(d) 小而不同' },
  },
  strategy: {
    transfer: { en: 'transferred', zh: '迁移' },
    scratch: { en: 'from scratch', zh: '从头训练' },
    'top-features': { en: 'top features + linear', zh: '顶层特征 + 线性分类器' },
  },
  epoch: { en: 'epoch', zh: '轮次' },
  accuracy: { en: 'test accuracy', zh: '测试准确率' },
  curvesTitle: { en: 'Test accuracy per epoch on the new dataset', zh: '新数据集上每轮的测试准确率' },
  barsTitle: { en: 'Final test accuracy per case', zh: '各情况的最终测试准确率' },
  strategyTitle: { en: 'network', zh: '网络' },
  source: (o: { size: number; classes: number; accuracy: string }): Bilingual => ({
    en: `The pre-trained network learned ${o.classes} digit classes from ${o.size} digits (test accuracy ${o.accuracy}).`,
    zh: `预训练网络在 ${o.size} 个样本上学习 ${o.classes} 类数字（测试准确率 ${o.accuracy}）。`,
  }),
  caseFinding: (o: {
    label: string;
    size: number;
    epochs: number;
    transfer: string;
    scratch: string;
    gap: string;
    frozen: string;
    trained: string;
    better: boolean;
  }): Bilingual => ({
    en: `${o.label} (${o.size} samples, ${o.epochs} epochs): ${o.transfer} transferred vs ${o.scratch} from scratch (${o.gap} points; ${o.frozen} weights frozen, ${o.trained} trained)${o.better ? '.' : ' — here training from scratch does as well or better.'}`,
    zh: `${o.label}（${o.size} 个样本，${o.epochs} 轮）：迁移 ${o.transfer}，从头训练 ${o.scratch}（相差 ${o.gap} 个百分点；冻结 ${o.frozen} 个权重，训练 ${o.trained} 个）${o.better ? '。' : '——此时从头训练同样好或更好。'}`,
  }),
  earlyVsTop: (o: { early: string; top: string; earlier: boolean }): Bilingual => ({
    en: `On the small, different dataset a linear classifier on the first layer’s features reaches ${o.early}, on the top layer’s ${o.top}${o.earlier ? ' — the early features carry over better, as the lecture says.' : '.'}`,
    zh: `在小而不同的数据集上，第一层特征上的线性分类器达到 ${o.early}，顶层特征上的为 ${o.top}${o.earlier ? '——正如课件所说，靠前的特征更通用。' : '。'}`,
  }),
  tableHeader: {
    en: [
      'case',
      'samples',
      'network',
      'layers kept / tuned',
      'weights frozen',
      'weights trained',
      'test accuracy',
    ],
    zh: ['情况', '样本数', '网络', '保留层 / 调优层', '冻结权重数', '训练权重数', '测试准确率'],
  },
};
