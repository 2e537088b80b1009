/**
 * The page every HTML report shares: both languages in one self-contained file, a switch between
 * them (English / 中文) that needs no script (two radio buttons and a CSS rule), the embedded Chinese
 * font, and the common style. Reports pass the body of each language; `lang` is the one shown first.
 */
import { reportFontCss } from './font_face.js';
import { REPORT_FONT_STACK } from './font_family.js';

export type Lang = 'en' | 'zh';

export interface BilingualPage {
  /** The language shown when the page opens (the CLI's `--lang`). */
  lang: Lang;
  /** The document title of each language (the tab shows both). */
  title: Record<Lang, string>;
  /** Each language's content, HTML. */
  body: Record<Lang, string>;
}

const HTML_LANG: Record<Lang, string> = { en: 'en', zh: 'zh-CN' };
const SWITCH_LABEL: Record<Lang, string> = { en: 'English', zh: '中文' };

const STYLE = `body { font-family: ${REPORT_FONT_STACK}; margin: 0 auto 2rem; max-width: 1200px; padding: 0 1rem; color: #222; }
.lang-switch { position: sticky; top: 0; z-index: 1; background: #fff; padding: 0.5rem 0; border-bottom: 1px solid #eee; }
.lang-switch label { margin-right: 1rem; cursor: pointer; color: #555; }
.lang-radio { position: absolute; opacity: 0; pointer-events: none; }
#lang-en:checked ~ .zh, #lang-zh:checked ~ .en { display: none; }
#lang-en:checked ~ .lang-switch label[for="lang-en"], #lang-zh:checked ~ .lang-switch label[for="lang-zh"] { color: #000; font-weight: 600; text-decoration: underline; }
#lang-en:focus-visible ~ .lang-switch label[for="lang-en"], #lang-zh:focus-visible ~ .lang-switch label[for="lang-zh"] { outline: 2px solid #0072B2; }
h1 { margin-bottom: 0.2rem; } .subtitle { color: #666; margin-top: 0; }
section { margin: 2rem 0; } .figures { display: flex; flex-wrap: wrap; gap: 1rem; } figure { margin: 0; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: right; } th { background: #f5f5f5; }
td:first-child, th:first-child { text-align: left; }
.nw { white-space: nowrap; }`;

/** The whole page: head (style, font), the switch, and each language's body. */
export function bilingualPage(p: BilingualPage): string {
  const checked = (lang: Lang) => (lang === p.lang ? ' checked' : '');
  const radio = (lang: Lang) =>
    `<input type="radio" class="lang-radio" name="lang" id="lang-${lang}" aria-label="${SWITCH_LABEL[lang]}"${checked(lang)}>`;
  const label = (lang: Lang) =>
    `<label for="lang-${lang}" lang="${HTML_LANG[lang]}">${SWITCH_LABEL[lang]}</label>`;
  const body = (lang: Lang) => `<div class="${lang}" lang="${HTML_LANG[lang]}">\n${p.body[lang]}\n</div>`;
  return `<!doctype html>
<html lang="${HTML_LANG[p.lang]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title.en)} · ${escapeHtml(p.title.zh)}</title>
<style>
${reportFontCss()}
${STYLE}
</style>
</head>
<body>
${radio('en')}
${radio('zh')}
<div class="lang-switch">${label('en')}${label('zh')}</div>
${body('en')}
${body('zh')}
</body>
</html>
`;
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * Escaped text whose numbers never break across lines: a browser may break "1e-3" after its hyphen
 * (read as "1e-" and "3"), so each word holding a digit and a hyphen or minus is kept whole.
 */
export function escapeText(s: string): string {
  return s
    .split(/(\s+)/)
    .map((word) =>
      /\d/.test(word) && /[-−]/.test(word) ? `<span class="nw">${escapeHtml(word)}</span>` : escapeHtml(word),
    )
    .join('');
}
