/**
 * The trainer's own learning-rate warnings, in words: the headline by the warning's kind (the library's
 * `divergence` from DivergenceGuard, `plateau` from PlateauDetector), then the library's sentence as it
 * wrote it (with the epoch, step and a rate to try). Nothing here decides whether a rate is too high.
 */
import { Notice } from '../../components/controls';
import { useT } from '../../i18n/lang';
import { LR_STRINGS } from './strings';

export interface WarningData {
  kind: 'divergence' | 'plateau';
  message: string;
  suggestedLr?: number;
}

export function Diagnostics({ warnings, testId }: { warnings: readonly WarningData[]; testId: string }) {
  const t = useT(LR_STRINGS);
  return (
    <div class="lr-diagnostics" data-testid={testId}>
      <h4>{t('diagnostics')}</h4>
      {warnings.length === 0 ? (
        <Notice kind="info">{t('noWarning')}</Notice>
      ) : (
        warnings.map((w) => (
          <Notice key={w.message} kind="warning" testId={`diagnostic-${w.kind}`}>
            <strong>{t(w.kind === 'divergence' ? 'tooHigh' : 'tooLow')}</strong> {w.message}
          </Notice>
        ))
      )}
    </div>
  );
}
