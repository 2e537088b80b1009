/**
 * Panel 1, optimizer paths: pick a surface and any number of optimizers (each with its own options),
 * set the start by clicking the figure, and watch the paths, the loss and the distance to the minimum.
 * Everything is computed in the panel's worker by descent's own functions; the view lives in the URL.
 */
import { Button, Notice } from '../../components/controls';
import { useT } from '../../i18n/lang';
import { useUrlState } from '../../state/url_state';
import { useLabWorker } from '../../worker/use_lab_worker';
import { Figures } from './figures';
import { OptimizerCard } from './optimizer_card';
import './paths.css';
import { pathColor } from './draw';
import { Playback } from './playback';
import { Settings } from './settings';
import { cleanRuns, DEFAULTS, effectiveStart, roundCoordinate, validSteps } from './state';
import { fill, STRINGS } from './strings';
import type { Catalog, RunSpec } from './types';
import { useAnimation } from './use_animation';
import { useCatalog, usePaths } from './use_paths';

/** The settings the worker needs, from the URL state and the catalog (undefined until it is known). */
function inputsFor(state: typeof DEFAULTS, catalog: Catalog | undefined) {
  if (!catalog) return undefined;
  const fn = state.fn in catalog.surfaces ? state.fn : DEFAULTS.fn;
  const condition = fn === 'quadratic' ? { condition: state.condition } : {};
  const { runs, dropped } = cleanRuns(state.runs, Object.keys(catalog.optimizers));
  const start = effectiveStart(state.start, catalog.surfaces[fn]!.start);
  const steps = validSteps(state.steps) ? state.steps : DEFAULTS.steps;
  return { fn, condition, runs, dropped, start, steps, figure: { fn, ...condition } };
}

export function PathsPanel() {
  const t = useT(STRINGS);
  const [state, update, ignored] = useUrlState('paths', DEFAULTS);
  const worker = useLabWorker();
  const { catalog, error } = useCatalog(worker);
  const inputs = inputsFor(state, catalog);
  const runsInput = inputs && {
    ...inputs.figure,
    start: inputs.start,
    steps: state.steps,
    runs: inputs.runs,
  };
  const data = usePaths(worker, inputs?.figure, runsInput);
  const animation = useAnimation(inputs?.steps ?? state.steps);
  const setRuns = (runs: RunSpec[]) => update({ runs });
  const problems = [
    ...ignored.map((k) => fill(t('ignored'), { keys: k })),
    ...(inputs?.dropped.length ? [fill(t('ignored'), { keys: `runs[${inputs.dropped.join(', ')}]` })] : []),
    ...(inputs && inputs.fn !== state.fn ? [fill(t('ignored'), { keys: `fn=${state.fn}` })] : []),
    ...(inputs && inputs.steps !== state.steps ? [`${t('stepsRange')} (steps=${state.steps})`] : []),
  ];
  return (
    <div class="panel-grid paths" data-testid="paths-panel" data-fresh={String(data.fresh)}>
      <div class="controls">
        <p class="paths-intro">{t('intro')}</p>
        {problems.map((text) => (
          <Notice kind="warning" key={text} testId="paths-ignored">
            {text}
          </Notice>
        ))}
        {(error ?? data.error) && (
          <Notice kind="error" testId="paths-error">
            {error ?? data.error}
          </Notice>
        )}
        {catalog && inputs && (
          <>
            <Settings
              fn={inputs.fn}
              surfaces={Object.keys(catalog.surfaces)}
              condition={state.condition}
              start={inputs.start}
              steps={inputs.steps}
              onSurface={(fn) => update({ fn, start: [] })}
              onCondition={(condition) => update({ condition })}
              onStart={(start) => update({ start })}
              onSteps={(steps) => update({ steps })}
            />
            <Playback animation={animation} steps={inputs.steps} />
            <h3>{t('optimizers')}</h3>
            {inputs.runs.length === 0 && <Notice kind="info">{t('none')}</Notice>}
            {inputs.runs.map((run, i) => (
              <OptimizerCard
                key={i}
                index={i}
                run={run}
                color={pathColor(i)}
                names={Object.keys(catalog.optimizers)}
                defaults={catalog.optimizers[run.optimizer]!}
                outcome={data.runs?.outcomes[i]}
                onChange={(next) => setRuns(inputs.runs.map((r, j) => (j === i ? next : r)))}
                onRemove={() => setRuns(inputs.runs.filter((_, j) => j !== i))}
              />
            ))}
            <Button
              onClick={() => setRuns([...inputs.runs, { optimizer: 'adam', options: {} }])}
              testId="paths-add"
            >
              {t('add')}
            </Button>
          </>
        )}
      </div>
      {data.figure && inputs && (
        <Figures
          fn={inputs.fn}
          figure={data.figure}
          runs={inputs.runs}
          result={data.runs}
          start={inputs.start}
          frame={animation.frame}
          fresh={data.fresh}
          onStart={(x, y) => update({ start: [roundCoordinate(x), roundCoordinate(y)] })}
        />
      )}
    </div>
  );
}
