/**
 * Bad data is refused when it is loaded, before any training, with exit code 2 and one line naming the
 * file and the place — never trained into "loss became NaN … the learning rate is very likely too
 * high". Also: a --test-data file that does not match the training data, data flags that do not apply
 * to the data, and --label-column by negative index.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/cli/run_config.js';
import { loadRunData } from '../../src/cli/run_data.js';
import { encodeIdx } from '../../src/data/idx.js';
import { runCli } from './run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-bad-data-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const write = (name: string, content: string | Uint8Array): string => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  return file;
};

/** 30 rows of 2 features and a label 0, 1 or 2; `cell(r, c)` may replace a value. */
function csv(name: string, cell: (r: number, c: number) => string | undefined = () => undefined): string {
  const rows = ['x1,x2,label'];
  for (let r = 0; r < 30; r++) {
    const values = [`${(r % 7) / 7}`, `${(r % 5) / 5}`, `${r % 3}`];
    rows.push(values.map((v, c) => cell(r, c) ?? v).join(','));
  }
  return write(name, `${rows.join('\n')}\n`);
}

/** Runs `train` and checks the contract for bad input: exit 2, one line, no epoch trained. */
async function refused(args: string[]): Promise<string> {
  const r = await runCli([
    'train',
    '--hidden',
    '4',
    '--epochs',
    '1',
    '--out',
    path.join(tmp, 'out'),
    ...args,
  ]);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).not.toMatch(/epoch 1/);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toMatch(/learning rate/);
  return lines[0]!;
}

describe('bad values in a CSV file exit 2 naming the file, line and column', () => {
  it.each([
    ['NaN', /"NaN" is not a finite number/],
    ['Infinity', /"Infinity" is not a finite number/],
    ['1e400', /1e400 overflows to infinity/],
    ['1e38', /1e\+38 is beyond ±1e15/],
    ['0x10', /"0x10" is not a decimal number/],
  ])('a feature %s', async (bad, why) => {
    const file = csv(`feature-${bad}.csv`, (r, c) => (r === 4 && c === 1 ? bad : undefined));
    const message = await refused(['--data', file]);
    expect(message).toMatch(new RegExp(`^error: .*feature-${bad}\\.csv: line 6, column 'x2': `));
    expect(message).toMatch(why);
  });

  it('a label that would create a billion classes', async () => {
    const file = csv('billion.csv', (r, c) => (r === 2 && c === 2 ? '1000000000' : undefined));
    expect(await refused(['--data', file])).toMatch(
      /billion\.csv: line 4, label column 'label': 1000000000 would make 1000000001 classes; at most 10,000 are accepted/,
    );
  });

  it('a fractional label', async () => {
    const file = csv('fraction.csv', (r, c) => (r === 0 && c === 2 ? '0.5' : undefined));
    expect(await refused(['--data', file])).toMatch(
      /fraction\.csv: line 2, label column 'label': 0\.5 is not an integer/,
    );
  });
});

describe('bad values in an IDX file exit 2 naming the file and the index', () => {
  const labels = write('labels.idx', encodeIdx(Uint8Array.from([0, 1, 0, 1]), [4]));
  const images = (name: string, bad: number) => {
    const values = Float32Array.from({ length: 16 }, (_, i) => i / 16);
    values[13] = bad;
    return write(name, encodeIdx(values, [4, 2, 2]));
  };

  it.each([
    ['NaN', Number.NaN, /NaN is not a finite number/],
    ['1e38', 1e38, /e\+37 is beyond ±1e15/],
  ])('a float feature %s', async (name, bad, why) => {
    const file = images(`float-${name}.idx`, bad);
    const message = await refused(['--data', file, '--labels', labels]);
    expect(message).toMatch(
      new RegExp(`float-${name}\\.idx: the value at index \\[3, 0, 1\\] \\(sample 3\\): `),
    );
    expect(message).toMatch(why);
  });

  it('an IDX file with N = 0, named, instead of "mlp: sizes[4] must be a positive integer"', async () => {
    const none = write('none.idx', encodeIdx(new Uint8Array(0), [0, 2, 2]));
    const noLabels = write('none-labels.idx', encodeIdx(new Uint8Array(0), [0]));
    expect(await refused(['--data', none, '--labels', noLabels])).toMatch(
      /none\.idx: no samples: the header declares N = 0 images \(an empty dataset\)$/,
    );
  });
});

describe('a --test-data file that does not match the training data is refused before training', () => {
  const train = csv('train.csv');

  it('a label the training data has no class for, naming its line', async () => {
    const test = csv('test-label5.csv', (r, c) => (r === 3 && c === 2 ? '5' : undefined));
    expect(await refused(['--data', train, '--test-data', test])).toMatch(
      /test-label5\.csv: line 5, label column 'label': "5" is not one of the 3 classes of the training data \(0, 1, 2\)/,
    );
  });

  it('an extra column', async () => {
    const test = write('test-wide.csv', 'x1,x2,x3,label\n0.1,0.2,0.3,1\n0.4,0.5,0.6,0\n');
    expect(await refused(['--data', train, '--test-data', test])).toMatch(
      /--test-data .*test-wide\.csv: its samples have shape \[3\], but those of --data .*train\.csv have \[2\]/,
    );
  });

  it('another image shape', async () => {
    const labels = write('l4.idx', encodeIdx(Uint8Array.from([0, 1, 0, 1]), [4]));
    const trainImages = write('i22.idx', encodeIdx(new Uint8Array(16), [4, 2, 2]));
    const testImages = write('i33.idx', encodeIdx(new Uint8Array(36), [4, 3, 3]));
    const args = [
      '--data',
      trainImages,
      '--labels',
      labels,
      '--test-data',
      testImages,
      '--test-labels',
      labels,
    ];
    expect(await refused(args)).toMatch(
      /i33\.idx: its samples have shape \[9\], but those of --data .*i22\.idx have \[4\]/,
    );
  });

  it('class names the training data does not have', async () => {
    const named = write('named.csv', 'x,species\n1,setosa\n2,virginica\n3,setosa\n4,virginica\n5,setosa\n');
    const test = write('named-test.csv', 'x,species\n1,virginica\n2,rose\n');
    expect(await refused(['--data', named, '--test-data', test])).toMatch(
      /named-test\.csv: line 3, label column 'species': "rose" is not one of the 2 classes of the training data \(setosa, virginica\)/,
    );
  });

  it("encodes a test file holding only some classes with the training file's classes", () => {
    const config = (data: string, testData: string) =>
      resolveConfig({}, { data, testData, validation: 0, standardize: false });
    const named = write('n3.csv', 'x,species\n1,a\n2,b\n3,c\n4,a\n5,b\n6,c\n');
    const onlyC = write('n3-test.csv', 'x,species\n3,c\n6,c\n');
    const byName = loadRunData(config(named, onlyC)).test;
    expect([...byName.labels]).toEqual([2, 2]); // alone, "c" would be class 0 of 1
    expect(byName.numClasses).toBe(3);
    const indices = write('i5.csv', 'x,label\n1,0\n2,1\n3,2\n4,3\n5,4\n');
    const onlyOne = write('i5-test.csv', 'x,label\n3,1\n');
    const byIndex = loadRunData(config(indices, onlyOne)).test;
    expect([...byIndex.labels]).toEqual([1]);
    expect(byIndex.numClasses).toBe(5); // alone, it would have 2 classes
    expect(byIndex.classNames).toBeUndefined();
  });
});

describe('data flags that do not apply are refused, not ignored', () => {
  it('--label-column with synthetic, IDX data', async () => {
    expect(await refused(['--data', 'xor', '--label-column', 'y'])).toBe(
      'error: --label-column applies to CSV data only; --data xor is a synthetic dataset',
    );
    const images = write('flag-images.idx', encodeIdx(new Uint8Array(16), [4, 2, 2]));
    expect(await refused(['--data', images, '--label-column', '0'])).toMatch(
      /^error: --label-column applies to CSV data only; --data .*flag-images\.idx is an IDX file$/,
    );
  });

  it('--labels with CSV data, --test-data with a synthetic set, --test-labels without --test-data', async () => {
    const file = csv('flags.csv');
    expect(await refused(['--data', file, '--labels', file])).toMatch(
      /--labels applies to IDX data \(the labels of --data\) only/,
    );
    expect(await refused(['--data', 'moons', '--test-data', file])).toMatch(
      /--test-data applies to IDX or CSV data/,
    );
    expect(await refused(['--data', file, '--test-labels', file])).toMatch(/--test-labels needs --test-data/);
  });

  it('--label-column -1 is the last column, counted from the end as in Python', async () => {
    const file = csv('last.csv', (r, c) => (r === 1 && c === 2 ? '1.5' : undefined));
    expect(await refused(['--data', file, '--label-column', '-1'])).toMatch(
      /last\.csv: line 3, label column 'label': 1\.5 is not an integer/,
    );
    expect(await refused(['--data', file, '--label-column', '-4'])).toMatch(
      /last\.csv: label column -4 is out of range for 3 columns; accepted: 0 … 2, or -3 … -1 counting from the end/,
    );
  });

  it("an unknown --label-column name lists the header's names", async () => {
    expect(await refused(['--data', csv('names.csv'), '--label-column', 'target'])).toMatch(
      /names\.csv: no column named "target"; the columns are x1, x2, label$/,
    );
  });
});

describe('--delimiter', () => {
  /** The 30-row file of csv() with `sep` between its fields. */
  const separated = (name: string, sep: string): string =>
    write(name, fs.readFileSync(csv(`${name}.src`), 'utf8').replaceAll(',', sep));

  it("reads the fields between the given delimiter; 'tab' names a tab", () => {
    const semicolons = loadRunData(resolveConfig({}, { data: separated('semi.csv', ';'), delimiter: ';' }));
    expect(semicolons.train.sampleShape).toEqual([2]);
    const tabs = loadRunData(resolveConfig({}, { data: separated('tabs.csv', '\t'), delimiter: 'tab' }));
    expect(tabs.train.sampleShape).toEqual([2]);
    expect(tabs.train.features).toEqual(semicolons.train.features);
  });

  it('is passed to the parser, not overridden by detection: a wrong one is refused by the file', async () => {
    expect(await refused(['--data', separated('wrong.csv', ';'), '--delimiter', ','])).toMatch(/wrong\.csv/);
  });

  it('is refused with non-CSV data, and when it is not one character, tab or auto', async () => {
    expect(await refused(['--data', 'xor', '--delimiter', ';'])).toBe(
      'error: --delimiter applies to CSV data only; --data xor is a synthetic dataset',
    );
    expect(await refused(['--data', csv('d.csv'), '--delimiter', 'ab'])).toMatch(
      /--delimiter.*one character other than a quote or a line end, 'tab', or 'auto'/,
    );
  });
});
