/** The text of the `depth` experiment's section, in English and Chinese (see depth_present.ts). */
import type { Bilingual } from './types.js';

export const DEPTH_STRINGS = {
  title: {
    en: 'Depth: plain networks degrade, skip connections do not',
    zh: '网络深度：普通网络退化，跳跃连接消除退化',
  },
  shows: {
    en: 'The lecture’s depth slides (“退化”: beyond some depth more layers stop helping, because gradients vanish on the way back) and their cure, skip connections: plain, residual (He et al. 2016, arXiv:1512.03385) and dense (Huang et al. 2017, arXiv:1608.06993) MLPs of 4 to 64 layers trained on MNIST under the same budget — the training loss each reaches, and the gradient norm of every layer after the first backward pass and at the end.',
    zh: '课件“模型的深度”：退化——达到一定深度后再增加层数反而无益，主要原因是梯度在反向传播中逐渐消失；以及跳跃连接的解决办法：普通、残差（He 等 2016，arXiv:1512.03385）与稠密连接（Huang 等 2017，arXiv:1608.06993）的 4 到 64 层 MLP，在 MNIST 上以相同预算训练——各自达到的训练损失，以及第一次反向传播后与训练结束时每一层的梯度范数。',
  },
  arch: {
    plain: { en: 'plain', zh: '普通网络' },
    residual: { en: 'residual', zh: '残差网络' },
    dense: { en: 'dense', zh: '稠密网络' },
  },
  depth: { en: 'depth (weight layers)', zh: '深度（权重层数）' },
  lossReached: { en: 'training loss reached', zh: '达到的训练损失' },
  lossTitle: { en: 'Training loss after the same budget, by depth', zh: '相同预算下的训练损失与深度' },
  layer: { en: 'layer (1 = input side)', zh: '层（1 = 输入端）' },
  gradNorm: { en: '‖∂L/∂W‖', zh: '‖∂L/∂W‖' },
  gradFirst: {
    en: 'Per-layer gradient norm at the first backward pass, depth',
    zh: '第一次反向传播时各层梯度范数，深度',
  },
  gradLast: { en: 'Per-layer gradient norm at the last step, depth', zh: '最后一步时各层梯度范数，深度' },
  curves: { en: 'Training loss against step, depth', zh: '训练损失随迭代步数变化，深度' },
  step: { en: 'step', zh: '迭代步数' },
  stepLoss: { en: 'training loss (moving average of 10 steps)', zh: '训练损失（10 步滑动平均）' },
  belowFloat32: { en: '0 (below float32’s range)', zh: '0（低于 float32 的表示范围）' },
  lossByDepth: (net: string, list: string, chance: string): Bilingual => ({
    en: `${net}: training loss reached by depth ${list} (chance: ${chance}).`,
    zh: `${net}：各深度达到的训练损失 ${list}（随机猜测：${chance}）。`,
  }),
  residualVsPlain: (deepest: number, residual: string, percent: string, plain: string): Bilingual => ({
    en: `At depth ${deepest} the residual network reaches ${residual}, ${percent}% of the plain network’s ${plain}.`,
    zh: `深度 ${deepest} 时残差网络的训练损失为 ${residual}，是普通网络（${plain}）的 ${percent}%。`,
  }),
  spanSeparator: { en: '; ', zh: '；' },
  gradientSpan: (deepest: number, spans: string): Bilingual => ({
    en: `First backward pass at depth ${deepest}, gradient norm of the input layer over that of the output layer: ${spans} — the plain network’s gradient vanishes on the way back, the skip connections carry it.`,
    zh: `深度 ${deepest} 第一次反向传播时，输入层与输出层梯度范数之比：${spans}——普通网络的梯度在反向传播中消失，跳跃连接把梯度传了回去。`,
  }),
  tableHeader: {
    en: [
      'network',
      'depth',
      'parameters',
      'training loss reached',
      'training accuracy',
      '‖∂L/∂W‖ input layer, first step',
      '‖∂L/∂W‖ output layer, first step',
    ],
    zh: [
      '网络',
      '深度',
      '参数量',
      '达到的训练损失',
      '训练准确率',
      '输入层梯度范数（第一步）',
      '输出层梯度范数（第一步）',
    ],
  },
};
