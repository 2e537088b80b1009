/** The surface's settings: which surface, the quadratic's κ, the start and the number of steps. */
import { NumberField, Select, Slider } from '../../components/controls';
import { useT } from '../../i18n/lang';
import { MAX_STEPS } from './state';
import { STRINGS } from './strings';

interface Props {
  fn: string;
  surfaces: readonly string[];
  condition: number;
  start: [number, number];
  steps: number;
  onSurface: (fn: string) => void;
  onCondition: (k: number) => void;
  onStart: (start: [number, number]) => void;
  onSteps: (steps: number) => void;
}

export function Settings(p: Props) {
  const t = useT(STRINGS);
  return (
    <fieldset>
      <Select
        label={t('surface')}
        value={p.fn}
        options={p.surfaces.map((s) => ({ value: s, label: s }))}
        onChange={p.onSurface}
        testId="paths-surface"
      />
      {p.fn === 'quadratic' && (
        <Slider
          label={t('condition')}
          value={p.condition}
          min={1}
          max={1000}
          log
          onInput={p.onCondition}
          testId="paths-condition"
        />
      )}
      <div class="paths-pair">
        <NumberField
          label={t('startX')}
          value={p.start[0]}
          onChange={(x) => p.onStart([x, p.start[1]])}
          notANumber={t('notANumber')}
          testId="paths-start-x"
        />
        <NumberField
          label={t('startY')}
          value={p.start[1]}
          onChange={(y) => p.onStart([p.start[0], y])}
          notANumber={t('notANumber')}
          testId="paths-start-y"
        />
      </div>
      <Slider
        label={t('steps')}
        value={Math.max(1, p.steps)}
        min={1}
        max={MAX_STEPS}
        log
        format={(v) => String(Math.round(v))}
        onInput={(v) => p.onSteps(Math.round(v))}
        testId="paths-steps"
      />
      <NumberField
        label={t('stepsExact')}
        value={p.steps}
        integer
        check={(v) => (v >= 0 && v <= MAX_STEPS ? null : t('stepsRange'))}
        onChange={p.onSteps}
        notANumber={t('stepsRange')}
        testId="paths-steps-field"
      />
    </fieldset>
  );
}
