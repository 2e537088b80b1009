/**
 * The embedded Chinese font of the reports (Node only): a Noto Sans SC subset generated at build time
 * (scripts/report_font.mjs), as CSS for the HTML pages and as font files for resvg's PNGs. Without it
 * Chinese is drawn as boxes on a machine with no CJK font installed.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CJK_FONT_FAMILY } from './font_family.js';
import { REPORT_FONT_FACES } from './generated/report_font.js';

/** `@font-face` rules for the subset, the fonts inlined as data: URLs (a report has no other files). */
export function reportFontCss(): string {
  return REPORT_FONT_FACES.map(
    (f) =>
      `@font-face { font-family: "${CJK_FONT_FAMILY}"; font-style: normal; font-weight: 400; font-display: block; ` +
      `src: url(data:font/woff2;base64,${f.woff2}) format("woff2"); unicode-range: ${f.unicodeRange}; }`,
  ).join('\n');
}

let files: string[] | undefined;

/**
 * The subset's faces as OpenType files, for resvg's `font.fontFiles`: the native resvg of Node reads
 * fonts from files only (`fontBuffers` is its WebAssembly build's), so each face is written once into
 * the temporary folder under a name made from its content, and reused by later runs.
 */
export function reportFontFiles(): string[] {
  files ??= REPORT_FONT_FACES.map((f) => cachedFontFile(f.sfnt));
  return files;
}

function cachedFontFile(base64: string): string {
  const hash = createHash('sha256').update(base64).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `descent-noto-sans-sc-${hash}.otf`);
  if (!fs.existsSync(file)) {
    // Written aside and renamed: a concurrent run never reads half a font.
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, Buffer.from(base64, 'base64'));
    fs.renameSync(partial, file);
  }
  return file;
}
