/** The settings in which the pinned run and this run differ: what the comparison is about. */
import type { RunConfig } from 'descent';
import { useT } from '../../i18n/lang';
import { differingSettings } from './settings';
import { STRINGS } from './strings';

export function CompareTable(p: { pinned: Partial<RunConfig>; current: Partial<RunConfig> }) {
  const t = useT(STRINGS);
  const rows = differingSettings(p.pinned, p.current);
  if (rows.length === 0) return <p data-testid="pg-compare-same">{t('noDifference')}</p>;
  return (
    <table class="data" data-testid="pg-compare">
      <thead>
        <tr>
          <th>{t('setting')}</th>
          <th>{t('pinned')}</th>
          <th>{t('current')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-key={r.key}>
            <th>{r.key}</th>
            <td>{r.a}</td>
            <td>{r.b}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
