/**
 * A self-contained HTML report in both languages of the course (Chinese) and the library (English):
 * figures inlined as SVG, tables, no external resources, a switch between the languages and the
 * embedded Chinese font (page.ts).
 */
import { bilingualPage, escapeHtml, escapeText, type Lang } from './page.js';

export type { Lang };
export { escapeHtml };

export interface ReportSection {
  title: string;
  /** Inline SVG figures. */
  figures?: string[];
  /** Paragraphs of plain text (escaped). */
  text?: string[];
  /** Points of plain text (escaped), as a bulleted list after the paragraphs (findings). */
  list?: string[];
  /** A table: header and rows of plain text (escaped). */
  table?: { header: string[]; rows: (string | number)[][] };
}

/** What a report says in one language. */
export interface ReportPage {
  title: string;
  /** A line under the title. */
  subtitle?: string;
  sections: ReportSection[];
}

/** A report: its page in each language, and the one shown first. */
export interface Report {
  lang: Lang;
  en: ReportPage;
  zh: ReportPage;
}

function table(t: NonNullable<ReportSection['table']>): string {
  const head = t.header.map((h) => `<th>${escapeText(h)}</th>`).join('');
  const rows = t.rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeText(String(c))}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function section(s: ReportSection): string {
  const parts = [`<h2>${escapeText(s.title)}</h2>`];
  for (const p of s.text ?? []) parts.push(`<p>${escapeText(p)}</p>`);
  if (s.list?.length) parts.push(`<ul>${s.list.map((f) => `<li>${escapeText(f)}</li>`).join('')}</ul>`);
  if (s.figures?.length)
    parts.push(`<div class="figures">${s.figures.map((f) => `<figure>${f}</figure>`).join('')}</div>`);
  if (s.table) parts.push(table(s.table));
  return `<section>${parts.join('\n')}</section>`;
}

function pageBody(p: ReportPage): string {
  return [
    `<h1>${escapeText(p.title)}</h1>`,
    ...(p.subtitle ? [`<p class="subtitle">${escapeText(p.subtitle)}</p>`] : []),
    ...p.sections.map(section),
  ].join('\n');
}

/** The page of a report: both languages, `r.lang` shown first, switched in the page. */
export function renderReport(r: Report): string {
  return bilingualPage({
    lang: r.lang,
    title: { en: r.en.title, zh: r.zh.title },
    body: { en: pageBody(r.en), zh: pageBody(r.zh) },
  });
}
