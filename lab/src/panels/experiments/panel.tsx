/**
 * Panel 5, the course's experiments: pick one, edit its options, run it in the worker (or open a
 * results.json the CLI wrote) and read the report's figures and findings in the page's language.
 */
import { experiments } from 'descent';
import { useMemo } from 'preact/hooks';
import { Button, Notice, Select } from '../../components/controls';
import { ExportButtons } from '../../components/export_buttons';
import { COMMON } from '../../i18n/common';
import { type Lang, useLang } from '../../i18n/lang';
import { useUrlState } from '../../state/url_state';
import { editableDefaults, type ParsedOptions, parseOptions } from './options_json';
import { PresentationView } from './presentation';
import { ResultsFileInput } from './results_file';
import { STRINGS } from './strings';
import { useExperimentRun } from './use_experiment_run';

const DEFAULTS = { name: 'optimizers-2d', options: '' };

/** `descent experiment <name> --seed S --json` where the options are only a seed (the CLI's flags). */
function cliLine(name: string, parsed: ParsedOptions): string {
  if (!parsed.ok) return '';
  const keys = Object.keys(parsed.options);
  const seed = keys.length === 1 && keys[0] === 'seed' ? ` --seed ${parsed.options.seed}` : '';
  return keys.length === 0 || seed ? `npx descent experiment ${name}${seed} --json` : '';
}

function OptionsEditor(p: {
  text: string;
  parsed: ParsedOptions;
  lang: Lang;
  onChange: (text: string) => void;
}) {
  const t = STRINGS[p.lang];
  return (
    <>
      <label class="control">
        {t.options}
        <textarea
          rows={8}
          spellcheck={false}
          value={p.text}
          data-testid="experiment-options"
          aria-invalid={!p.parsed.ok}
          onChange={(e) => p.onChange((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      {!p.parsed.ok && (
        <Notice kind="error" testId="options-error">
          {p.parsed.message}
        </Notice>
      )}
    </>
  );
}

function RunButtons(p: {
  run: ReturnType<typeof useExperimentRun>;
  onRun: () => void;
  disabled: boolean;
  lang: Lang;
}) {
  const { running, elapsed, cancel } = p.run;
  const t = STRINGS[p.lang];
  return (
    <>
      <div class="buttons">
        <Button primary onClick={p.onRun} disabled={p.disabled || running} testId="experiment-run">
          {COMMON[p.lang].run}
        </Button>
        {running && (
          <Button onClick={cancel} testId="experiment-cancel">
            {COMMON[p.lang].cancel}
          </Button>
        )}
      </div>
      {running && (
        <p role="status" data-testid="experiment-progress">
          <progress /> {t.running} {t.elapsed} {elapsed.toFixed(1)} s
        </p>
      )}
    </>
  );
}

export function ExperimentsPanel() {
  const lang = useLang();
  const t = STRINGS[lang];
  const [state, update] = useUrlState('experiments', DEFAULTS);
  const experiment =
    experiments.EXPERIMENTS.find((e) => e.name === state.name) ?? experiments.EXPERIMENTS[0]!;
  const text = state.options || editableDefaults(experiment.defaults);
  const parsed = parseOptions(text, experiment.defaults, lang);
  const run = useExperimentRun();
  const shown = run.result?.name === experiment.name ? run.result.data : null;
  const presentation = useMemo(() => {
    if (shown === null) return null;
    try {
      return experiment.present(shown, lang);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }, [shown, lang, experiment]);
  const cli = cliLine(experiment.name, parsed);

  return (
    <div class="panel-grid">
      <div class="controls">
        <h2>{t.heading}</h2>
        <p class="intro">{t.intro}</p>
        <Select
          label={t.choose}
          value={experiment.name}
          options={experiments.EXPERIMENTS.map((e) => ({
            value: e.name,
            label: `${e.title[lang]} (${e.name})`,
          }))}
          onChange={(name) => update({ name, options: '' })}
          testId="experiment-select"
        />
        {experiments.NEEDS_MNIST.has(experiment.name) && <p class="hint">{t.needsMnist}</p>}
        <OptionsEditor text={text} parsed={parsed} lang={lang} onChange={(options) => update({ options })} />
        <RunButtons
          run={run}
          lang={lang}
          disabled={!run.ready || !parsed.ok}
          onRun={() => parsed.ok && run.run(experiment.name, parsed.options)}
        />
        <ResultsFileInput
          name={experiment.name}
          onLoad={(data) => run.setResult({ name: experiment.name, data })}
          onError={run.setError}
        />
        {cli && (
          <p>
            {t.cli}: <code data-testid="experiment-cli">{cli}</code>
          </p>
        )}
        <ExportButtons
          spec={{ name: `descent-experiment-${experiment.name}`, json: () => shown ?? undefined }}
        />
      </div>
      <div class="figures">
        {run.error && (
          <Notice kind="error" testId="experiment-error">
            {run.error}
          </Notice>
        )}
        {typeof presentation === 'string' && <Notice kind="error">{t.badResults + presentation}</Notice>}
        {presentation && typeof presentation !== 'string' ? (
          <PresentationView p={presentation} name={experiment.name} lang={lang} />
        ) : (
          !run.error && <p>{t.noResult}</p>
        )}
      </div>
    </div>
  );
}
