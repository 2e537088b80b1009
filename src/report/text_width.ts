/**
 * How wide Vega thinks a text is when it lays out a figure in Node. Without a canvas to measure
 * with, Vega estimates every character at 0.8 em; a Chinese character is a full em wide, so a zh
 * legend or title came out wider than the room made for it and was clipped at the figure's edge
 * ("普通网络" cut to "普通网"). Vega lets a user-defined `textMetrics.width` replace its estimate
 * (as vl-convert does); this one counts full-width characters at 1.05 em and keeps 0.8 em for the
 * rest. Where Vega measures with a canvas (a browser), nothing changes.
 */
import { textMetrics } from './vega.js';

/** Han, kana, hangul, CJK punctuation and full-width forms: the characters drawn an em wide. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** The estimated width in pixels of `text` at `fontSize`. */
export function estimateTextWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const c of text.trim()) em += WIDE.test(c) ? 1.05 : 0.8;
  return Math.ceil(em * fontSize);
}

/** Installs the estimate in Vega, unless Vega measures text with a canvas. Idempotent. */
export function useWideAwareTextWidth(): void {
  const metrics = textMetrics;
  if (metrics.width !== metrics.estimateWidth) return;
  metrics.width = (item, text) => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    return estimateTextWidth(text == null ? '' : String(text), size);
  };
}
