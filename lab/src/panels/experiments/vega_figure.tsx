/**
 * One of a report's figures: the presenter's Vega-Lite specification compiled by vega-lite and drawn
 * by Vega as SVG, exactly as `descent experiment` draws it in the HTML report. Vega and vega-lite are
 * loaded on first use, so only this panel pays for them.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Button, Notice } from '../../components/controls';
import { downloadBlob, downloadSvg } from '../../components/download';
import { COMMON } from '../../i18n/common';
import { useLang } from '../../i18n/lang';
import { STRINGS } from './strings';

type Spec = Record<string, unknown>;

async function renderSvg(spec: Spec): Promise<{ svg: string; png: () => Promise<Blob | null> }> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  const png = async () => {
    const canvas = (await view.toCanvas(2)) as unknown as HTMLCanvasElement;
    return new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  };
  return { svg, png };
}

export function VegaFigure({ spec, name }: { spec: Spec; name: string }) {
  const lang = useLang();
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const rendered = useRef<Awaited<ReturnType<typeof renderSvg>> | null>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    renderSvg(spec).then(
      (r) => {
        if (!live || !host.current) return;
        rendered.current = r;
        host.current.innerHTML = r.svg;
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [spec]);
  if (error) return <Notice kind="error">{STRINGS[lang].figureError + error}</Notice>;
  return (
    <figure class="figure vega-figure">
      <div ref={host} data-testid="experiment-figure" />
      <div class="exports">
        <Button
          onClick={() => rendered.current && downloadSvg(rendered.current.svg, `${name}.svg`)}
          testId="export-svg"
        >
          {COMMON[lang].exportSvg}
        </Button>
        <Button
          onClick={() =>
            void rendered.current?.png().then((blob) => blob && downloadBlob(blob, `${name}.png`))
          }
          testId="export-png"
        >
          {COMMON[lang].exportPng}
        </Button>
      </div>
    </figure>
  );
}
