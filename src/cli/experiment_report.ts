/**
 * The report of `descent experiment`: one self-contained HTML page holding every experiment in
 * English and Chinese, switched in the page (no script), with PNG copies of the figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ExperimentPresentation, Lang } from '../experiments/types.js';
import { type ReportPage, type ReportSection, renderReport } from '../report/html.js';
import { svgToPng } from '../report/png.js';
import { renderSvg } from '../report/render.js';

export interface RenderedExperiment {
  name: string;
  presentations: Record<Lang, ExperimentPresentation>;
  seconds: number;
}

/** An experiment's section: what it shows, its findings, its figures (SVG) and its table. */
function section(p: ExperimentPresentation, svgs: string[]): ReportSection {
  return {
    title: p.title,
    text: [p.shows],
    list: p.findings,
    figures: svgs,
    ...(p.table ? { table: p.table } : {}),
  };
}

const TITLES: Record<Lang, string> = { en: 'descent: the course’s experiments', zh: 'descent：课程实验复现' };

/** The line under the title: what the page is, and each experiment's runtime. */
function subtitle(experiments: RenderedExperiment[], lang: Lang): string {
  if (lang === 'en') {
    const times = experiments.map((e) => `${e.name} ${e.seconds.toFixed(0)} s`).join(', ');
    return `Each section reruns one experiment of the lecture on optimization (卿来云, “人工神经网络 — 2. 优化算法”) with descent; runtimes: ${times}.`;
  }
  const times = experiments.map((e) => `${e.name} ${e.seconds.toFixed(0)} 秒`).join('，');
  return `每一节用 descent 重新运行课程“人工神经网络 — 2. 优化算法”中的一个实验；运行时间：${times}。`;
}

/** Renders the figures, writes PNG copies under `outDir/figures/`, and returns the HTML page. */
export async function writeExperimentReport(
  experiments: RenderedExperiment[],
  outDir: string,
  defaultLang: Lang,
): Promise<string> {
  const figuresDir = path.join(outDir, 'figures');
  fs.mkdirSync(figuresDir, { recursive: true });
  const sections: Record<Lang, ReportSection[]> = { en: [], zh: [] };
  for (const e of experiments) {
    for (const lang of ['en', 'zh'] as const) {
      const p = e.presentations[lang];
      const svgs = await Promise.all(p.figures.map((spec) => renderSvg(spec)));
      svgs.forEach((svg, i) => {
        fs.writeFileSync(path.join(figuresDir, `${e.name}-${i + 1}.${lang}.png`), svgToPng(svg));
      });
      sections[lang].push(section(p, svgs));
    }
  }
  const page = (lang: Lang): ReportPage => ({
    title: TITLES[lang],
    subtitle: subtitle(experiments, lang),
    sections: sections[lang],
  });
  return renderReport({ lang: defaultLang, en: page('en'), zh: page('zh') });
}
