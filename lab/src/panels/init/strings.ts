/** The initialization panel's text, in English and in the lecture's Chinese terms (参数初始化, 饱和, …). */
import type { Strings } from '../../i18n/lang';

export const INIT_STRINGS = {
  en: {
    intro:
      'The course’s deep network: a batch of N(0, 1) inputs through hidden layers Linear → [batch norm] → activation. Watch each layer’s activations shrink to 0, saturate at ±1 or die, and how Xavier, He and batch norm keep their distribution alike from layer to layer.',
    activation: 'Activation',
    init: 'Initialization',
    batchNorm: 'Batch normalization',
    layers: 'Hidden layers',
    width: 'Width (units per layer)',
    batch: 'Batch (inputs)',
    seed: 'Seed',
    notANumber: 'Not a whole number: type a value such as 0 or 42.',
    ignoredKeys: 'These settings in the link were not understood and were reset to their defaults:',
    unavailable: 'Not offered by this version of the library, so the default is used instead:',
    activations: 'Activations per layer',
    gradients: 'Gradients ∂loss/∂a per layer',
    gradStdFigure: 'Gradient std per layer',
    layer: 'Layer',
    fractions: 'Saturated and dead units per layer',
    mean: 'mean',
    std: 'std',
    saturated: 'saturated |a| > 0.99',
    dead: 'dead a = 0',
    gradStd: 'gradient std',
    failed: 'The computation failed:',
    working: 'Computing…',
  },
  zh: {
    intro:
      '课程中的深层网络：一批服从 N(0, 1) 的输入，依次经过隐藏层 Linear → [BN] → 激活函数。观察各层激活值如何缩小到 0、在 ±1 处饱和或“死亡”，以及 Xavier 初始化、He 初始化和批归一化（BN）如何让各层的数据分布保持一致。',
    activation: '激活函数',
    init: '参数初始化',
    batchNorm: '批归一化（BN）',
    layers: '隐藏层数',
    width: '宽度（每层神经元数）',
    batch: '批大小（输入数）',
    seed: '随机种子',
    notANumber: '不是整数：请输入如 0 或 42 的值。',
    ignoredKeys: '链接中的以下设置无法识别，已恢复为默认值：',
    unavailable: '当前版本的库不提供以下选项，已改用默认值：',
    activations: '各层的激活值分布',
    gradients: '各层的梯度 ∂loss/∂a 分布',
    gradStdFigure: '各层梯度的标准差',
    layer: '层',
    fractions: '各层饱和与死亡神经元的比例',
    mean: '均值',
    std: '标准差',
    saturated: '饱和 |a| > 0.99',
    dead: '死亡 a = 0',
    gradStd: '梯度标准差',
    failed: '计算失败：',
    working: '计算中…',
  },
} satisfies Strings<string>;

/** How each initialization is written in the lecture; a name the library adds later shows as itself. */
export const INIT_LABELS: Record<string, string> = {
  'little-random': 'N(0, 0.01²)',
  random: 'N(0, 1)',
  xavier: 'Xavier',
  he: 'He (course: Var W = 4/(fanIn + fanOut))',
  kaiming: 'He (Kaiming, 2/fanIn)',
  orthogonal: 'Orthogonal',
};
