/** The text of the `dropout-ensemble` experiment's section, in English and Chinese (see dropout_ensemble_present.ts). */
import type { Bilingual } from './types.js';

export const DROPOUT_ENSEMBLE_STRINGS = {
  title: {
    en: 'Dropout as a cheap ensemble',
    zh: 'Dropout：一种低成本的集成方法',
  },
  shows: {
    en: 'The lecture’s “Dropout : 可视为一种集成学习”: one MLP trained on MNIST with dropout, evaluated (a) as usual, with no masks (weight scaling), and (b) by averaging the softmax of K sampled sub-networks with dropout kept on at test time; against (c) an ensemble of M networks of the same shape trained separately without dropout, their softmax averaged — accuracy and loss against the number of networks averaged, and what each costs (Srivastava et al. 2014, JMLR 15; Gal & Ghahramani 2016, arXiv:1506.02142).',
    zh: '课件中的“Dropout : 可视为一种集成学习”：在 MNIST 上用 Dropout 训练一个 MLP，(a) 按通常方式测试：不丢弃（权重缩放）；(b) 测试时保持 Dropout 开启，对 K 个随机子网络的 softmax 取平均；与 (c) 分别独立训练、不带 Dropout 的 M 个同结构网络的集成（softmax 取平均）比较——准确率与损失随平均的网络数的变化，以及各自的代价（Srivastava 等 2014，JMLR 15；Gal & Ghahramani 2016，arXiv:1506.02142）。',
  },
  mc: { en: '(b) K sub-networks', zh: '(b) K 个子网络平均' },
  scaled: { en: '(a) weight scaling', zh: '(a) 权重缩放' },
  ensemble: { en: '(c) ensemble of M', zh: '(c) M 个网络集成' },
  count: { en: 'networks averaged (K or M)', zh: '平均的网络数（K 或 M）' },
  testAccuracy: { en: 'test accuracy', zh: '测试准确率' },
  testLoss: { en: 'test loss (cross-entropy of the average)', zh: '测试损失（平均预测的交叉熵）' },
  accTitle: { en: 'Test accuracy against the number of networks averaged', zh: '测试准确率与平均的网络数' },
  lossTitle: { en: 'Test loss against the number of networks averaged', zh: '测试损失与平均的网络数' },
  mcFinding: (o: { single: string; k: number; mc: string; scaled: string }): Bilingual => ({
    en: `One sampled sub-network of the dropout network scores ${o.single}; averaging K = ${o.k} of them ${o.mc}; the weight-scaled network, in one pass, ${o.scaled} — the usual evaluation mode is a one-pass approximation of the average over sub-networks.`,
    zh: `Dropout 网络的单个随机子网络准确率为 ${o.single}；对 K = ${o.k} 个子网络取平均为 ${o.mc}；权重缩放的网络只需一次前向，为 ${o.scaled}——通常的测试模式就是对子网络平均的一次前向近似。`,
  }),
  ensembleFinding: (o: { m: number; ensemble: string; members: string; steps: number }): Bilingual => ({
    en: `An ensemble of M = ${o.m} networks trained separately without dropout scores ${o.ensemble} (its members alone: ${o.members}), at ${o.m}× the training: ${o.steps} optimizer steps.`,
    zh: `M = ${o.m} 个分别训练、不带 Dropout 的网络集成后准确率为 ${o.ensemble}（各成员单独为 ${o.members}），训练代价为 ${o.m} 倍：共 ${o.steps} 次参数更新。`,
  }),
  compare: (o: {
    scaled: string;
    ensemble: string;
    m: number;
    gap: string;
    steps: number;
    close: boolean;
  }): Bilingual => ({
    en: `One dropout network (${o.steps} steps) ${o.scaled} vs the ensemble of ${o.m}: ${o.ensemble} (${o.gap} points)${o.close ? ' — most of an ensemble’s benefit for the cost of a single training run.' : '.'}`,
    zh: `一个 Dropout 网络（${o.steps} 次更新）${o.scaled}，${o.m} 个网络的集成 ${o.ensemble}（相差 ${o.gap} 个百分点）${o.close ? '——只需训练一次，就获得集成的大部分好处。' : '。'}`,
  }),
  tableHeader: {
    en: ['method', 'networks trained', 'forward passes per test input', 'test accuracy', 'test loss'],
    zh: ['方法', '训练的网络数', '每个测试样本的前向次数', '测试准确率', '测试损失'],
  },
  rowScaled: { en: '(a) weight scaling', zh: '(a) 权重缩放' },
  rowMc: (k: number): Bilingual => ({ en: `(b) dropout on, K = ${k}`, zh: `(b) 开启 Dropout，K = ${k}` }),
  rowEnsemble: (m: number): Bilingual => ({ en: `(c) ensemble, M = ${m}`, zh: `(c) 集成，M = ${m}` }),
};
