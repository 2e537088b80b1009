/**
 * For image data: the first test images with the model's prediction under each (red when wrong), and
 * the confusion matrix over the whole test split, both computed by the worker; classes by name where
 * the data set has names (Fashion-MNIST), else by number.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { DigitSamples, DigitsView } from './messages';

function DigitCanvas(p: { samples: DigitSamples; index: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const { width, height, pixels } = p.samples;
    const image = new ImageData(width, height);
    const offset = p.index * width * height;
    for (let i = 0; i < width * height; i++) {
      const v = 255 - pixels[offset + i]!;
      image.data.set([v, v, v, 255], 4 * i);
    }
    canvas.width = width;
    canvas.height = height;
    canvas.getContext('2d')!.putImageData(image, 0, 0);
  }, [p.samples, p.index]);
  return <canvas ref={ref} class="digit" />;
}

/** A class as shown: its name when the data set has names (Fashion-MNIST), else its number. */
const nameOf = (classNames: readonly string[] | null, k: number) => classNames?.[k] ?? String(k);

export function DigitGrid(p: {
  samples: DigitSamples;
  view: DigitsView | null;
  predictedLabel: string;
  classNames: readonly string[] | null;
}) {
  return (
    <div class="digit-grid" data-testid="digit-grid">
      {Array.from(p.samples.labels, (label, i) => {
        const predicted = p.view?.predicted[i];
        const wrong = predicted !== undefined && predicted !== label;
        return (
          <figure key={i} class={wrong ? 'wrong' : undefined}>
            <DigitCanvas samples={p.samples} index={i} />
            <figcaption>
              {nameOf(p.classNames, label)}
              {predicted !== undefined && ` → ${nameOf(p.classNames, predicted)}`}
            </figcaption>
          </figure>
        );
      })}
    </div>
  );
}

export function ConfusionMatrix(p: {
  view: DigitsView;
  trueLabel: string;
  predictedLabel: string;
  classNames: readonly string[] | null;
}) {
  const rows = p.view.confusion;
  const largest = Math.max(1, ...rows.flat());
  return (
    <table class="data confusion" data-testid="confusion-matrix">
      <thead>
        <tr>
          <th>
            {p.trueLabel} \ {p.predictedLabel}
          </th>
          {rows.map((_, j) => (
            <th key={j}>{nameOf(p.classNames, j)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            <th>{nameOf(p.classNames, i)}</th>
            {row.map((n, j) => (
              <td
                key={j}
                style={{
                  background: `rgba(31, 95, 191, ${(0.75 * n) / largest})`,
                  color: n / largest > 0.5 ? '#fff' : undefined,
                }}
              >
                {n}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
