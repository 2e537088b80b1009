/**
 * The first hidden layer's neurons, one thumbnail each over the data window (TensorFlow Playground's
 * neurons): blue where a neuron's output is positive, orange where negative, each scaled to its own
 * largest magnitude. The worker computes the outputs; this only paints them.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { NeuronView } from './messages';

function paint(canvas: HTMLCanvasElement, view: NeuronView, n: number): void {
  const { size } = view;
  const cells = view.values.subarray(n * size * size, (n + 1) * size * size);
  let largest = 1e-12;
  for (const v of cells) largest = Math.max(largest, Math.abs(v));
  const image = new ImageData(size, size);
  for (let i = 0; i < cells.length; i++) {
    const a = Math.min(1, Math.abs(cells[i]!) / largest);
    const [r, g, b] = cells[i]! >= 0 ? [31, 95, 191] : [245, 130, 32];
    image.data.set(
      [
        Math.round(255 + (r - 255) * a),
        Math.round(255 + (g - 255) * a),
        Math.round(255 + (b - 255) * a),
        255,
      ],
      4 * i,
    );
  }
  canvas.width = size;
  canvas.height = size;
  canvas.getContext('2d')!.putImageData(image, 0, 0);
}

function Thumbnail({ view, n }: { view: NeuronView; n: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) paint(ref.current, view, n);
  }, [view, n]);
  return <canvas ref={ref} class="neuron" aria-label={`neuron ${n + 1}`} />;
}

export function NeuronThumbnails({ view, title }: { view: NeuronView; title: string }) {
  return (
    <div class="neurons" data-testid="pg-neurons">
      <h4>{title}</h4>
      <div class="neuron-grid">
        {Array.from({ length: view.count }, (_, n) => (
          <Thumbnail key={n} view={view} n={n} />
        ))}
      </div>
    </div>
  );
}
