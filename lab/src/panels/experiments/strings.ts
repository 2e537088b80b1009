/** The experiments panel's own text. */
import type { Strings } from '../../i18n/lang';

export const STRINGS = {
  en: {
    heading: 'The course’s experiments',
    intro:
      'Each experiment is the same library function `descent experiment <name>` runs; its figures are the report’s. Run one live here, or open a results.json written by the CLI.',
    choose: 'Experiment',
    options: 'Options (JSON; omitted keys take the defaults)',
    badJson: 'The options are not valid JSON: ',
    notObject: 'The options must be a JSON object, e.g. { "seed": 1 }.',
    unknownKey: 'Unknown option for this experiment: ',
    accepted: 'accepted: ',
    openResults: 'Open results.json',
    badResults: 'This file is not a results.json of this experiment: ',
    running: 'Running in the worker…',
    elapsed: 'elapsed',
    findings: 'Findings',
    shows: 'What it shows',
    needsMnist: 'Trains on the bundled MNIST subset (loaded in the worker).',
    cli: 'Same run from the command line',
    noResult: 'Run the experiment or open a results.json to see its figures.',
    figureError: 'This figure could not be drawn: ',
  },
  zh: {
    heading: '课程实验',
    intro:
      '每个实验都调用与 `descent experiment <name>` 相同的库函数，图表与报告一致。可在此实时运行，或打开命令行生成的 results.json。',
    choose: '实验',
    options: '选项（JSON；省略的键取默认值）',
    badJson: '选项不是合法的 JSON：',
    notObject: '选项必须是 JSON 对象，例如 { "seed": 1 }。',
    unknownKey: '该实验没有此选项：',
    accepted: '可用选项：',
    openResults: '打开 results.json',
    badResults: '该文件不是此实验的 results.json：',
    running: '正在后台线程中运行…',
    elapsed: '已用时',
    findings: '结论',
    shows: '展示内容',
    needsMnist: '在内置的 MNIST 子集上训练（在后台线程中加载）。',
    cli: '等价的命令行',
    noResult: '运行实验或打开 results.json 以查看图表。',
    figureError: '无法绘制此图：',
  },
} satisfies Strings<string>;
