// Types of scripts/report_font.mjs, for the TypeScript tests that call it (test/report/font.test.ts).

export interface ReportFontFaceBytes {
  unicodeRange: string;
  woff2: Uint8Array;
  sfnt: Uint8Array;
  /** The code points the subset maps, ascending. */
  codePoints: number[];
}

export function reportSourceFiles(root?: string): string[];
export function scanReportText(root?: string): Map<string, string>;
export function subsetReportFont(spec: {
  text: string;
  where?: Map<string, string>;
}): Promise<ReportFontFaceBytes[]>;
export function fontModule(faces: ReportFontFaceBytes[]): string;
export function writeReportFont(spec?: {
  root?: string;
  outFile?: string;
}): Promise<{ characters: number; woff2Bytes: number; sfntBytes: number; file: string }>;
