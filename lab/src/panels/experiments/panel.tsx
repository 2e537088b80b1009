/**
 * Panel 5, the course's experiments: pick one, edit its options, run it in the worker (or open a
 * results.json the CLI wrote) and read the report's figures and findings in the page's language.
 */
import { experiments } from 'descent';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Button, Notice, Select } from '../../components/controls';
import { ExportButtons } from '../../components/export_buttons';
import { COMMON } from '../../i18n/common';
import { useLang } from '../../i18n/lang';
import { useUrlState } from '../../state/url_state';
import type { RunningJob } from '../../worker/client';
import { useLabWorker } from '../../worker/use_lab_worker';
import { editableDefaults, parseOptions } from './options_json';
import { PresentationView } from './presentation';
import { ResultsFileInput } from './results_file';
import { STRINGS } from './strings';

const DEFAULTS = { name: 'optimizers-2d', options: '' };

function useElapsed(running: boolean): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!running) return;
    const start = performance.now();
    setSeconds(0);
    const timer = setInterval(() => setSeconds((performance.now() - start) / 1000), 250);
    return () => clearInterval(timer);
  }, [running]);
  return seconds;
}

/** `descent experiment <name> --seed S --json` where the options are only a seed (the CLI's flags). */
function cliLine(name: string, options: Record<string, unknown>): string {
  const keys = Object.keys(options);
  const seed = keys.length === 1 && keys[0] === 'seed' ? ` --seed ${options.seed}` : '';
  return keys.length === 0 || seed ? `npx descent experiment ${name}${seed} --json` : '';
}

export function ExperimentsPanel() {
  const lang = useLang();
  const t = STRINGS[lang];
  const worker = useLabWorker();
  const [state, update] = useUrlState('experiments', DEFAULTS);
  const experiment =
    experiments.EXPERIMENTS.find((e) => e.name === state.name) ?? experiments.EXPERIMENTS[0]!;
  const text = state.options || editableDefaults(experiment.defaults);
  const parsed = parseOptions(text, experiment.defaults, lang);
  const [result, setResult] = useState<{ name: string; data: unknown } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = useRef<RunningJob<unknown> | null>(null);
  const [running, setRunning] = useState(false);
  const elapsed = useElapsed(running);
  const shown = result?.name === experiment.name ? result.data : null;
  const presentation = useMemo(() => {
    if (shown === null) return null;
    try {
      return experiment.present(shown, lang);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }, [shown, lang, experiment]);

  const run = () => {
    if (!worker || !parsed.ok) return;
    job.current?.cancel();
    setError(null);
    setRunning(true);
    const started = worker.run<unknown>('experiments.run', {
      name: experiment.name,
      options: parsed.options,
    });
    job.current = started;
    started.result
      .then(
        (data) => setResult({ name: experiment.name, data }),
        (e: Error) => setError(e.message),
      )
      .finally(() => job.current === started && setRunning(false));
  };
  const cancel = () => {
    job.current?.cancel();
    job.current = null;
    setRunning(false);
  };

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
        <label class="control">
          {t.options}
          <textarea
            rows={8}
            spellcheck={false}
            value={text}
            data-testid="experiment-options"
            aria-invalid={!parsed.ok}
            onChange={(e) => update({ options: (e.target as HTMLTextAreaElement).value })}
          />
        </label>
        {!parsed.ok && (
          <Notice kind="error" testId="options-error">
            {parsed.message}
          </Notice>
        )}
        <div class="buttons">
          <Button primary onClick={run} disabled={!worker || !parsed.ok || running} testId="experiment-run">
            {COMMON[lang].run}
          </Button>
          {running && (
            <Button onClick={cancel} testId="experiment-cancel">
              {COMMON[lang].cancel}
            </Button>
          )}
        </div>
        {running && (
          <p role="status" data-testid="experiment-progress">
            <progress /> {t.running} {t.elapsed} {elapsed.toFixed(1)} s
          </p>
        )}
        <ResultsFileInput
          name={experiment.name}
          onLoad={(data) => setResult({ name: experiment.name, data })}
          onError={setError}
        />
        {parsed.ok && cliLine(experiment.name, parsed.options) && (
          <p>
            {t.cli}: <code data-testid="experiment-cli">{cliLine(experiment.name, parsed.options)}</code>
          </p>
        )}
        <ExportButtons
          spec={{ name: `descent-experiment-${experiment.name}`, json: () => shown ?? undefined }}
        />
      </div>
      <div class="figures">
        {error && (
          <Notice kind="error" testId="experiment-error">
            {error}
          </Notice>
        )}
        {typeof presentation === 'string' && <Notice kind="error">{t.badResults + presentation}</Notice>}
        {presentation && typeof presentation !== 'string' ? (
          <PresentationView p={presentation} name={experiment.name} lang={lang} />
        ) : (
          !error && <p>{t.noResult}</p>
        )}
      </div>
    </div>
  );
}
