// Types of scripts/lab_font.mjs, for the TypeScript tests that call it (test/build/lab_font.test.ts).

export const FAMILY: string;

export interface LabFontFace {
  /** The woff2's name in the output folder, as font.css refers to it. */
  fileName: string;
  /** The @fontsource/noto-sans-sc file it was cut from. */
  source: string;
  woff2: Uint8Array;
  /** The code points the subset maps, ascending. */
  codePoints: number[];
}

export function cjkOf(text: string): string[];
export function displayedText(fileName: string, source: string): string;
export function labSourceFiles(root?: string): string[];
export function scanLabText(root?: string, files?: string[]): Map<string, string>;
export function codePointsOf(font: Uint8Array): Promise<Set<number>>;
export function unicodeRange(codePoints: Iterable<number>): string;
export function subsetLabFont(spec: {
  text: string;
  where?: Map<string, string>;
}): Promise<{ faces: LabFontFace[]; css: string }>;
export function writeLabFont(spec?: {
  root?: string;
  outDir?: string;
}): Promise<{ characters: number; bytes: number; files: string[] }>;
