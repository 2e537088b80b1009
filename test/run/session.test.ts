/**
 * TrainingSession: epochs through the session are `fit`'s and `descent train`'s to the last bit (weights,
 * history, the --json records), a paused run ends where an uninterrupted one does, and a bad
 * configuration is refused naming the key.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataLoader } from '../../src/data/loader.js';
import { FormatError } from '../../src/io/format_error.js';
import { parseSafetensors } from '../../src/io/safetensors.js';
import type { Module } from '../../src/nn/module.js';
import { buildModel, buildOptimizer } from '../../src/run/build_model.js';
import { buildSchedule } from '../../src/run/build_schedule.js';
import type { RunConfig } from '../../src/run/config_schema.js';
import { epochRecord, finalRecord } from '../../src/run/records.js';
import { parseRunConfig } from '../../src/run/run_config.js';
import { syntheticRunData } from '../../src/run/run_data.js';
import { TrainingSession } from '../../src/run/session.js';
import { randn } from '../../src/tensor/creation.js';
import type { History } from '../../src/train/history.js';
import { fit } from '../../src/train/trainer.js';
import type { EpochLogs } from '../../src/train/types.js';
import { runCli } from '../cli/run_cli.js';
import { messageOf } from '../helpers/thrown.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-session-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A small spirals run with dropout (so the random stream matters) and a per-step schedule. */
const SETTINGS = {
  data: 'spirals',
  hidden: [16, 16],
  activation: 'relu',
  dropout: 0.1,
  batchSize: 32,
  lr: 0.01,
  schedule: 'cosine',
  epochs: 3,
} as const;

function session(settings: Record<string, unknown> = SETTINGS): TrainingSession {
  const config = parseRunConfig(settings);
  return new TrainingSession({ config, data: syntheticRunData(config) });
}

/** Every parameter and buffer as plain numbers, by state-dict name. */
function weights(model: Module): Record<string, number[]> {
  return Object.fromEntries([...model.stateDict()].map(([name, t]) => [name, Array.from(t.data())]));
}

/** The logs without the wall-clock fields, which no two runs share. */
function timeless(logs: readonly EpochLogs[]): Record<string, unknown>[] {
  return logs.map(({ samplesPerSec: _s, seconds: _t, ...rest }) => rest);
}

/** What `descent train` used to build inline before the session existed: fit on the same parts. */
function fitDirectly(c: RunConfig): { model: Module; history: History } {
  const data = syntheticRunData(c);
  const model = buildModel(c, data.train.sampleShape, data.train.numClasses);
  const optimizer = buildOptimizer(c, model);
  const loader = new DataLoader(data.train, { batchSize: c.batchSize, shuffle: true, seed: c.seed });
  const schedule = buildSchedule(c, optimizer, loader.length);
  const history = fit(model, loader, {
    optimizer,
    loss: 'crossEntropy',
    epochs: c.epochs,
    ...(schedule ? { schedule: schedule.schedule, scheduleInterval: schedule.interval } : {}),
    regularization: { l1: c.l1, l2: c.l2 },
    ...(data.validation ? { validation: data.validation } : {}),
  });
  return { model, history };
}

describe('TrainingSession', () => {
  it('N epochs one at a time give fit’s weights and history bit for bit (spirals, dropout, cosine)', () => {
    const s = session();
    const logs = [s.runEpoch(), s.runEpoch(), s.runEpoch()];
    expect(s.done).toBe(true);
    const direct = fitDirectly(s.config);
    expect(weights(s.model)).toEqual(weights(direct.model));
    expect(timeless(logs)).toEqual(timeless(direct.history.epochs));
    expect(s.history.stepLosses).toEqual(direct.history.stepLosses);
    expect(s.history.stepLrs).toEqual(direct.history.stepLrs);
    expect(logs[2]!.trainLoss).toBeLessThan(logs[0]!.trainLoss);
  });

  it('2 epochs, a pause in which other code draws random numbers, then 1 more equal 3 epochs at once', async () => {
    const straight = session();
    await straight.play();
    const paused = session();
    expect(await paused.play({ epochs: 2 })).toHaveLength(2);
    expect(paused.done).toBe(false);
    randn([1000]); // another panel using the default generator between epochs
    const controller = new AbortController();
    const rest = await paused.play({ signal: controller.signal, onEpoch: () => controller.abort() });
    expect(rest.map((l) => l.epoch)).toEqual([3]);
    expect(paused.done).toBe(true);
    expect(weights(paused.model)).toEqual(weights(straight.model));
    expect(timeless(paused.history.epochs)).toEqual(timeless(straight.history.epochs));
  });

  it('play returns at once when paused (signal aborted) and continues from there when played again', async () => {
    const s = session();
    const controller = new AbortController();
    controller.abort();
    expect(await s.play({ signal: controller.signal })).toEqual([]);
    expect(s.epoch).toBe(0);
    expect((await s.play({ epochs: 1 })).map((l) => l.epoch)).toEqual([1]);
    expect(s.epoch).toBe(1);
  });

  it('records are the lines of descent train --json for the same settings, weights the run directory’s', async () => {
    const out = path.join(tmp, 'cli');
    const flags = ['--data', 'spirals', '--hidden', '16,16', '--activation', 'relu', '--dropout', '0.1'];
    const more = ['--batch-size', '32', '--lr', '0.01', '--schedule', 'cosine', '--epochs', '3'];
    const r = await runCli(['train', ...flags, ...more, '--threads', '1', '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const printed = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

    const s = session();
    while (!s.done) s.runEpoch();
    s.end();
    const mine = [...s.history.epochs.map(epochRecord), finalRecord(s.summary())];
    // Key order included: the records are what JSON.stringify prints.
    const clock = { wallSeconds: 0, steadySamplesPerSec: 0, warmupSeconds: 0 };
    const clockless = (rec: Record<string, unknown>) =>
      JSON.stringify({ ...rec, samplesPerSec: 0, ...('wallSeconds' in rec ? clock : {}) });
    expect(mine.map((x) => clockless({ ...x }))).toEqual(printed.map(clockless));
    expect(printed.at(-1)!.status).toBe('completed');

    const saved = parseSafetensors(new Uint8Array(fs.readFileSync(path.join(out, 'model.safetensors'))));
    const theirs = Object.fromEntries([...saved.tensors].map(([name, t]) => [name, Array.from(t.data())]));
    expect(theirs).toEqual(weights(s.model));
  });

  it('refuses a bad configuration with a FormatError naming each bad key and what it accepts', () => {
    const data = syntheticRunData(parseRunConfig({ data: 'spirals' }));
    const message = messageOf(
      () => new TrainingSession({ config: { data: 'spirals', epochs: 0, epoch: 3 }, data }),
      FormatError,
    );
    expect(message).toContain('run config: epochs must be an integer from 1 to 100,000, got 0');
    expect(message).toContain("unknown key 'epoch'; accepted: data,");
    expect(messageOf(() => parseRunConfig([1]), FormatError)).toBe(
      'run config: expected an object of settings such as {"epochs": 5, "optimizer": "sgd"}',
    );
    expect(messageOf(() => parseRunConfig({ earlyStopping: 2, validation: 0 }), FormatError)).toBe(
      'run config: earlyStopping needs a validation split (validation > 0) to monitor',
    );
  });

  it('refuses a schedule, optimizer option or batch size the configuration cannot train with', () => {
    const data = syntheticRunData(parseRunConfig({ data: 'spirals' }));
    const make = (config: Record<string, unknown>) => () =>
      new TrainingSession({ config: { data: 'spirals', ...config }, data });
    expect(messageOf(make({ schedule: 'step:gamma' }), FormatError)).toBe(
      "--schedule step:gamma: 'gamma' is not key=number (e.g. step:stepSize=2,gamma=0.5)",
    );
    expect(messageOf(make({ optimizer: 'adam', momentum: 0.9 }), TypeError)).toMatch(
      /unknown option 'momentum'; accepted: .*betas/,
    );
    // spirals: 800 training samples, 720 after the validation split; 719 leaves a last batch of 1.
    expect(messageOf(make({ batchSize: 719 }), FormatError)).toContain(
      'the 720 training samples leave a last batch of 1 sample, which batch normalization cannot train on',
    );
  });

  it('refuses data that lack what the configuration needs, and options it does not know', () => {
    const config = parseRunConfig({ data: 'spirals', earlyStopping: 2 });
    const { train, test } = syntheticRunData(config);
    expect(messageOf(() => new TrainingSession({ config, data: { train, test } }), RangeError)).toBe(
      "TrainingSession: the configuration's earlyStopping needs data.validation",
    );
    expect(
      messageOf(() => new TrainingSession({ config, data: { train, test }, seed: 1 } as never), TypeError),
    ).toBe("TrainingSession: unknown option 'seed'; accepted: config, data, callbacks, onProgress, resume");
  });

  it('refuses a summary before the run is done, and an epoch after it', () => {
    const s = session({ ...SETTINGS, epochs: 1 });
    expect(messageOf(() => s.summary(), RangeError)).toBe(
      'TrainingSession.summary: the run is not done (0 of 1 epochs); train to the end first',
    );
    s.runEpoch();
    expect(s.summary().status).toBe('completed');
    expect(messageOf(() => s.runEpoch(), RangeError)).toBe('fit: no epoch left to run (1 of 1 done)');
  });
});

describe('records', () => {
  it('an epoch without validation has null validation metrics; a diverged final record names its checkpoint', () => {
    const logs: EpochLogs = { epoch: 1, trainLoss: 0.5, lr: 0.1, samplesPerSec: 10, seconds: 1, steps: 3 };
    expect(JSON.stringify(epochRecord(logs))).toBe(
      '{"epoch":1,"trainLoss":0.5,"trainAccuracy":null,"valLoss":null,"valAccuracy":null,"lr":0.1,"samplesPerSec":10}',
    );
    const final = finalRecord({
      status: 'diverged',
      checkpointEpoch: null,
      testLoss: Number.NaN,
      testAccuracy: undefined,
      bestEpoch: null,
      epochs: 2,
      wallSeconds: 1.5,
      samplesPerSec: 100,
      steadySamplesPerSec: null,
      warmupSeconds: null,
    });
    expect(JSON.stringify(final)).toBe(
      '{"final":true,"status":"diverged","checkpointEpoch":null,"testLoss":null,"testAccuracy":null,"bestEpoch":null,"epochs":2,"wallSeconds":1.5,"samplesPerSec":100,"steadySamplesPerSec":null,"warmupSeconds":null}',
    );
  });
});
