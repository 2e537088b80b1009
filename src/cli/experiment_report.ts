/**
 * The report of `descent experiment`: one self-contained HTML page holding every experiment in
 * English and Chinese, switched by a CSS-only toggle (no script), with PNG copies of the figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ExperimentPresentation, Lang } from '../experiments/types.js';
import { escapeHtml } from '../report/html.js';
import { svgToPng } from '../report/png.js';
import { renderSvg } from '../report/render.js';

export interface RenderedExperiment {
  name: string;
  presentations: Record<Lang, ExperimentPresentation>;
  seconds: number;
}

function section(p: ExperimentPresentation, svgs: string[]): string {
  const parts = [`<h2>${escapeHtml(p.title)}</h2>`, `<p class="shows">${escapeHtml(p.shows)}</p>`];
  if (p.findings.length)
    parts.push(`<ul>${p.findings.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`);
  if (svgs.length)
    parts.push(`<div class="figures">${svgs.map((s) => `<figure>${s}</figure>`).join('')}</div>`);
  if (p.table) {
    const head = p.table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
    const rows = p.table.rows
      .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`)
      .join('');
    parts.push(`<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`);
  }
  return `<section>${parts.join('\n')}</section>`;
}

/** Renders the figures, writes PNG copies under `outDir/figures/`, and returns the HTML page. */
export async function writeExperimentReport(
  experiments: RenderedExperiment[],
  outDir: string,
  defaultLang: Lang,
): Promise<string> {
  const figuresDir = path.join(outDir, 'figures');
  fs.mkdirSync(figuresDir, { recursive: true });
  const bodies: Record<Lang, string[]> = { en: [], zh: [] };
  for (const e of experiments) {
    for (const lang of ['en', 'zh'] as const) {
      const p = e.presentations[lang];
      const svgs = await Promise.all(p.figures.map((spec) => renderSvg(spec)));
      svgs.forEach((svg, i) => {
        fs.writeFileSync(path.join(figuresDir, `${e.name}-${i + 1}.${lang}.png`), svgToPng(svg));
      });
      bodies[lang].push(section(p, svgs));
    }
  }
  const titles = { en: 'descent: the course’s experiments', zh: 'descent：课程实验复现' };
  const checked = (lang: Lang) => (lang === defaultLang ? ' checked' : '');
  return `<!doctype html>
<html lang="${defaultLang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${titles.en} · ${titles.zh}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
.lang-switch { position: sticky; top: 0; background: #fff; padding: 0.5rem 0; border-bottom: 1px solid #eee; }
.lang-switch label { margin-right: 1rem; cursor: pointer; }
#lang-en:checked ~ .zh, #lang-zh:checked ~ .en { display: none; }
section { margin: 2.5rem 0; } .shows { color: #444; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; } figure { margin: 0; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: right; } th { background: #f5f5f5; }
td:first-child, th:first-child { text-align: left; }
</style>
</head>
<body>
<input type="radio" name="lang" id="lang-en"${checked('en')} hidden>
<input type="radio" name="lang" id="lang-zh"${checked('zh')} hidden>
<div class="lang-switch"><label for="lang-en">English</label><label for="lang-zh">中文</label></div>
<div class="en"><h1>${titles.en}</h1>
<p>Each section reruns one experiment of the lecture on optimization (卿来云, “人工神经网络 — 2. 优化算法”) with descent; runtimes: ${experiments.map((e) => `${e.name} ${e.seconds.toFixed(0)} s`).join(', ')}.</p>
${bodies.en.join('\n')}</div>
<div class="zh"><h1>${titles.zh}</h1>
<p>每一节用 descent 重新运行课程“人工神经网络 — 2. 优化算法”中的一个实验；运行时间：${experiments.map((e) => `${e.name} ${e.seconds.toFixed(0)} 秒`).join('，')}。</p>
${bodies.zh.join('\n')}</div>
</body>
</html>
`;
}
