/** The text of the `bn-batch-size` experiment's section, in English and Chinese (see bn_batch_size_present.ts). */
import type { Bilingual } from './types.js';

export const BN_BATCH_SIZE_STRINGS = {
  title: {
    en: 'Batch normalization needs a large enough batch',
    zh: '批归一化需要足够大的批量',
  },
  shows: {
    en: 'The lecture’s warning “Batch normalization需要在较大的batch size上才能工作”: the same ReLU MLP with and without BN trained on MNIST for the same epochs at batch sizes from 2 up, with SGD (momentum 0.9) and the learning rate scaled linearly with the batch (Goyal et al. 2017, arXiv:1706.02677) so that the plain network is a fair baseline. With tiny batches BN’s mean and variance are estimated from a handful of values, and at test time it uses running averages the network never trained with (Wu & He 2018, arXiv:1803.08494, figure 1).',
    zh: '课件中的提醒“Batch normalization需要在较大的batch size上才能工作”：同一个 ReLU MLP 分别带与不带 BN，在 MNIST 上以相同轮数、从 2 开始的各种批量大小训练，使用动量 0.9 的 SGD，学习率随批量线性缩放（Goyal 等 2017，arXiv:1706.02677），使无 BN 网络成为公平的对照。批量很小时，BN 的均值和方差只由少数几个值估计；而测试时 BN 使用滑动平均的统计量，网络在训练中从未见过（Wu & He 2018，arXiv:1803.08494，图 1）。',
  },
  plain: { en: 'without BN', zh: '无 BN' },
  bn: { en: 'with BN', zh: '有 BN' },
  batchStats: { en: 'batch statistics', zh: '批统计量' },
  running: { en: 'running averages', zh: '滑动平均统计量' },
  batchSize: { en: 'batch size', zh: '批量大小' },
  testAccuracy: { en: 'test accuracy', zh: '测试准确率' },
  trainAccuracy: { en: 'training accuracy', zh: '训练准确率' },
  accTitle: { en: 'Test accuracy against batch size', zh: '测试准确率与批量大小' },
  mismatchTitle: {
    en: 'BN network on its training digits: batch statistics vs running averages',
    zh: 'BN 网络在训练数据上：批统计量（训练时）与滑动平均统计量（测试时）',
  },
  listSeparator: { en: ', ', zh: '，' },
  byBatch: (o: { bn: string; plain: string; epochs: number }): Bilingual => ({
    en: `Test accuracy by batch size after ${o.epochs} epochs — with BN: ${o.bn}; without BN: ${o.plain}.`,
    zh: `训练 ${o.epochs} 轮后各批量大小的测试准确率——有 BN：${o.bn}；无 BN：${o.plain}。`,
  }),
  breakdown: (o: {
    small: number;
    large: number;
    bnChange: string;
    plainChange: string;
    broke: boolean;
  }): Bilingual => ({
    en: `From batch ${o.large} down to batch ${o.small}, BN’s test accuracy changes by ${o.bnChange} points and the plain network’s by ${o.plainChange}${o.broke ? ' — BN breaks down at tiny batches, as the lecture warns.' : '.'}`,
    zh: `批量从 ${o.large} 降到 ${o.small}，BN 网络的测试准确率变化 ${o.bnChange} 个百分点，无 BN 网络变化 ${o.plainChange} 个百分点${o.broke ? '——批量很小时 BN 失效，正如课件所说。' : '。'}`,
  }),
  crossover: (o: { batch: number | null }): Bilingual =>
    o.batch === null
      ? {
          en: 'BN is not ahead of the plain network at any of these batch sizes.',
          zh: '在这些批量大小下，BN 网络都没有超过无 BN 网络。',
        }
      : {
          en: `BN is ahead of the plain network from batch ${o.batch} up.`,
          zh: `批量不小于 ${o.batch} 时，BN 网络优于无 BN 网络。`,
        },
  mismatch: (o: {
    small: number;
    large: number;
    smallGap: string;
    largeGap: string;
    smallBatch: string;
    smallRunning: string;
  }): Bilingual => ({
    en: `Train/eval statistics mismatch: on its own training digits the BN network trained at batch ${o.small} scores ${o.smallBatch} with batch statistics and ${o.smallRunning} with the running averages used at test time (a ${o.smallGap}-point difference); at batch ${o.large} the difference is ${o.largeGap} points.`,
    zh: `训练/测试统计量不一致：以批量 ${o.small} 训练的 BN 网络在自己的训练数据上，用批统计量时准确率为 ${o.smallBatch}，用测试时的滑动平均统计量时为 ${o.smallRunning}（相差 ${o.smallGap} 个百分点）；批量为 ${o.large} 时两者相差 ${o.largeGap} 个百分点。`,
  }),
  tableHeader: {
    en: [
      'network',
      'batch size',
      'lr',
      'steps',
      'test accuracy',
      'training accuracy (running averages)',
      'training accuracy (batch statistics)',
      'training loss (last epoch)',
    ],
    zh: [
      '网络',
      '批量大小',
      '学习率',
      '迭代步数',
      '测试准确率',
      '训练准确率（滑动平均统计量）',
      '训练准确率（批统计量）',
      '训练损失（最后一轮）',
    ],
  },
};
