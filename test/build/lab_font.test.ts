/**
 * The lab's Chinese font subset (scripts/lab_font.mjs): it holds exactly the requested characters with
 * Noto Sans SC's own outlines, finds the characters the lab shows (literals and JSX text, not
 * comments), and covers every CJK character of the lab's sources and string tables.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Blob, Face, Font } from 'harfbuzzjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cjkOf,
  displayedText,
  FAMILY,
  scanLabText,
  subsetLabFont,
  unicodeRange,
  writeLabFont,
} from '../../scripts/lab_font.mjs';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const FILES = path.join(REPO, 'node_modules', '@fontsource', 'noto-sans-sc', 'files');
const SIMPLIFIED = path.join(FILES, 'noto-sans-sc-chinese-simplified-400-normal.woff2');
/** fontverter (a dependency of subset-font) ships no types: the one function used here. */
const fontverter = createRequire(import.meta.url)('fontverter') as {
  convert(font: Buffer, to: 'truetype'): Promise<Buffer>;
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-lab-font-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A font read with HarfBuzz (independently of the script): its cmap and its glyph outlines. */
async function openFont(
  bytes: Uint8Array,
): Promise<{ codePoints: number[]; outline: (cp: number) => string }> {
  const sfnt = await fontverter.convert(Buffer.from(bytes), 'truetype');
  const face = new Face(new Blob(sfnt));
  const font = new Font(face);
  return {
    codePoints: [...face.collectUnicodes()].sort((a, b) => a - b),
    outline: (cp) => font.glyphToPath(font.glyph(cp) ?? 0),
  };
}

const codes = (text: string) => [...text].map((c) => c.codePointAt(0)!).sort((a, b) => a - b);

describe('cjkOf and displayedText', () => {
  it('takes Han characters, CJK punctuation and full-width forms, once each, and nothing Latin', () => {
    expect(cjkOf('学习率 lr=0.1，学习（率）「」、。： — … · ＡＢ')).toEqual([
      ...'学习率，（）「」、。：ＡＢ',
    ]);
  });

  it('reads string and template literals, JSX text and attributes, but not comments', () => {
    const source = [
      '// 注释一',
      "/** 注释二 */ const a = '字符串';",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source text, not a template
      'const b = `模板${a}插值`;',
      'export const C = () => <p title="属性">正文 {b}</p>;',
    ].join('\n');
    const text = displayedText('fixture.tsx', source);
    expect(cjkOf(text).sort()).toEqual([...'字符串模板插值属性正文'].sort());
  });

  it('reads all of an HTML file except its comments', () => {
    expect(cjkOf(displayedText('index.html', '<!-- 注释 --><title>实验室</title>'))).toEqual([...'实验室']);
  });

  it('writes code points as a CSS unicode-range, merging runs', () => {
    expect(unicodeRange([0x4e01, 0x3001, 0x4e00, 0x4e02, 0x5b9e])).toBe('U+3001,U+4E00-4E02,U+5B9E');
  });
});

describe('subsetLabFont', () => {
  it('maps exactly the requested characters, with the outlines of Noto Sans SC', async () => {
    const { faces, css } = await subsetLabFont({ text: 'descent 实验室，学习率 lr（实验）' });
    expect(faces).toHaveLength(1);
    const subset = await openFont(faces[0]!.woff2);
    expect(subset.codePoints).toEqual(codes('实验室，学习率（）'));
    const source = await openFont(fs.readFileSync(SIMPLIFIED));
    for (const cp of subset.codePoints) {
      expect(subset.outline(cp)).not.toBe('');
      expect(subset.outline(cp), String.fromCodePoint(cp)).toBe(source.outline(cp));
    }
    expect(css).toContain(`font-family: "${FAMILY}"`);
    expect(FAMILY).toBe('Descent Noto Sans SC');
    expect(css).toContain(`src: url(./${faces[0]!.fileName}) format("woff2")`);
    expect(css).toContain(`unicode-range: ${unicodeRange(codes('实验室，学习率（）'))};`);
  });

  it('takes a character missing from the simplified-Chinese set from its slice, as a second face', async () => {
    const { faces, css } = await subsetLabFont({ text: '实龃' });
    expect(faces.map((f) => f.source)).toEqual([
      'noto-sans-sc-chinese-simplified-400-normal.woff2',
      'noto-sans-sc-21-400-normal.woff2',
    ]);
    expect((await openFont(faces[1]!.woff2)).codePoints).toEqual(codes('龃'));
    expect(css.match(/@font-face/g)).toHaveLength(2);
    expect(css).toContain(`src: url(./${faces[1]!.fileName}) format("woff2")`);
  });

  it('refuses a character no file of the font has, naming it and where it is used', async () => {
    const where = new Map([['𠀀', 'lab/src/panels/x.tsx']]);
    await expect(subsetLabFont({ text: '实𠀀', where })).rejects.toThrow(
      "lab font: Noto Sans SC has no glyph for '𠀀' (U+20000, in lab/src/panels/x.tsx)",
    );
  });
});

describe('writeLabFont', () => {
  it('scans lab/ and src/ (not lab/src/generated/) and replaces the old subset with font.css and one woff2', async () => {
    const root = path.join(tmp, 'repo');
    const files: Record<string, string> = {
      'lab/index.html': '<!-- 注 --><title>实验室</title>',
      'lab/src/panel.tsx': "// 释\nexport const P = () => <p title='学习'>率</p>;",
      'lab/src/generated/old.ts': "export const old = '旧';",
      'src/experiments/x_strings.ts': "export const X = { zh: '深度，' };",
    };
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), text);
    }
    const outDir = path.join(root, 'lab', 'src', 'generated');
    fs.writeFileSync(path.join(outDir, 'noto_sans_sc_subset_1.woff2'), 'stale');
    const written = await writeLabFont({ root, outDir });
    expect(written.characters).toBe(9);
    expect(written.files).toEqual([path.join(outDir, 'noto_sans_sc_subset.woff2')]);
    expect(fs.readdirSync(outDir).sort()).toEqual(['font.css', 'noto_sans_sc_subset.woff2', 'old.ts']);
    const font = await openFont(fs.readFileSync(written.files[0]!));
    expect(font.codePoints).toEqual(codes('实验室学习率深度，'));
    expect(written.bytes).toBe(fs.statSync(written.files[0]!).size);
    expect(fs.readFileSync(path.join(outDir, 'font.css'), 'utf8')).toContain(
      'url(./noto_sans_sc_subset.woff2)',
    );
  });
});

/** Every string value of the lab's string tables (functions are covered by the source scan). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(stringsOf);
}

function stringTables(): string[] {
  const experiments = path.join(REPO, 'src', 'experiments');
  return [
    ...fs
      .readdirSync(experiments)
      .filter((n) => n.endsWith('_strings.ts'))
      .map((n) => path.join(experiments, n)),
    path.join(REPO, 'lab', 'src', 'i18n', 'common.ts'),
  ];
}

describe('the lab font of the repository', () => {
  it('covers every CJK character of the scanned sources and of the string tables, in one small file', async () => {
    const where = scanLabText(REPO);
    const { faces } = await subsetLabFont({ text: [...where.keys()].join(''), where });
    expect(faces.map((f) => f.fileName)).toEqual(['noto_sans_sc_subset.woff2']);
    const covered = new Set((await openFont(faces[0]!.woff2)).codePoints);
    expect([...where.keys()].filter((c) => !covered.has(c.codePointAt(0)!))).toEqual([]);
    const tables: string[] = [];
    for (const file of stringTables()) tables.push(...stringsOf(await import(pathToFileURL(file).href)));
    const shown = cjkOf(tables.join(''));
    expect(shown).toEqual(expect.arrayContaining([...'实验室']));
    expect(shown.filter((c) => !covered.has(c.codePointAt(0)!))).toEqual([]);
    // The whole simplified-Chinese file is 1.1 MB; a few hundred glyphs stay far below.
    expect(faces[0]!.woff2.byteLength).toBeLessThan(200 * 1024);
  });
});
