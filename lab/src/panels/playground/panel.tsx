/**
 * Lab panel 4, the training playground: a `descent train` run, trained in the worker one epoch at a
 * time (play / pause / step / reset), with the decision boundary of 2-D data or the predictions on
 * test digits, live loss and accuracy curves, and a pinned run to compare with. Its settings are
 * RunConfig keys in the URL; "Export JSON" gives the `descent train --json` lines of the run.
 */
import type { EpochRecord, FinalRecord, RunConfig } from 'descent';
import { memo } from 'preact/compat';
import { useMemo, useState } from 'preact/hooks';
import { Button, Notice } from '../../components/controls';
import { ExportButtons } from '../../components/export_buttons';
import { COMMON } from '../../i18n/common';
import { useLang, useT } from '../../i18n/lang';
import { useUrlState } from '../../state/url_state';
import { useLabWorker } from '../../worker/use_lab_worker';
import { BoundaryCanvas } from './boundary_canvas';
import { classNamesOf } from './class_names';
import { CliLine } from './cli_line';
import { CompareTable } from './compare';
import { Curves } from './curves';
import { ConfusionMatrix, DigitGrid } from './digits_view';
import { NeuronThumbnails } from './neuron_thumbnails';
import { cliLine, configOf, dataOptionsOf, PLAYGROUND_DEFAULTS } from './settings';
import { SettingsForm } from './settings_form';
import { STRINGS } from './strings';
import { type TrainingControls, type TrainingRun, useTraining } from './use_training';
import './playground.css';

interface PinnedRun {
  config: Partial<RunConfig>;
  records: EpochRecord[];
  final: FinalRecord | null;
}

function StatusLine({ run, epochs }: { run: TrainingRun; epochs: number }) {
  const t = useT(STRINGS);
  const common = useT(COMMON);
  const word = {
    opening: common('working'),
    idle: t('idle'),
    running: t('running'),
    pausing: t('paused'),
    paused: t('paused'),
    finished: t('finished'),
    diverged: t('diverged'),
    error: t('badSettings'),
  }[run.status];
  const epoch = run.records.at(-1)?.epoch ?? 0;
  const test = run.final?.testAccuracy;
  return (
    <p class="pg-status" data-testid="pg-status" data-status={run.status} data-epoch={epoch}>
      {t('status')}: {word} · {t('epochOf')} {epoch}/{epochs}
      {run.batch && ` (${run.batch.batch}/${run.batch.batches})`}
      {test !== undefined && test !== null && ` · ${t('testResult')}: ${(100 * test).toFixed(1)}%`}
    </p>
  );
}

function Buttons({ c }: { c: TrainingControls }) {
  const common = useT(COMMON);
  const { status } = c.run;
  const busy = status === 'opening' || status === 'pausing' || status === 'error';
  const over = status === 'finished' || status === 'diverged';
  return (
    <div class="buttons">
      {status === 'running' ? (
        <Button primary testId="pg-pause" onClick={c.pause}>
          {common('pause')}
        </Button>
      ) : (
        <Button primary testId="pg-play" disabled={busy || over} onClick={c.play}>
          {common('play')}
        </Button>
      )}
      <Button testId="pg-step" disabled={busy || over || status === 'running'} onClick={c.step}>
        {common('step')}
      </Button>
      <Button testId="pg-reset" disabled={status === 'opening'} onClick={c.reset}>
        {common('reset')}
      </Button>
    </div>
  );
}

/** Re-drawn only when the samples or the model's view change (not on batch progress). */
const ModelFigure = memo(function ModelFigure({
  samples,
  view,
  data,
}: Pick<TrainingRun, 'samples' | 'view'> & { data: string }) {
  const t = useT(STRINGS);
  const classNames = classNamesOf(data, useLang());
  if (!samples) return null;
  if (samples.kind === 'plane') {
    return (
      <section class="figure">
        <h3>{t('boundary')}</h3>
        <div class="pg-plane">
          <BoundaryCanvas
            points={samples}
            view={view?.kind === 'plane' ? view : null}
            label={t('boundary')}
          />
          {view?.kind === 'plane' && view.neurons && (
            <NeuronThumbnails view={view.neurons} title={t('neurons')} />
          )}
        </div>
      </section>
    );
  }
  const digits = view?.kind === 'images' ? view : null;
  return (
    <section class="figure">
      <h3>{t('digits')}</h3>
      <DigitGrid samples={samples} view={digits} predictedLabel={t('predicted')} classNames={classNames} />
      {digits && (
        <>
          <h3>{t('confusion')}</h3>
          <ConfusionMatrix
            view={digits}
            trueLabel={t('trueClass')}
            predictedLabel={t('predicted')}
            classNames={classNames}
          />
        </>
      )}
    </section>
  );
});

export function PlaygroundPanel() {
  const t = useT(STRINGS);
  const common = useT(COMMON);
  const [settings, update, ignored] = useUrlState('playground', PLAYGROUND_DEFAULTS);
  const config = useMemo(() => configOf(settings), [JSON.stringify(settings)]);
  const dataOptions = useMemo(() => dataOptionsOf(settings), [JSON.stringify(settings)]);
  const worker = useLabWorker();
  const controls = useTraining(worker, { config, dataOptions });
  const { run } = controls;
  const [pinned, setPinned] = useState<PinnedRun | null>(null);
  const curveRuns = useMemo(
    () => [
      ...(pinned ? [{ records: pinned.records, pinned: true }] : []),
      { records: run.records, pinned: false },
    ],
    [pinned, run.records],
  );
  const lines = () => [...run.records, ...(run.final ? [run.final] : [])];
  return (
    <div class="panel-grid playground">
      <SettingsForm s={settings} update={update} />
      <div class="figures">
        <p>{t('intro')}</p>
        {ignored.length > 0 && <Notice kind="warning">{`${t('ignoredKeys')} ${ignored.join(', ')}`}</Notice>}
        <CliLine line={cliLine(config)} />
        {Object.keys(dataOptions).length > 0 && (
          <Notice kind="warning" testId="pg-lab-only">
            {t('labOnly')}
          </Notice>
        )}
        <Buttons c={controls} />
        <StatusLine run={run} epochs={settings.epochs} />
        {run.status === 'diverged' && (
          <Notice kind="error" testId="pg-diverged">{`${t('diverged')}: ${run.message}`}</Notice>
        )}
        {run.status === 'error' && (
          <Notice kind="error" testId="pg-error">{`${t('badSettings')}: ${run.message}`}</Notice>
        )}
        <ModelFigure samples={run.samples} view={run.view} data={settings.data} />
        <section class="figure">
          <Curves runs={curveRuns} />
          <ExportButtons spec={{ name: `descent-train-${settings.data}`, json: lines, jsonLines: true }} />
        </section>
        <section class="figure">
          <h3>{t('compare')}</h3>
          <p>{t('compareHelp')}</p>
          <div class="buttons">
            <Button
              testId="pg-pin"
              disabled={run.records.length === 0}
              onClick={() => setPinned({ config, records: run.records, final: run.final })}
            >
              {common('pin')}
            </Button>
            {pinned && (
              <Button testId="pg-unpin" onClick={() => setPinned(null)}>
                {common('unpin')}
              </Button>
            )}
          </div>
          {pinned && <CompareTable pinned={pinned.config} current={config} />}
        </section>
      </div>
    </div>
  );
}
