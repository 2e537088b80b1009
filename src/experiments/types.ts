/**
 * What every lecture experiment provides: a pure function from options to data (JSON-able: plain
 * numbers, arrays and objects), and a presenter from that data to figures (Vega-Lite specifications)
 * and text in English or Chinese. The CLI and the HTML report only render what presenters return.
 */
import type { Lang } from '../report/html.js';
import type { FigureSpec } from '../report/spec_type.js';

export type { Lang };

/** Text in both languages of the course (a string by default; a table header is a list of them). */
export interface Bilingual<Text = string> {
  en: Text;
  zh: Text;
}

export interface ExperimentPresentation {
  /** Section title, e.g. "Optimizer paths on 2-D surfaces". */
  title: string;
  /** What the experiment shows and which paper or slide it reproduces (one or two sentences). */
  shows: string;
  /** Headline findings with numbers, one sentence each (e.g. "BN at lr 1: 94.1% vs plain 11.3%"). */
  findings: string[];
  figures: FigureSpec[];
  /** An optional table of numbers. */
  table?: { header: string[]; rows: (string | number)[][] };
}

export interface Experiment<Options, Result> {
  /** The CLI name: `descent experiment <name>`. */
  readonly name: string;
  readonly title: Bilingual;
  /** Runs the experiment (deterministic for a given seed). `defaults` are the sizes `experiment all` uses. */
  run(options?: Partial<Options>): Result;
  readonly defaults: Options;
  present(result: Result, lang: Lang): ExperimentPresentation;
}

/** Picks the text of a language. */
export function tr(text: Bilingual, lang: Lang): string {
  return text[lang];
}
