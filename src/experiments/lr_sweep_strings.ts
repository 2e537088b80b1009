/** The text of the `lr-sweep` experiment's section, in English and Chinese (see lr_sweep_present.ts). */
import type { Bilingual } from './types.js';

/** One optimizer's verdicts, as its finding prints them (learning rates already formatted). */
export interface SweepVerdicts {
  optimizer: string;
  diverged: string[];
  slow: string[];
  learning: string[];
  best: { loss: string; lr: string } | null;
}

export const LR_SWEEP_STRINGS = {
  title: {
    en: 'Learning-rate sweep: too high, too low, and the course’s advice',
    zh: '学习率扫描：过高、过低与课程建议',
  },
  shows: {
    en: 'Reproduces the lecture\'s learning-rate slide ("学习率对训练的影响"): when the objective becomes NaN or explodes the learning rate is too high, when it barely changes it is too low; the advice is [1e-3 … 1e-5]. Adam and SGD with momentum train the same MLP on MNIST from the same weights at every rate; the trainer\'s divergence guard and plateau detector give their diagnosis.',
    zh: '复现课件中“学习率对训练的影响”：目标函数出现 NaN 或爆炸说明学习率太高，变化太慢说明学习率太低；建议取 [1e-3 … 1e-5]。Adam 与带动量的 SGD 以相同初始权重在 MNIST 上训练同一个 MLP；训练器的发散检测与平台检测给出诊断。',
  },
  step: { en: 'step', zh: '迭代步数' },
  loss: { en: 'training loss (moving average of 10 steps)', zh: '训练损失（10 步滑动平均）' },
  curves: { en: 'loss curves', zh: '损失曲线' },
  lr: { en: 'learning rate', zh: '学习率' },
  finalLoss: { en: 'loss at the end (or when stopped)', zh: '结束（或被停止）时的损失' },
  byLr: {
    en: 'loss reached against learning rate; shaded: the course’s advice 1e-5 … 1e-3',
    zh: '损失与学习率；阴影：课程建议 1e-5 … 1e-3',
  },
  verdict: {
    diverged: { en: 'diverged', zh: '发散' },
    'too slow': { en: 'too slow', zh: '过慢' },
    learning: { en: 'learning', zh: '正常下降' },
  },
  yes: { en: 'yes', zh: '是' },
  verdicts: (o: SweepVerdicts): Bilingual => ({
    en: `${o.optimizer}: diverged at lr ${o.diverged.join(', ') || '(none)'}; too slow (plateau warning) at ${o.slow.join(', ') || '(none)'}; learning at ${o.learning.join(', ') || '(none)'}${o.best ? `, lowest loss ${o.best.loss} at lr ${o.best.lr}` : ''}.`,
    zh: `${o.optimizer}：学习率 ${o.diverged.join('、') || '（无）'} 发散；${o.slow.join('、') || '（无）'} 过慢（平台警告）；${o.learning.join('、') || '（无）'} 正常下降${o.best ? `，最低损失 ${o.best.loss}（学习率 ${o.best.lr}）` : ''}。`,
  }),
  tableHeader: {
    en: ['optimizer', 'lr', 'advised', 'verdict', 'loss at the end', 'peak loss', 'steps run', 'diagnostic'],
    zh: ['优化器', '学习率', '课程建议范围内', '结论', '最终损失', '最大损失', '运行步数', '诊断信息'],
  },
};
