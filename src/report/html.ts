/**
 * A self-contained HTML report: figures inlined as SVG, tables, no external resources, in Chinese
 * and English (the course's language and the library's).
 */

export type Lang = 'en' | 'zh';

export interface ReportSection {
  title: string;
  /** Inline SVG figures. */
  figures?: string[];
  /** Paragraphs of plain text (escaped). */
  text?: string[];
  /** A table: header and rows of plain text (escaped). */
  table?: { header: string[]; rows: (string | number)[][] };
}

export interface Report {
  title: string;
  subtitle?: string;
  lang: Lang;
  sections: ReportSection[];
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function section(s: ReportSection): string {
  const parts = [`<h2>${escapeHtml(s.title)}</h2>`];
  for (const p of s.text ?? []) parts.push(`<p>${escapeHtml(p)}</p>`);
  if (s.figures?.length)
    parts.push(`<div class="figures">${s.figures.map((f) => `<figure>${f}</figure>`).join('')}</div>`);
  if (s.table) {
    const head = s.table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
    const rows = s.table.rows
      .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`)
      .join('');
    parts.push(`<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`);
  }
  return `<section>${parts.join('\n')}</section>`;
}

export function renderReport(r: Report): string {
  return `<!doctype html>
<html lang="${r.lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(r.title)}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
h1 { margin-bottom: 0.2rem; } .subtitle { color: #666; margin-top: 0; }
section { margin: 2rem 0; } .figures { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; } table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: right; } th { background: #f5f5f5; }
td:first-child, th:first-child { text-align: left; }
</style>
</head>
<body>
<h1>${escapeHtml(r.title)}</h1>
${r.subtitle ? `<p class="subtitle">${escapeHtml(r.subtitle)}</p>` : ''}
${r.sections.map(section).join('\n')}
</body>
</html>
`;
}
