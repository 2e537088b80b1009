// The lab's Chinese font: a subset of Noto Sans SC 400 holding only the CJK characters the lab can
// show, so that Chinese renders on machines without CJK fonts and the page stays small. The build
// runs it (`npm run lab:font`); it writes lab/src/generated/ (gitignored), which lab/src/main.tsx
// imports: font.css (an @font-face for "Descent Noto Sans SC") and the woff2 it names.
//
// Which characters: every CJK character, CJK punctuation and full-width form in the string literals,
// template literals and JSX text of lab/src/ and src/ (all of it, not only the experiments' string
// tables: whatever the public API returns may be shown), and in lab/index.html. Comments are left
// out: the Chinese quoted there is never displayed.
//
// Which font: @fontsource/noto-sans-sc ships the font as ~100 unicode-range slices (400.css) and
// one file with the whole simplified-Chinese set (chinese-simplified, ~8000 characters). Glyphs of
// different files cannot be merged into one font with the tools at hand, so the subset is cut from
// that one file; a character it lacks comes from its slice as a second @font-face of the same family
// (rare: none today), and a character no file has is an error naming it and where it is used.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fontverter from 'fontverter';
import { Blob, Face } from 'harfbuzzjs';
import subsetFont from 'subset-font';
import ts from 'typescript';

export const FAMILY = 'Descent Noto Sans SC';
const REPO = fileURLToPath(new URL('..', import.meta.url));
const FONTSOURCE = path.dirname(
  createRequire(import.meta.url).resolve('@fontsource/noto-sans-sc/package.json'),
);
const PRIMARY = 'noto-sans-sc-chinese-simplified-400-normal.woff2';

/** Han, kana, bopomofo, and the CJK punctuation, compatibility, vertical and full-width blocks. */
const CJK =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\u3000-\u303f\u3200-\u33ff\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef]/gu;

/** The CJK characters of one text, in order of first appearance, without repeats. */
export function cjkOf(text) {
  return [...new Set(text.match(CJK) ?? [])];
}

/** The text a source file can display: its literals and JSX text (TypeScript), or all of it. */
export function displayedText(fileName, source) {
  if (/\.html?$/.test(fileName)) return source.replace(/<!--[\s\S]*?-->/g, '');
  if (!/\.[mc]?tsx?$/.test(fileName)) return source;
  const kind = fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, kind);
  const parts = [];
  const visit = (node) => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) || ts.isJsxText(node))
      parts.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return parts.join('\n');
}

/** The files scanned: lab/index.html, lab/src/ (but not generated/) and src/. */
export function labSourceFiles(root = REPO) {
  const walk = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'generated' ? [] : walk(full);
      return /\.(m?tsx?|json|html)$/.test(entry.name) ? [full] : [];
    });
  const index = path.join(root, 'lab', 'index.html');
  const dirs = [path.join(root, 'lab', 'src'), path.join(root, 'src')].filter((d) => fs.existsSync(d));
  return [...(fs.existsSync(index) ? [index] : []), ...dirs.flatMap(walk)].sort();
}

/**
 * Every CJK character the lab can show, mapped to the first file (relative to root) using it; `files`
 * (default: labSourceFiles) lets the report's font (scripts/report_font.mjs) scan src/ alone.
 */
export function scanLabText(root = REPO, files = labSourceFiles(root)) {
  const where = new Map();
  for (const file of files) {
    const source = fs.readFileSync(file, 'utf8');
    // Parsing is the slow part; most files hold no CJK at all.
    if (cjkOf(source).length === 0) continue;
    for (const char of cjkOf(displayedText(file, source))) {
      if (!where.has(char)) where.set(char, path.relative(root, file));
    }
  }
  return where;
}

/** The code points a font (TrueType, WOFF or WOFF2) maps to glyphs. */
export async function codePointsOf(font) {
  const sfnt = await fontverter.convert(Buffer.from(font), 'truetype');
  return new Set(new Face(new Blob(sfnt)).collectUnicodes());
}

/** The unicode-range slices of 400.css: file name and inclusive code point ranges. */
function slices() {
  const css = fs.readFileSync(path.join(FONTSOURCE, '400.css'), 'utf8');
  return [...css.matchAll(/files\/([\w-]+-400-normal\.woff2)[^}]*?unicode-range:([^;]+);/g)].map((m) => ({
    file: m[1],
    ranges: m[2].split(',').map((r) => {
      const [lo, hi = lo] = r.trim().replace(/^U\+/i, '').split('-');
      return [Number.parseInt(lo, 16), Number.parseInt(hi, 16)];
    }),
  }));
}

/**
 * Which source file supplies which characters: the chinese-simplified file all it has, each other
 * character its unicode-range slice. `where` (character → file using it) names the culprits of an error.
 */
async function planFaces(chars, where) {
  const primary = await codePointsOf(fs.readFileSync(path.join(FONTSOURCE, 'files', PRIMARY)));
  const faces = new Map([[PRIMARY, []]]);
  const missing = [];
  const sliceList = chars.some((c) => !primary.has(c.codePointAt(0))) ? slices() : [];
  for (const char of chars) {
    const cp = char.codePointAt(0);
    const file = primary.has(cp)
      ? PRIMARY
      : sliceList.find((s) => s.ranges.some(([lo, hi]) => cp >= lo && cp <= hi))?.file;
    if (file === undefined) missing.push(char);
    else faces.set(file, [...(faces.get(file) ?? []), char]);
  }
  if (missing.length > 0) {
    const list = missing.map(
      (c) => `'${c}' (U+${hex(c.codePointAt(0))}${where?.get(c) ? `, in ${where.get(c)}` : ''})`,
    );
    throw new Error(`lab font: Noto Sans SC has no glyph for ${list.join(', ')}; use another character`);
  }
  return [...faces].filter(([, cs]) => cs.length > 0).map(([file, cs]) => ({ source: file, chars: cs }));
}

const hex = (cp) => cp.toString(16).toUpperCase().padStart(4, '0');

/** `U+4E00-4E01,U+5B9E`: the code points as CSS unicode-range. */
export function unicodeRange(codePoints) {
  const sorted = [...codePoints].sort((a, b) => a - b);
  const runs = [];
  for (const cp of sorted) {
    const last = runs.at(-1);
    if (last && last[1] === cp - 1) last[1] = cp;
    else runs.push([cp, cp]);
  }
  return runs.map(([lo, hi]) => (lo === hi ? `U+${hex(lo)}` : `U+${hex(lo)}-${hex(hi)}`)).join(',');
}

/**
 * Subsets Noto Sans SC to `text`'s CJK characters: one woff2 per source file used (one, unless a
 * character is missing from the simplified-Chinese set) and the CSS naming them. Each subset is read
 * back and must map exactly the characters asked for.
 */
export async function subsetLabFont({ text, where }) {
  const chars = cjkOf(text);
  const planned = chars.length === 0 ? [] : await planFaces(chars, where);
  const faces = [];
  for (const [i, { source, chars: own }] of planned.entries()) {
    const input = fs.readFileSync(path.join(FONTSOURCE, 'files', source));
    const woff2 = await subsetFont(input, own.join(''), { targetFormat: 'woff2' });
    const codePoints = [...(await codePointsOf(woff2))].sort((a, b) => a - b);
    const wanted = own.map((c) => c.codePointAt(0)).sort((a, b) => a - b);
    if (codePoints.join() !== wanted.join()) {
      throw new Error(
        `lab font: the subset of ${source} maps ${codePoints.length} characters, not the ${wanted.length} asked for`,
      );
    }
    const fileName = i === 0 ? 'noto_sans_sc_subset.woff2' : `noto_sans_sc_subset_${i}.woff2`;
    faces.push({ fileName, source, woff2: new Uint8Array(woff2), codePoints });
  }
  return { faces, css: fontCss(faces) };
}

function fontCss(faces) {
  const rules = faces.map(
    (f) => `@font-face {
  font-family: "${FAMILY}";
  font-style: normal;
  font-weight: 400;
  font-display: swap;
  src: url(./${f.fileName}) format("woff2");
  unicode-range: ${unicodeRange(f.codePoints)};
}
`,
  );
  return `/* Generated by scripts/lab_font.mjs (npm run lab:font); do not edit. Noto Sans SC, © Google, SIL Open Font License 1.1. */\n${rules.join('\n')}`;
}

/** Scans the sources, writes font.css and the woff2 subsets into outDir; returns what it wrote. */
export async function writeLabFont({
  root = REPO,
  outDir = path.join(root, 'lab', 'src', 'generated'),
} = {}) {
  const where = scanLabText(root);
  const { faces, css } = await subsetLabFont({ text: [...where.keys()].join(''), where });
  fs.mkdirSync(outDir, { recursive: true });
  for (const old of fs.readdirSync(outDir).filter((n) => /^noto_sans_sc_subset.*\.woff2$/.test(n))) {
    fs.rmSync(path.join(outDir, old));
  }
  for (const face of faces) fs.writeFileSync(path.join(outDir, face.fileName), face.woff2);
  fs.writeFileSync(path.join(outDir, 'font.css'), css);
  return {
    characters: where.size,
    bytes: faces.reduce((n, f) => n + f.woff2.byteLength, 0),
    files: faces.map((f) => path.join(outDir, f.fileName)),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { characters, bytes, files } = await writeLabFont();
  const where = files.map((f) => path.relative(process.cwd(), f)).join(', ');
  console.log(
    `lab font: ${characters} characters (${characters + 1} glyphs with .notdef), ${(bytes / 1024).toFixed(1)} KiB: ${where}`,
  );
}
