/**
 * A training run built from a run configuration and trained one epoch at a time: what `descent train`
 * runs, and what the lab's training playground runs in a Web Worker (play, pause, step, reset), so that
 * the same configuration, data and seed give bit-identical weights and the same records in both.
 *
 * Built in the CLI's order: the configuration checked (`parseRunConfig`), batch normalization's batch
 * sizes checked, the model (seeded with `seed`), a shuffling `DataLoader` seeded with `seed`, the
 * optimizer, the schedule (`buildSchedule`), and early stopping when `earlyStopping > 0`. Training is a
 * `FitLoop`: `runEpoch()` is one epoch of `fit`, so N epochs here equal `fit` (and `descent train
 * --epochs N`) to the last bit, also when paused between epochs for as long as one likes.
 *
 * Randomness: dropout draws from the default generator. The session keeps its own place in that stream
 * (saved after each epoch, put back before the next), so other work between epochs — another panel
 * drawing random numbers — does not change its masks.
 *
 * @example
 * const config = parseRunConfig({ data: 'spirals', hidden: [16, 16], activation: 'relu', epochs: 20 });
 * const session = new TrainingSession({ config, data: syntheticRunData(config) });
 * const controller = new AbortController();            // controller.abort() pauses
 * await session.play({ signal: controller.signal, onEpoch: (logs) => post(epochRecord(logs)) });
 * if (session.done) post(finalRecord(session.summary()));
 */

import type { TensorDataset } from '../data/dataset.js';
import { DataLoader } from '../data/loader.js';
import type { Module } from '../nn/module.js';
import type { OptimizerLike } from '../optim/optimizer.js';
import { getDefaultGenerator } from '../tensor/random.js';
import type { Callback } from '../train/callbacks/callback.js';
import { EarlyStopping } from '../train/callbacks/early_stopping.js';
import { FitLoop } from '../train/fit_loop.js';
import { History } from '../train/history.js';
import { type EvaluateResult, evaluate, evaluateAsync } from '../train/trainer.js';
import type { TrainingState } from '../train/training_state.js';
import type { EpochLogs, ProgressEvent, TrainingWarning } from '../train/types.js';
import { checkOptions } from '../util/options.js';
import { buildModel, buildOptimizer } from './build_model.js';
import { buildSchedule, type RunSchedule } from './build_schedule.js';
import type { RunConfig } from './config_schema.js';
import type { FinalSummary } from './records.js';
import { checkBatchNormBatches, parseRunConfig } from './run_config.js';
import { type Throughput, throughput } from './throughput.js';

/** The splits a session trains, validates and tests on (a `RunData` fits). */
export interface SessionData {
  train: TensorDataset;
  /** Evaluated after every epoch (`valLoss`, `valAccuracy`); the configuration's early stopping and plateau schedule need it. */
  validation?: TensorDataset | null;
  /** Evaluated by `summary()`. */
  test: TensorDataset;
  /** What the data are called (a `RunData`'s `name`); not used. */
  name?: string;
}

export interface TrainingSessionOptions {
  /** A run configuration, whole or partial (the defaults fill the rest), checked by `parseRunConfig`. */
  config: unknown;
  data: SessionData;
  /** More callbacks, after the configuration's own (early stopping). */
  callbacks?: readonly Callback[];
  /** Called after each batch, each epoch and each warning. */
  onProgress?: (event: ProgressEvent) => void;
  /** Continue a run from this state (the CLI's `--resume`); the configuration must be the run's. */
  resume?: TrainingState;
}

/** `play`'s options. */
export interface PlayOptions {
  /** Run at most this many epochs (default: to the end). */
  epochs?: number;
  /** Pause: once aborted, `play` returns before the next epoch. */
  signal?: AbortSignal;
  /** Called with each epoch's logs as soon as the epoch ends. */
  onEpoch?: (logs: EpochLogs) => void;
}

/** How `summary` evaluates the test split. */
const TEST_EVALUATION = { loss: 'crossEntropy', batchSize: 256 } as const;

/** Lets the event loop run (a worker receives its messages) between two epochs. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class TrainingSession {
  readonly config: RunConfig;
  readonly data: SessionData;
  readonly model: Module;
  /** An `Optimizer`, or an `AdamToSGD` for the optimizer `adam-to-sgd`. */
  readonly optimizer: OptimizerLike;
  readonly loader: DataLoader;
  readonly schedule: RunSchedule | null;
  private readonly callbacks: Callback[];
  private readonly options: TrainingSessionOptions;
  private loop: FitLoop | null = null;
  /** The session's place in the default generator's stream (see the module comment). */
  private random: number[];
  private readonly created = performance.now();

  constructor(options: TrainingSessionOptions) {
    checkOptions('TrainingSession', options, {
      config: true,
      data: true,
      callbacks: true,
      onProgress: true,
      resume: true,
    });
    this.options = options;
    const config = parseRunConfig(options.config);
    const data = checkData(options.data, config);
    this.config = config;
    this.data = data;
    checkBatchNormBatches(config, data.train.length);
    this.model = buildModel(config, data.train.sampleShape, data.train.numClasses);
    this.random = getDefaultGenerator().getState();
    this.loader = new DataLoader(data.train, {
      batchSize: config.batchSize,
      shuffle: true,
      seed: config.seed,
    });
    // After the loader: adam-to-sgd's switchEpoch counts its batches.
    this.optimizer = buildOptimizer(config, this.model, this.loader.length);
    this.schedule = buildSchedule(config, this.optimizer, this.loader.length);
    this.callbacks = [];
    if (config.earlyStopping > 0) {
      this.callbacks.push(
        new EarlyStopping({ monitor: 'valLoss', patience: config.earlyStopping, restoreBestWeights: true }),
      );
    }
    this.callbacks.push(...(options.callbacks ?? []));
  }

  /** Epochs completed (a resumed session counts those before the resume). */
  get epoch(): number {
    return this.loop?.completedEpochs ?? this.options.resume?.epoch ?? 0;
  }

  /** Whether no epoch is left: all `config.epochs` ran, a callback stopped training, or an epoch threw. */
  get done(): boolean {
    return this.loop?.done ?? this.epoch >= this.config.epochs;
  }

  /** Per-epoch logs, step losses, warnings so far (empty until the run begins). */
  get history(): History {
    return this.loop?.history ?? new History();
  }

  /** The divergence that stopped this run (after a resume: a new one), or undefined. */
  get divergence(): TrainingWarning | undefined {
    const resumedFrom = this.options.resume?.epoch ?? 0;
    return this.loop?.history.warnings.find((w) => w.kind === 'divergence' && w.epoch > resumedFrom);
  }

  /**
   * Starts training: restores a resumed state and calls the callbacks' `onTrainBegin`, with `callbacks`
   * added after the others (a checkpoint writer that exists only once the configuration is known to be
   * good). `runEpoch` begins by itself; calling `begin` again does nothing.
   */
  begin(options: { callbacks?: readonly Callback[] } = {}): FitLoop {
    if (this.loop !== null) return this.loop;
    checkOptions('TrainingSession.begin', options, { callbacks: true });
    return this.ownRandom(() => {
      const loop = new FitLoop(this.model, this.loader, this.fitOptions(options.callbacks ?? []));
      this.loop = loop;
      loop.begin();
      return loop;
    });
  }

  /** Trains the next epoch and returns its logs; needs a backend that reads synchronously (reference, wasm). */
  runEpoch(): EpochLogs {
    const loop = this.begin();
    return this.ownRandom(() => loop.runEpoch());
  }

  /**
   * `runEpoch()` through the trainer's async reads (`FitLoop.runEpochAsync`): on every backend (a GPU
   * reads only asynchronously), letting the event loop run during the epoch, with the same logs and
   * weights bit for bit. The session's place in the random stream is put back when the epoch starts and
   * kept when it ends, so code that draws from the default generator while the epoch runs (in its
   * turns of the event loop) changes this epoch's dropout masks: draw from a `Generator` of your own.
   */
  async runEpochAsync(): Promise<EpochLogs> {
    const loop = this.begin();
    getDefaultGenerator().setState(this.random);
    try {
      return await loop.runEpochAsync();
    } finally {
      this.random = getDefaultGenerator().getState();
    }
  }

  /**
   * Trains epoch after epoch (`runEpochAsync`: every backend, the event loop runs during an epoch too)
   * until the run is done, `epochs` epochs ran or `signal` is aborted (a pause: `play` again continues;
   * an epoch that began runs to its end). Returns the epochs' logs.
   */
  async play(options: PlayOptions = {}): Promise<EpochLogs[]> {
    checkOptions('TrainingSession.play', options, { epochs: true, signal: true, onEpoch: true });
    const most = options.epochs ?? Number.POSITIVE_INFINITY;
    if (!(most >= 0)) throw new RangeError(`TrainingSession.play: epochs must be non-negative, got ${most}`);
    const ran: EpochLogs[] = [];
    while (!this.done && ran.length < most) {
      await yieldToEventLoop();
      if (options.signal?.aborted || this.done) break;
      const logs = await this.runEpochAsync();
      ran.push(logs);
      options.onEpoch?.(logs);
    }
    return ran;
  }

  /** Calls the callbacks' `onTrainEnd` and puts the model's modes back; the history. */
  end(): History {
    return this.begin().end();
  }

  /** The state to resume from after the epochs run so far. */
  trainingState(): TrainingState {
    return this.begin().trainingState();
  }

  /**
   * The run's final summary (`finalRecord` prints it as `descent train --json` does): the test loss and
   * accuracy on `data.test` (none for a diverged run), the best validation epoch, the epochs, the wall
   * time (default: since the session was made) and the training throughput (`throughput()`). The run
   * must be done. Needs a backend that reads synchronously; `summaryAsync` reads on every backend.
   */
  summary(options: { wallSeconds?: number } = {}): FinalSummary {
    this.checkSummary('TrainingSession.summary', options);
    const test = this.divergence === undefined ? evaluate(this.model, this.data.test, TEST_EVALUATION) : null;
    return this.finalSummary(options, test);
  }

  /** `summary()` through async reads (`evaluateAsync`): every backend, the same numbers. */
  async summaryAsync(options: { wallSeconds?: number } = {}): Promise<FinalSummary> {
    this.checkSummary('TrainingSession.summaryAsync', options);
    const diverged = this.divergence !== undefined;
    const test = diverged ? null : await evaluateAsync(this.model, this.data.test, TEST_EVALUATION);
    return this.finalSummary(options, test);
  }

  private checkSummary(who: string, options: { wallSeconds?: number }): void {
    checkOptions(who, options, { wallSeconds: true });
    if (!this.done) {
      throw new RangeError(
        `${who}: the run is not done (${this.epoch} of ${this.config.epochs} epochs); train to the end first`,
      );
    }
  }

  /** The summary from the test evaluation (null: a diverged run, not evaluated). */
  private finalSummary(options: { wallSeconds?: number }, test: EvaluateResult | null): FinalSummary {
    const history = this.begin().history;
    const common = {
      epochs: history.last?.epoch ?? 0,
      wallSeconds: options.wallSeconds ?? (performance.now() - this.created) / 1000,
      ...this.throughput(),
    };
    if (test === null) {
      return {
        status: 'diverged',
        testLoss: Number.NaN,
        testAccuracy: undefined,
        bestEpoch: null,
        ...common,
      };
    }
    return {
      status: history.stopped ? 'stopped' : 'completed',
      testLoss: test.loss,
      testAccuracy: test.accuracy,
      bestEpoch: this.data.validation ? (history.bestEpoch('valLoss') ?? null) : null,
      ...common,
    };
  }

  /**
   * How fast the run trained: overall, in steady state (the epochs after the first this session ran) and
   * the first epoch's warm-up cost (`throughput.ts`).
   */
  throughput(): Throughput {
    return throughput(this.history.epochs, {
      samples: this.data.train.length,
      batchSize: this.config.batchSize,
      resumedFrom: this.options.resume?.epoch ?? 0,
    });
  }

  /** `fit`'s options for this configuration, as `descent train` has always trained. */
  private fitOptions(extra: readonly Callback[]) {
    const { config, data, schedule } = this;
    const { onProgress, resume } = this.options;
    return {
      optimizer: this.optimizer,
      loss: 'crossEntropy' as const,
      epochs: config.epochs,
      ...(schedule ? { schedule: schedule.schedule, scheduleInterval: schedule.interval } : {}),
      regularization: {
        l1: config.l1,
        l2: config.l2,
        ...(config.clipNorm ? { clipNorm: config.clipNorm } : {}),
      },
      callbacks: [...this.callbacks, ...extra],
      ...(data.validation ? { validation: data.validation } : {}),
      ...(onProgress ? { onProgress } : {}),
      ...(resume ? { resume } : {}),
    };
  }

  /** Runs `f` at the session's place in the default generator's stream, and keeps the place it ends at. */
  private ownRandom<T>(f: () => T): T {
    getDefaultGenerator().setState(this.random);
    try {
      return f();
    } finally {
      this.random = getDefaultGenerator().getState();
    }
  }
}

/** The data option: a train and a test dataset (and an optional validation one) the configuration needs. */
function checkData(data: SessionData, c: RunConfig): SessionData {
  const who = 'TrainingSession';
  if (data === null || typeof data !== 'object') {
    throw new TypeError(`${who}: data must be { train, validation?, test } datasets, got ${String(data)}`);
  }
  checkOptions(`${who}: data`, data, { train: true, validation: true, test: true, name: true });
  for (const key of ['train', 'test'] as const) {
    const part = data[key] as unknown;
    if (part === null || typeof part !== 'object' || !('sampleShape' in part)) {
      throw new TypeError(`${who}: data.${key} must be a TensorDataset, got ${String(part)}`);
    }
  }
  if (!data.validation && (c.earlyStopping > 0 || c.schedule.split(':')[0] === 'plateau')) {
    throw new RangeError(
      `${who}: the configuration's ${c.earlyStopping > 0 ? 'earlyStopping' : "schedule 'plateau'"} needs data.validation`,
    );
  }
  return data;
}
