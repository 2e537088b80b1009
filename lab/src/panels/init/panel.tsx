/**
 * Panel 3, "Initialization" (参数初始化): the course's deep network on N(0, 1) inputs, activation ×
 * initialization × batch norm, each layer's activation (and gradient) distribution redrawn as the knobs
 * move, and the saturated / dead fractions. All numbers are the library's `init` experiment's; the
 * export is its result, which `descent experiment init … --json` prints for the same configuration.
 */
import { Checkbox, Notice, NumberField, Select, Slider } from '../../components/controls';
import { ExportButtons } from '../../components/export_buttons';
import { useT } from '../../i18n/lang';
import { useUrlState } from '../../state/url_state';
import { useJob } from '../../worker/use_job';
import { useLabWorker } from '../../worker/use_lab_worker';
import type { InitChoices, InitJobInput, InitJobResult } from './jobs';
import { FractionsTable, GradStdChart, HistogramGrid, hasGradHistograms } from './layer_figures';
import { INIT_LABELS, INIT_STRINGS } from './strings';
import './init.css';

/** The experiment's defaults (the lecture's 10 layers of 100 units, a batch of 1,000). */
export const INIT_DEFAULTS = {
  activation: 'tanh',
  init: 'xavier',
  batchNorm: false,
  layers: 10,
  width: 100,
  batch: 1000,
  seed: 0,
};

type InitState = typeof INIT_DEFAULTS;

/** Names in the URL that the library does not offer fall back to the defaults (and are named in a notice). */
function offered(s: InitState, choices: InitChoices | undefined): { input: InitJobInput; refused: string[] } {
  if (!choices) return { input: s, refused: [] };
  const refused: string[] = [];
  const pick = (key: 'activation' | 'init', list: string[]) => {
    if (list.includes(s[key])) return s[key];
    refused.push(`${key} = ${s[key]}`);
    return INIT_DEFAULTS[key];
  };
  return {
    input: { ...s, activation: pick('activation', choices.activations), init: pick('init', choices.inits) },
    refused,
  };
}

function InitControls({
  s,
  update,
  choices,
}: {
  s: InitState;
  update: (p: Partial<InitState>) => void;
  choices?: InitChoices;
}) {
  const t = useT(INIT_STRINGS);
  return (
    <div class="controls">
      <Select
        label={t('activation')}
        value={s.activation}
        options={(choices?.activations ?? [s.activation]).map((a) => ({ value: a, label: a }))}
        onChange={(activation) => update({ activation })}
        testId="init-activation"
      />
      <Select
        label={t('init')}
        value={s.init}
        options={(choices?.inits ?? [s.init]).map((i) => ({ value: i, label: INIT_LABELS[i] ?? i }))}
        onChange={(init) => update({ init })}
        testId="init-scheme"
      />
      <Checkbox
        label={t('batchNorm')}
        checked={s.batchNorm}
        onChange={(batchNorm) => update({ batchNorm })}
        testId="init-batch-norm"
      />
      <Slider
        label={t('layers')}
        value={s.layers}
        min={1}
        max={20}
        step={1}
        onInput={(layers) => update({ layers })}
        testId="init-layers"
      />
      <Slider
        label={t('width')}
        value={s.width}
        min={10}
        max={300}
        step={10}
        onInput={(width) => update({ width })}
        testId="init-width"
      />
      <Slider
        label={t('batch')}
        value={s.batch}
        min={100}
        max={2000}
        step={100}
        onInput={(batch) => update({ batch })}
        testId="init-batch"
      />
      <NumberField
        label={t('seed')}
        value={s.seed}
        integer
        onChange={(seed) => update({ seed })}
        notANumber={t('notANumber')}
        testId="init-seed"
      />
    </div>
  );
}

export function InitPanel() {
  const t = useT(INIT_STRINGS);
  const [s, update, ignored] = useUrlState('init', INIT_DEFAULTS);
  const worker = useLabWorker();
  const choices = useJob<InitChoices>(worker, 'init.choices', null).result;
  const { input, refused } = offered(s, choices);
  const job = useJob<InitJobResult>(worker, 'init.run', input, { enabled: choices !== undefined });
  const layers = job.result?.layers ?? [];
  return (
    <div class="panel-grid init-panel">
      <InitControls s={s} update={update} choices={choices} />
      <div class="figures">
        <p class="init-intro">{t('intro')}</p>
        {ignored.length > 0 && (
          <Notice kind="warning" testId="init-ignored">
            {t('ignoredKeys')} {ignored.join(', ')}
          </Notice>
        )}
        {refused.length > 0 && (
          <Notice kind="warning" testId="init-unavailable">
            {t('unavailable')} {refused.join(', ')}
          </Notice>
        )}
        {job.error && <Notice kind="error" testId="init-error">{`${t('failed')} ${job.error}`}</Notice>}
        <section class="figure" data-testid="init-activations" data-fresh={job.fresh}>
          <h3>{t('activations')}</h3>
          <HistogramGrid layers={layers} kind="activation" />
        </section>
        <section class="figure" data-testid="init-gradients">
          <h3>{t('gradients')}</h3>
          {hasGradHistograms(layers) ? (
            <HistogramGrid layers={layers} kind="gradient" />
          ) : (
            <GradStdChart layers={layers} />
          )}
        </section>
        <section class="figure">
          <h3>{t('fractions')}</h3>
          <FractionsTable layers={layers} />
          <ExportButtons
            spec={{
              name: `descent-experiment-init-${input.activation}-${input.init}${input.batchNorm ? '-bn' : ''}`,
              json: () => job.result,
            }}
          />
        </section>
      </div>
    </div>
  );
}
