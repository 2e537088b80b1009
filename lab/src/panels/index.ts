/** The lab's panels, in the lecture's order; the URL's `#/<id>` picks one. */
import type { FunctionComponent } from 'preact';
import type { Strings } from '../i18n/lang';
import { ExperimentsPanel } from './experiments/panel';
import { InitPanel } from './init/panel';
import { LrPanel } from './lr/panel';
import { PathsPanel } from './paths/panel';
import { PlaygroundPanel } from './playground/panel';

export interface PanelEntry {
  id: string;
  component: FunctionComponent;
}

export const PANELS: readonly PanelEntry[] = [
  { id: 'paths', component: PathsPanel },
  { id: 'lr', component: LrPanel },
  { id: 'init', component: InitPanel },
  { id: 'playground', component: PlaygroundPanel },
  { id: 'experiments', component: ExperimentsPanel },
];

export const PANEL_TITLES = {
  en: {
    paths: 'Optimizer paths',
    lr: 'Learning rate',
    init: 'Initialization',
    playground: 'Training playground',
    experiments: 'Experiments',
  },
  zh: {
    paths: '优化器路径',
    lr: '学习率',
    init: '初始化',
    playground: '训练场',
    experiments: '实验',
  },
} satisfies Strings<string>;

export type PanelId = keyof (typeof PANEL_TITLES)['en'];
