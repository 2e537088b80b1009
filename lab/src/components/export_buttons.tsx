/**
 * "Export JSON" / "导出 JSON" (the matching CLI command's `--json` schema) and the figure exports.
 * The JSON is produced on click from the panel's current data, so it is always what is on screen.
 */
import { COMMON } from '../i18n/common';
import { useT } from '../i18n/lang';
import { Button } from './controls';
import { downloadCanvasPng, downloadJson, downloadSvg } from './download';

export interface ExportSpec {
  /** File name without extension, e.g. "descent-surface-rosenbrock". */
  name: string;
  /** The data in the CLI's schema; undefined while there is nothing to export. */
  json: () => unknown;
  /** `descent train --json` style: one JSON object per line. */
  jsonLines?: boolean;
  /** The figure to save as PNG. */
  canvas?: () => HTMLCanvasElement | null | undefined;
  /** The figure as SVG text. */
  svg?: () => string | null | undefined;
}

export function ExportButtons({ spec }: { spec: ExportSpec }) {
  const t = useT(COMMON);
  return (
    <div class="exports">
      <Button
        testId="export-json"
        onClick={() => {
          const data = spec.json();
          if (data !== undefined) downloadJson(data, `${spec.name}.json`, { lines: spec.jsonLines });
        }}
      >
        {t('exportJson')}
      </Button>
      {spec.canvas && (
        <Button
          testId="export-png"
          onClick={() => {
            const canvas = spec.canvas?.();
            if (canvas) downloadCanvasPng(canvas, `${spec.name}.png`);
          }}
        >
          {t('exportPng')}
        </Button>
      )}
      {spec.svg && (
        <Button
          testId="export-svg"
          onClick={() => {
            const svg = spec.svg?.();
            if (svg) downloadSvg(svg, `${spec.name}.svg`);
          }}
        >
          {t('exportSvg')}
        </Button>
      )}
    </div>
  );
}
