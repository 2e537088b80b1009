/**
 * `lr.find`: the learning-rate range test (the library's `lrFind`) on the panel's network, built as
 * `descent lr-find` builds it: the run configuration without a validation split, the model from that
 * configuration (seeded), a shuffling loader seeded with the seed, the configuration's optimizer (whose
 * rate the sweep sets at every step). The result is `descent lr-find --json`'s object.
 */
import { buildModel, buildOptimizer, DataLoader, lrFind, parseRunConfig, syntheticRunData } from 'descent';
import { networkCommand, networkConfig } from './network_config';

export interface RangeJobInput {
  optimizer: string;
  startLr: number;
  endLr: number;
  steps: number;
  seed: number;
}

/** Exactly the object `descent lr-find --json` prints. */
export interface LrFindRecord {
  suggestion: number;
  minLossLr: number;
  diverged: boolean;
  lrs: number[];
  losses: number[];
}

export interface RangeJobResult {
  record: LrFindRecord;
  suggestionRule: string;
  command: string;
}

export function rangeJob(input: RangeJobInput): RangeJobResult {
  const settings = { optimizer: input.optimizer, seed: input.seed };
  const config = parseRunConfig(
    { ...networkConfig(settings), validation: 0 },
    { source: 'the lab’s network' },
  );
  const data = syntheticRunData(config);
  const model = buildModel(config, data.train.sampleShape, data.train.numClasses);
  const loader = new DataLoader(data.train, {
    batchSize: config.batchSize,
    shuffle: true,
    seed: config.seed,
  });
  const r = lrFind(model, loader, {
    optimizer: buildOptimizer(config, model),
    loss: 'crossEntropy',
    startLr: input.startLr,
    endLr: input.endLr,
    steps: input.steps,
  });
  const sweep = `--start-lr ${input.startLr} --end-lr ${input.endLr} --steps ${input.steps}`;
  return {
    record: {
      suggestion: r.suggestion,
      minLossLr: r.minLossLr,
      diverged: r.diverged,
      lrs: r.lrs,
      losses: r.losses,
    },
    suggestionRule: r.suggestionRule,
    command: networkCommand('lr-find', settings, sweep),
  };
}
