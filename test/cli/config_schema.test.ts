import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/cli/limits.js';
import { OPTIMIZER_FLAGS } from '../../src/cli/optimizer_flags.js';
import {
  DEFAULTS,
  optimizerOptionsOf,
  readConfigFile,
  resolveConfig,
  UsageError,
} from '../../src/cli/run_config.js';
import { CONFIG_KEYS, runConfigSchema } from '../../src/run/config_schema.js';
import { messageOf } from '../helpers/thrown.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-config-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function configFile(content: unknown, name = 'config.json'): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const usageMessage = (f: () => unknown): string => messageOf(f, UsageError);

describe('configuration file', () => {
  it('reports every badly typed key at once, each with what it accepts', () => {
    const file = configFile({ batchNorm: 'false', schedule: 5, out: 7, epochs: 3 });
    const message = usageMessage(() => readConfigFile(file));
    expect(message).toMatch(new RegExp(`^--config ${file}: `));
    expect(message).toContain('batchNorm must be true or false, got "false"');
    expect(message).toContain('schedule must be one of none, step, multistep');
    expect(message).toContain('got 5');
    expect(message).toContain('out must be a directory path, got 7');
    expect(message).not.toContain('epochs');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('refuses unknown keys, listing them and every accepted key', () => {
    const message = usageMessage(() => readConfigFile(configFile({ epoch: 3, learningRate: 0.1 })));
    expect(message).toContain("unknown keys 'epoch', 'learningRate'; accepted: data, labels");
    expect(message).toContain('amsgrad');
  });

  it('names the file it was given by its own words (a resumed run names its config.json)', () => {
    const file = configFile({ arch: 'vgg' }, 'resumed.json');
    expect(usageMessage(() => readConfigFile(file, `--resume ${tmp}: ${file}`))).toBe(
      `--resume ${tmp}: ${file}: arch must be one of mlp, lenet5, resnet, densenet, plain, got "vgg"`,
    );
  });

  it('refuses text that is not a JSON object', () => {
    expect(usageMessage(() => readConfigFile(configFile('{"epochs": 3')))).toMatch(/not valid JSON/);
    expect(usageMessage(() => readConfigFile(configFile('[1, 2]')))).toMatch(
      /expected a JSON object of settings/,
    );
    expect(usageMessage(() => readConfigFile(path.join(tmp, 'absent.json')))).toMatch(
      /absent\.json: cannot read the file/,
    );
  });

  it('returns only the keys the file sets: the defaults come in when resolving', () => {
    expect(readConfigFile(configFile({ epochs: 7, labelColumn: 2 }))).toEqual({
      epochs: 7,
      labelColumn: '2',
    });
  });

  it('keeps batchNorm false when the file says false (not the string "false")', () => {
    const c = resolveConfig(readConfigFile(configFile({ batchNorm: false })), {});
    expect(c.batchNorm).toBe(false);
  });
});

describe('resolveConfig', () => {
  it('gives the schema defaults for an empty configuration', () => {
    expect(resolveConfig({}, {})).toEqual(DEFAULTS);
    expect(DEFAULTS).toEqual(runConfigSchema.parse({}));
  });

  it('names bad flags by their flag and reports all of them', () => {
    const message = usageMessage(() =>
      resolveConfig({}, { epochs: 0, batchSize: 2_000_000, validation: 1 } as never),
    );
    expect(message).toBe(
      '--validation must be a fraction in [0, 1), got 1; --epochs must be an integer from 1 to 100,000, got 0; --batch-size must be an integer from 1 to 1,000,000, got 2000000',
    );
  });

  it('names keys from a configuration by their key', () => {
    expect(usageMessage(() => resolveConfig({ warmup: -1 } as never, {}))).toBe(
      'warmup must be an integer from 0 to 10,000,000, got -1',
    );
  });

  it.each([
    ['epochs', LIMITS.epochs],
    ['batchSize', LIMITS.batchSize],
    ['warmup', LIMITS.warmup],
    ['earlyStopping', LIMITS.epochs],
    ['width', LIMITS.width],
  ] as const)('caps %s at its documented maximum', (key, max) => {
    expect(resolveConfig({ [key]: max, validation: 0.1 }, {})[key]).toBe(max);
    expect(usageMessage(() => resolveConfig({ [key]: max + 1 }, {}))).toContain(
      `to ${max.toLocaleString('en-US')}, got ${max + 1}`,
    );
  });

  it('caps the hidden widths and the number of hidden layers', () => {
    expect(usageMessage(() => resolveConfig({}, { hidden: [10, LIMITS.hiddenWidth + 1] }))).toContain(
      `--hidden must be a list of 1 to 1,000 layer widths from 1 to 1,000,000`,
    );
    expect(() => resolveConfig({}, { hidden: new Array(LIMITS.hiddenLayers + 1).fill(1) })).toThrow(
      UsageError,
    );
    expect(usageMessage(() => resolveConfig({ hidden: [] }, {}))).toMatch(/^hidden must be a list/);
  });

  it('accepts a depth of the form 6n + 2 only, up to the documented maximum', () => {
    expect(resolveConfig({}, { arch: 'resnet', depth: 14 }).depth).toBe(14);
    expect(usageMessage(() => resolveConfig({}, { arch: 'resnet', depth: 15 }))).toBe(
      '--depth must be of the form 6n + 2 (8, 14, 20, …) up to 1,202, got 15',
    );
    expect(() => resolveConfig({}, { arch: 'resnet', depth: 1208 })).toThrow(/up to 1,202, got 1208/);
  });

  it('refuses flags the chosen architecture would ignore', () => {
    expect(usageMessage(() => resolveConfig({}, { arch: 'lenet5', hidden: [10] }))).toBe(
      '--hidden applies to --arch mlp only; --arch lenet5 would ignore it',
    );
    expect(usageMessage(() => resolveConfig({}, { depth: 14 }))).toBe(
      '--depth applies to --arch resnet and plain only; --arch mlp would ignore it',
    );
    expect(usageMessage(() => resolveConfig({}, { arch: 'resnet', activation: 'tanh' }))).toMatch(
      /^--activation applies to --arch mlp and lenet5 only/,
    );
    // A saved run's configuration holds every key: the check is for flags only.
    expect(resolveConfig({ ...DEFAULTS, arch: 'lenet5' }, {}).arch).toBe('lenet5');
  });

  it('refuses early stopping and the plateau schedule without a validation split', () => {
    expect(usageMessage(() => resolveConfig({}, { earlyStopping: 2, validation: 0 }))).toMatch(
      /earlyStopping needs a validation split/,
    );
    expect(usageMessage(() => resolveConfig({ schedule: 'plateau', validation: 0 }, {}))).toMatch(
      /schedule 'plateau' watches the validation loss/,
    );
  });

  it('treats a flag key that is no configuration key as a bug of the command, not as bad input', () => {
    const call = () => resolveConfig({}, { json: true } as never);
    expect(call).toThrow('resolveConfig: flags json are not configuration keys');
    expect(call).not.toThrow(UsageError);
  });

  it('shows NaN and infinities as such, not as null', () => {
    expect(usageMessage(() => resolveConfig({}, { lr: Number.NaN }))).toBe(
      '--lr must be a non-negative number, got NaN',
    );
    expect(usageMessage(() => resolveConfig({ l2: Number.POSITIVE_INFINITY }, {}))).toBe(
      'l2 must be a non-negative number, got Infinity',
    );
  });
});

describe('optimizer options in the configuration', () => {
  it('has a key for every optimizer flag, typed as the flag parses it', () => {
    for (const { name } of OPTIMIZER_FLAGS) expect(CONFIG_KEYS).toContain(name);
    const c = resolveConfig({ optimizer: 'sgd', momentum: 0.9, nesterov: true }, {});
    expect(optimizerOptionsOf(c)).toEqual({ momentum: 0.9, nesterov: true });
    expect(usageMessage(() => resolveConfig({ betas: [0.9] } as never, {}))).toBe(
      'betas must be a pair of numbers such as [0.9, 0.999], got [0.9]',
    );
    expect(usageMessage(() => resolveConfig({ amsgrad: 1 } as never, {}))).toBe(
      'amsgrad must be true or false, got 1',
    );
  });
});
