/** The text of the `overfitting` experiment's section, in English and Chinese (see overfitting_present.ts). */
import type { Bilingual } from './types.js';

/** The unregularized run's numbers, as its finding prints them. */
export interface UnregularizedText {
  trainSize: number;
  train: string;
  test: string;
  gap: string;
  last: { epoch: number; valLoss: string };
  /** The epoch of the lowest validation loss, when it came before the last one. */
  best: { epoch: number; valLoss: string } | null;
}

export const OVERFITTING_STRINGS = {
  title: {
    en: 'Overfitting and the regularizers against it',
    zh: '过拟合与抗过拟合策略',
  },
  shows: {
    en: 'The lecture’s “抗过拟合策略”: a large MLP fits a small set of MNIST digits almost perfectly but generalizes less well; L2 and L1 penalties on the weights (biases excluded), dropout (0.5 on hidden layers, 0.2 on the input; Srivastava et al. 2014) and early stopping with the best weights restored, alone and together, each narrow the gap between training and test accuracy. Curves: training (evaluation mode) and validation accuracy per epoch.',
    zh: '课件“抗过拟合策略”：一个大 MLP 几乎完美拟合少量 MNIST 训练样本，但泛化较差；权重的 L2、L1 正则（不含偏置）、Dropout（隐藏层 0.5、输入层 0.2；Srivastava 等 2014）和及早停止（恢复最佳权重），单独使用和共同使用，各自缩小训练与测试准确率之间的差距。曲线：每轮的训练（评估模式）与验证准确率。',
  },
  variant: {
    none: { en: 'none', zh: '无正则' },
    l2: { en: 'L2', zh: 'L2 正则' },
    l1: { en: 'L1', zh: 'L1 正则' },
    dropout: { en: 'dropout', zh: 'Dropout' },
    'early-stopping': { en: 'early stopping', zh: '及早停止' },
    all: { en: 'all together', zh: '全部一起' },
  },
  epoch: { en: 'epoch', zh: '轮次' },
  accuracy: { en: 'accuracy', zh: '准确率' },
  split: { en: 'data', zh: '数据' },
  train: { en: 'training', zh: '训练集' },
  val: { en: 'validation', zh: '验证集' },
  curvesTitle: { en: 'Training and validation accuracy per epoch', zh: '每轮的训练与验证准确率' },
  valLossTitle: { en: 'Validation loss per epoch', zh: '每轮的验证损失' },
  valLoss: { en: 'validation loss', zh: '验证损失' },
  gapTitle: { en: 'Generalization gap and test accuracy', zh: '泛化差距与测试准确率' },
  gap: { en: 'gap (train − test accuracy, points)', zh: '差距（训练 − 测试准确率，百分点）' },
  test: { en: 'test', zh: '测试' },
  listSeparator: { en: '; ', zh: '；' },
  unregularized: (o: UnregularizedText): Bilingual => {
    const { best, last } = o;
    return {
      en: `Without regularization the network reaches ${o.train} on its ${o.trainSize} training digits but ${o.test} on test (gap ${o.gap} points); ${best ? `its validation loss is lowest at epoch ${best.epoch} (${best.valLoss}) and rises to ${last.valLoss} by epoch ${last.epoch}: overfitting.` : `its validation loss is still falling at epoch ${last.epoch} (${last.valLoss}).`}`,
      zh: `无正则时网络在 ${o.trainSize} 个训练样本上达到 ${o.train}，测试集仅 ${o.test}（差距 ${o.gap} 个百分点）；${best ? `验证损失在第 ${best.epoch} 轮最低（${best.valLoss}），到第 ${last.epoch} 轮升至 ${last.valLoss}：过拟合。` : `验证损失到第 ${last.epoch} 轮仍在下降（${last.valLoss}）。`}`,
    };
  },
  gapEntry: (variant: string, gap: string, test: string): Bilingual => ({
    en: `${variant} ${gap} (test ${test})`,
    zh: `${variant} ${gap}（测试 ${test}）`,
  }),
  gaps: (list: string, none: { gap: string; test: string } | undefined): Bilingual => ({
    en: `Generalization gap in points: ${list}${none ? `; none ${none.gap} (test ${none.test})` : ''}.`,
    zh: `泛化差距（百分点）：${list}${none ? `；无正则 ${none.gap}（测试 ${none.test}）` : ''}。`,
  }),
  extremes: (o: { smallest: string; gap: string; bestTest: string; test: string }): Bilingual => ({
    en: `Smallest gap: ${o.smallest} (${o.gap} points); best test accuracy: ${o.bestTest} (${o.test}).`,
    zh: `差距最小：${o.smallest}（${o.gap} 个百分点）；测试准确率最高：${o.bestTest}（${o.test}）。`,
  }),
  earlyStopping: (patience: number, epochs: number, kept: number): Bilingual => ({
    en: `Early stopping (patience ${patience}) ran ${epochs} epochs and kept the weights of epoch ${kept}.`,
    zh: `及早停止（耐心 ${patience} 轮）训练了 ${epochs} 轮，保留第 ${kept} 轮的权重。`,
  }),
  tableHeader: {
    en: [
      'regularization',
      'epochs run',
      'kept epoch',
      'train accuracy',
      'validation accuracy',
      'test accuracy',
      'gap (points)',
    ],
    zh: ['正则化', '训练轮数', '保留的轮次', '训练准确率', '验证准确率', '测试准确率', '差距（百分点）'],
  },
};
