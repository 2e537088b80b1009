/** The text of the `pretraining` experiment's section, in English and Chinese (see pretraining_present.ts). */
import type { Bilingual } from './types.js';

export const PRETRAINING_STRINGS = {
  title: {
    en: 'Unsupervised pre-training: greedy layer-wise autoencoders, then fine-tuning',
    zh: '无监督预训练：贪心逐层训练自编码器，再做细调',
  },
  shows: {
    en: 'The lecture’s “预训练 … 非监督：贪心地逐层训练自编码器得到初始权重，然后再做细调” (Bengio et al. 2007, “Greedy Layer-Wise Training of Deep Networks”): each hidden layer of a sigmoid MLP is trained as the encoder of an autoencoder on the codes of the layers below, using unlabelled digits; the network is then fine-tuned on a small labelled subset and compared with the same network fine-tuned from its random initialization. Curves: each autoencoder’s reconstruction error per epoch, and test accuracy per fine-tuning epoch.',
    zh: '课件“预训练……非监督：贪心地逐层训练自编码器得到初始权重，然后再做细调”（Bengio 等 2007，“Greedy Layer-Wise Training of Deep Networks”）：用无标签的数字图像，把 sigmoid MLP 的每个隐藏层依次作为自编码器的编码器，在下面各层的编码上训练；然后在少量有标签样本上细调整个网络，并与从随机初始化直接细调的同一网络比较。曲线：各层自编码器每轮的重构误差，以及细调时每轮的测试准确率。',
  },
  init: {
    pretrained: { en: 'pre-trained', zh: '预训练初始化' },
    random: { en: 'random initialization', zh: '随机初始化' },
  },
  layer: { en: 'layer', zh: '层' },
  epoch: { en: 'epoch', zh: '轮次' },
  reconstructionTitle: {
    en: 'Reconstruction error of each layer’s autoencoder',
    zh: '各层自编码器的重构误差',
  },
  reconstruction: { en: 'reconstruction MSE', zh: '重构均方误差' },
  accuracyTitle: {
    en: 'Test accuracy while fine-tuning on the labelled digits',
    zh: '在有标签样本上细调时的测试准确率',
  },
  accuracy: { en: 'test accuracy', zh: '测试准确率' },
  listSeparator: { en: '; ', zh: '；' },
  layerEntry: (o: {
    layer: number;
    inputSize: number;
    codeSize: number;
    before: string;
    after: string;
  }): Bilingual => ({
    en: `layer ${o.layer} (${o.inputSize} → ${o.codeSize}) ${o.before} → ${o.after}`,
    zh: `第 ${o.layer} 层（${o.inputSize} → ${o.codeSize}）${o.before} → ${o.after}`,
  }),
  layers: (o: { list: string; unlabelled: number; epochs: number; lowered: boolean }): Bilingual => ({
    en: `Pre-training on ${o.unlabelled} unlabelled digits, ${o.epochs} epochs per layer, reconstruction MSE before → after: ${o.list}${o.lowered ? ' — every layer learned to reconstruct its input.' : '.'}`,
    zh: `在 ${o.unlabelled} 个无标签样本上预训练，每层 ${o.epochs} 轮，重构均方误差（训练前 → 训练后）：${o.list}${o.lowered ? '——每一层都学会了重构其输入。' : '。'}`,
  }),
  final: (o: {
    labelled: number;
    epochs: number;
    pretrained: string;
    random: string;
    gap: string;
  }): Bilingual => ({
    en: `Fine-tuned on ${o.labelled} labelled digits for ${o.epochs} epochs: test accuracy ${o.pretrained} from the pre-trained weights vs ${o.random} from the random initialization (${o.gap} points).`,
    zh: `在 ${o.labelled} 个有标签样本上细调 ${o.epochs} 轮：预训练初始化的测试准确率为 ${o.pretrained}，随机初始化为 ${o.random}（相差 ${o.gap} 个百分点）。`,
  }),
  early: (o: { epoch: number; pretrained: string; random: string }): Bilingual => ({
    en: `After ${o.epoch} fine-tuning epochs: ${o.pretrained} vs ${o.random} — the pre-trained network starts learning sooner.`,
    zh: `细调 ${o.epoch} 轮后：${o.pretrained} 对 ${o.random}——预训练的网络更快开始学习。`,
  }),
  earlyEven: (o: { epoch: number; pretrained: string; random: string }): Bilingual => ({
    en: `After ${o.epoch} fine-tuning epochs: ${o.pretrained} vs ${o.random}.`,
    zh: `细调 ${o.epoch} 轮后：${o.pretrained} 对 ${o.random}。`,
  }),
  tableHeader: {
    en: [
      'initialization',
      'test accuracy (epoch 1)',
      'test accuracy (middle)',
      'test accuracy (end)',
      'test loss (end)',
    ],
    zh: ['初始化', '测试准确率（第 1 轮）', '测试准确率（中途）', '测试准确率（结束）', '测试损失（结束）'],
  },
};
