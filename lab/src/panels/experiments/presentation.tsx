/** An experiment's presentation (the report's section): what it shows, findings, figures, table. */
import type { experiments } from 'descent';
import { STRINGS } from './strings';
import { VegaFigure } from './vega_figure';

type Presentation = experiments.ExperimentPresentation;

export function PresentationView({ p, name, lang }: { p: Presentation; name: string; lang: 'en' | 'zh' }) {
  const t = STRINGS[lang];
  return (
    <section class="presentation" data-testid="experiment-presentation">
      <h2>{p.title}</h2>
      <p>
        <strong>{t.shows}:</strong> {p.shows}
      </p>
      {p.findings.length > 0 && (
        <>
          <h3>{t.findings}</h3>
          <ul data-testid="experiment-findings">
            {p.findings.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </>
      )}
      {p.figures.map((spec, i) => (
        <VegaFigure
          key={`${name}-${lang}-${i}`}
          spec={spec as unknown as Record<string, unknown>}
          name={`descent-experiment-${name}-${i + 1}`}
        />
      ))}
      {p.table && (
        <table class="data" data-testid="experiment-table">
          <thead>
            <tr>
              {p.table.header.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.table.rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, c) => (
                  <td key={c}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
