/**
 * The per-layer figures of one init run: a grid of small histograms (activations, and gradients when
 * the library gives their histograms; otherwise each layer's gradient std), and the table of
 * saturated and dead fractions.
 */
import { useRef } from 'preact/hooks';
import { PALETTE } from '../../components/canvas';
import { downloadCanvasPng } from '../../components/download';
import { gridPicture } from '../../components/grid_png';
import { Histogram } from '../../components/histogram';
import { LineChart } from '../../components/line_chart';
import { COMMON } from '../../i18n/common';
import { useLang, useT } from '../../i18n/lang';
import type { InitJobResult } from './jobs';
import { INIT_STRINGS } from './strings';

type Layer = InitJobResult['layers'][number];
type HistogramData = { edges: number[]; counts: number[] };

/** A gradient histogram, if this version of the experiment records one per layer. */
function gradHistogramOf(layer: Layer): HistogramData | undefined {
  return (layer as Layer & { gradHistogram?: HistogramData }).gradHistogram;
}

export function HistogramGrid(p: { layers: Layer[]; kind: 'activation' | 'gradient' }) {
  const t = useT(INIT_STRINGS);
  const color = p.kind === 'activation' ? PALETTE[0]! : PALETTE[3]!;
  const grid = useRef<HTMLDivElement>(null);
  const lang = useLang();
  const savePng = () => {
    const picture = grid.current && gridPicture(grid.current);
    if (picture) downloadCanvasPng(picture, `descent-init-${p.kind}-histograms.png`);
  };
  return (
    <>
      <div class="histogram-grid" ref={grid} data-testid={`init-${p.kind}-histograms`}>
        {p.layers.map((l) => {
          const h = p.kind === 'activation' ? l.histogram : gradHistogramOf(l);
          return h ? (
            <Histogram
              key={l.layer}
              title={`${t('layer')} ${l.layer}`}
              edges={h.edges}
              counts={h.counts}
              color={color}
              testId={`init-${p.kind}-histogram-${l.layer}`}
            />
          ) : null;
        })}
      </div>
      <button type="button" class="chart-export" data-testid={`init-${p.kind}-export-png`} onClick={savePng}>
        {COMMON[lang].exportPng}
      </button>
    </>
  );
}

export function hasGradHistograms(layers: Layer[]): boolean {
  return layers.length > 0 && layers.every((l) => gradHistogramOf(l) !== undefined);
}

export function GradStdChart({ layers }: { layers: Layer[] }) {
  const t = useT(INIT_STRINGS);
  return (
    <LineChart
      title={t('gradStdFigure')}
      x={layers.map((l) => l.layer)}
      series={[{ label: t('gradStd'), values: layers.map((l) => l.gradStd), color: PALETTE[3]! }]}
      xLabel={t('layer')}
      yLabel={t('gradStd')}
      logY
      height={200}
      testId="init-grad-std"
    />
  );
}

const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '–');
const num = (v: number) => (Number.isFinite(v) ? v.toPrecision(3) : '–');

export function FractionsTable({ layers }: { layers: Layer[] }) {
  const t = useT(INIT_STRINGS);
  return (
    <table class="data" data-testid="init-fractions">
      <thead>
        <tr>
          <th>{t('layer')}</th>
          <th>{t('mean')}</th>
          <th>{t('std')}</th>
          <th>{t('saturated')}</th>
          <th>{t('dead')}</th>
          <th>{t('gradStd')}</th>
        </tr>
      </thead>
      <tbody>
        {layers.map((l) => (
          <tr key={l.layer} data-testid={`init-row-${l.layer}`}>
            <td>{l.layer}</td>
            <td>{num(l.mean)}</td>
            <td>{num(l.std)}</td>
            <td>
              <span class="init-bar" style={{ width: `${100 * l.saturatedFraction}%` }} />
              {pct(l.saturatedFraction)}
            </td>
            <td>
              <span class="init-bar dead" style={{ width: `${100 * l.deadFraction}%` }} />
              {pct(l.deadFraction)}
            </td>
            <td>{num(l.gradStd)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
