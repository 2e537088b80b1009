/** The text of the `init` experiment's sections, in English and Chinese (see init_present.ts). */
import type { Bilingual } from './types.js';

export const INIT_STRINGS = {
  title: {
    en: 'Initialization: activations and gradients layer by layer',
    zh: '参数初始化：逐层的激活值与梯度',
  },
  shows: {
    en: 'Reproduces the lecture\'s 10-layer example (slides "随机数初始化", "Xavier 初始化", "He 初始化"; Glorot & Bengio 2010, He et al. 2015): with N(0, 0.01²) weights tanh activations shrink to 0 layer by layer; with N(0, 1) they saturate at ±1; Xavier keeps tanh layers spread out, He keeps ReLU layers at a constant scale, and batch normalization (Ioffe & Szegedy 2015) makes every initialization work ("受初始化的影响变弱").',
    zh: '复现课件中的 10 层网络示例（“随机数初始化”“Xavier 初始化”“He 初始化”；Glorot & Bengio 2010，He 等 2015）：权重取 N(0, 0.01²) 时 tanh 各层输出逐层趋于 0；取 N(0, 1) 时饱和于 ±1；Xavier 使 tanh 各层分布保持良好，He 使 ReLU 各层尺度不变；批正规化（Ioffe & Szegedy 2015）使各种初始化都能工作（“受初始化的影响变弱”）。',
  },
  layer: { en: 'layer', zh: '层' },
  activation: { en: 'activation value', zh: '激活值' },
  actStd: { en: 'activation std per layer', zh: '各层激活值标准差' },
  gradStd: { en: 'gradient std per layer (∂loss/∂a)', zh: '各层梯度标准差 (∂loss/∂a)' },
  std: { en: 'std', zh: '标准差' },
  histograms: { en: 'activations per layer', zh: '各层激活值分布' },
  config: { en: 'configuration', zh: '配置' },
  bn: { en: 'BN', zh: 'BN' },
  noBn: { en: 'no BN', zh: '无 BN' },
  single: (o: {
    first: string;
    last: string;
    layer: number;
    ratio: string;
    gradFirst: string;
    gradLast: string;
  }): Bilingual => ({
    en: `Activation std ${o.first} at layer 1 and ${o.last} at layer ${o.layer} (ratio ${o.ratio}); gradient std ${o.gradFirst} → ${o.gradLast}.`,
    zh: `激活值标准差：第 1 层 ${o.first}，第 ${o.layer} 层 ${o.last}（比值 ${o.ratio}）；梯度标准差 ${o.gradFirst} → ${o.gradLast}。`,
  }),
  littleRandom: (o: { first: string; last: string; layers: number; percent: string }): Bilingual => ({
    en: `tanh, N(0, 0.01²): activation std falls from ${o.first} at layer 1 to ${o.last} at layer ${o.layers} (${o.percent}% of layer 1): almost every output is near 0.`,
    zh: `tanh，N(0, 0.01²)：激活值标准差从第 1 层的 ${o.first} 降到第 ${o.layers} 层的 ${o.last}（第 1 层的 ${o.percent}%）：几乎所有输出都接近 0。`,
  }),
  random: (o: {
    stdLo: string;
    stdHi: string;
    satLo: string;
    satHi: string;
    layers: number;
    gradLast: string;
    gradFirst: string;
  }): Bilingual => ({
    en: `tanh, N(0, 1): layer std stays at ${o.stdLo}–${o.stdHi} with ${o.satLo}–${o.satHi}% of the units saturated (|a| > 0.99) from layer 2 on; ∂loss/∂a has std ${o.gradLast} at layer ${o.layers} and ${o.gradFirst} at layer 1, but saturated units pass almost none of it to their weights (tanh′ ≈ 0).`,
    zh: `tanh，N(0, 1)：各层标准差保持在 ${o.stdLo}–${o.stdHi}，从第 2 层起 ${o.satLo}–${o.satHi}% 的神经元饱和（|a| > 0.99）；∂loss/∂a 的标准差在第 ${o.layers} 层为 ${o.gradLast}，第 1 层为 ${o.gradFirst}，但饱和神经元几乎不把梯度传给自己的权重（tanh′ ≈ 0）。`,
  }),
  xavierTanh: (worst: string, first: string, last: string): Bilingual => ({
    en: `tanh, Xavier: every layer's std within a factor ${worst} of layer 1 (${first} → ${last}).`,
    zh: `tanh，Xavier：各层标准差与第 1 层相差不超过 ${worst} 倍（${first} → ${last}）。`,
  }),
  relu: (heWorst: string, xavierFall: string, layers: number): Bilingual => ({
    en: `ReLU: with He every layer's std stays within a factor ${heWorst} of layer 1; with Xavier it falls by a factor ${xavierFall} by layer ${layers} (about √2 per layer, as half the units are 0).`,
    zh: `ReLU：He 初始化下各层标准差与第 1 层相差不超过 ${heWorst} 倍；Xavier 初始化下到第 ${layers} 层缩小 ${xavierFall} 倍（一半神经元为 0，每层约缩小 √2）。`,
  }),
  batchNorm: (worst: string, configurations: number, allWithin2: boolean): Bilingual => ({
    en: `With batch norm, every initialization keeps every layer's std within a factor ${worst} of layer 1 (${configurations} configurations${allWithin2 ? '' : '; not all within 2'}).`,
    zh: `加入批正规化后，所有初始化方法下各层标准差与第 1 层相差不超过 ${worst} 倍（共 ${configurations} 种配置）。`,
  }),
  tableHeader: {
    en: [
      'configuration',
      'std L1',
      'std last',
      'last/L1',
      'saturated (L2+)',
      'dead',
      'grad std L1',
      'grad std last',
    ],
    zh: [
      '配置',
      '第1层标准差',
      '末层标准差',
      '末层/第1层',
      '饱和比例(第2层起)',
      '死亡比例',
      '第1层梯度标准差',
      '末层梯度标准差',
    ],
  },
};
