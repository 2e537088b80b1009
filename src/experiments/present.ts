/**
 * The one presenter every experiment shares. An experiment keeps three things apart: its computation
 * (`run`, a pure function returning JSON-able data), its text (a bilingual strings table in
 * `<name>_strings.ts`), and the parts of its section built from the data in one language (figures,
 * findings, an optional table, in `<name>_present.ts`). `presenter` joins them into the
 * `ExperimentPresentation` that the CLI and the HTML report render, so every section has the same
 * shape: title, what it shows, findings, figures, table.
 */
import type { FigureSpec } from '../report/spec_type.js';
import type { Bilingual, ExperimentPresentation, Lang } from './types.js';

/** The fixed text of a section: its title and what it shows, in both languages. */
export interface SectionText {
  title: Bilingual;
  shows: Bilingual;
}

export interface SectionTable {
  header: string[];
  rows: (string | number)[][];
}

/** How one experiment builds the data-dependent parts of its section in a language. */
export interface SectionBuilders<Result> {
  figures(result: Result, lang: Lang): FigureSpec[];
  findings(result: Result, lang: Lang): string[];
  table?(result: Result, lang: Lang): SectionTable;
}

/** The `present` of an experiment: its section text and its builders joined into one presentation. */
export function presenter<Result>(
  text: SectionText,
  build: SectionBuilders<Result>,
): (result: Result, lang: Lang) => ExperimentPresentation {
  return (result, lang) => {
    const table = build.table?.(result, lang);
    return {
      title: text.title[lang],
      shows: text.shows[lang],
      findings: build.findings(result, lang),
      figures: build.figures(result, lang),
      ...(table ? { table } : {}),
    };
  };
}

/** A fraction as a percentage with one decimal, e.g. 0.9412 → "94.1%". */
export const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
