/**
 * The type of a figure's specification: a Vega-Lite top-level spec.
 *
 * Divergence between source and package: in the source tree (and so in the tests and the lab) this is
 * vega-lite's own `TopLevelSpec`, so a mistyped mark or encoding is a compile error while developing.
 * vega-lite is a devDependency only (its run-time part is bundled into dist/report/vega.js, see
 * scripts/bundle_report_vega.mjs), so the published `dist/report/spec_type.d.ts` is rewritten by that
 * build step to declare `FigureSpec` as a plain JSON object, `{ readonly [key: string]: unknown }`: a
 * consumer type-checks without vega-lite installed, and passes any spec object it has built.
 */
export type { TopLevelSpec as FigureSpec } from 'vega-lite';
