/** Saves data as a file from the page (JSON, PNG from a canvas, SVG text). */

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** JSON as the CLI prints it: one object, or (for `descent train --json`) one object per line. */
export function downloadJson(data: unknown, filename: string, options: { lines?: boolean } = {}): void {
  const text =
    options.lines && Array.isArray(data)
      ? `${data.map((d) => JSON.stringify(d)).join('\n')}\n`
      : `${JSON.stringify(data)}\n`;
  downloadBlob(new Blob([text], { type: 'application/json' }), filename);
}

export function downloadCanvasPng(canvas: HTMLCanvasElement, filename: string): void {
  canvas.toBlob((blob) => {
    if (blob) downloadBlob(blob, filename);
  }, 'image/png');
}

export function downloadSvg(svg: string, filename: string): void {
  downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), filename);
}
