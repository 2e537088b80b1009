/** CSV: header detection, the label column by name or index, class names, quoting, and errors by line. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/index.js';
import { loadCsv } from '../../src/data/node.js';
import { FormatError } from '../../src/io/format_error.js';
import { messageOf } from '../helpers/thrown.js';

const dir = mkdtempSync(join(tmpdir(), 'descent-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CSV', () => {
  it('reads a file with a header; the label column named "label" wherever it is', () => {
    const path = join(dir, 'data.csv');
    writeFileSync(path, 'label,x1,x2\r\n1,0.5,1.5\r\n0,2,3\r\n\r\n');
    const ds = loadCsv(path);
    expect(ds.length).toBe(2);
    expect([...ds.labels]).toEqual([1, 0]);
    expect([...ds.features]).toEqual([0.5, 1.5, 2, 3]);
  });

  it('without a header, the label is the last column or the one given by index', () => {
    const text = '1,2,0\n3,4,1\n';
    expect([...parseCsv(text).labels]).toEqual([0, 1]);
    const first = parseCsv(text, { label: 0 });
    expect([...first.labels]).toEqual([1, 3]);
    expect([...first.features]).toEqual([2, 0, 4, 1]);
    expect([...parseCsv(text, { label: -2 }).labels]).toEqual([2, 4]);
    expect(parseCsv('a;b;y\n1;2;0\n', { delimiter: ';' }).sampleShape).toEqual([2]);
  });

  it('turns non-index labels into class names in sorted order', () => {
    const ds = parseCsv('sepal,"petal, width",species\n1,2,virginica\n3,4,setosa\n5,6,"virginica"\n', {
      label: 'species',
    });
    expect(ds.classNames).toEqual(['setosa', 'virginica']);
    expect([...ds.labels]).toEqual([1, 0, 1]);
    const signs = parseCsv('x,y\n1,-1\n2,1\n');
    expect(signs.classNames).toEqual(['-1', '1']);
    expect([...signs.labels]).toEqual([0, 1]);
  });

  it('names the line and column of bad rows', () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'x1,x2,label\n1,2,0\n3,oops,1\n');
    expect(() => loadCsv(path)).toThrow(/bad\.csv: line 3, column 'x2': "oops" is not a decimal number/);
    expect(() => parseCsv('x1,x2,label\n1,2,0\n3,4\n', {}, 'f.csv')).toThrow(
      /f\.csv: line 3 has 2 fields, expected 3 \(as in the header\)/,
    );
    expect(() => parseCsv('1,2,0\n\n3,,1\n', {}, 'f.csv')).toThrow(/f\.csv: line 3, column 1: empty value/);
    expect(() => parseCsv('a,b\n1,"2\n', {}, 'f.csv')).toThrow(/f\.csv: line 2: unterminated quoted field/);
    expect(() => parseCsv('a,b\n1,2\n', { label: 'target' }, 'f.csv')).toThrow(
      /f\.csv: no column named "target"; the columns are a, b/,
    );
    expect(() => parseCsv('1,2\n', { label: 'y', header: false }, 'f.csv')).toThrow(
      /given by name, but the file has no header/,
    );
    expect(() => parseCsv('1,2\n', { label: 5 }, 'f.csv')).toThrow(
      /label column 5 is out of range for 2 columns/,
    );
    expect(() => parseCsv('\n\n', {}, 'f.csv')).toThrow(/f\.csv: no data: the CSV text is empty/);
    expect(() => parseCsv('a,b\n', { header: true }, 'f.csv')).toThrow(/f\.csv: no data: only a header line/);
    expect(() => loadCsv(join(dir, 'missing.csv'))).toThrow(/loadCsv: cannot read .*missing\.csv/);
  });
});

const formatError = (f: () => unknown): string => messageOf(f, FormatError);

describe('CSV values are checked when the file is read', () => {
  const feature = (cell: string) =>
    formatError(() => parseCsv(`x1,x2,label\n1,2,0\n3,${cell},1\n`, {}, 'd.csv'));

  it.each([
    ['NaN', /"NaN" is not a finite number/],
    ['nan', /"nan" is not a finite number/],
    ['Infinity', /"Infinity" is not a finite number/],
    ['-inf', /"-inf" is not a finite number/],
    ['1e400', /1e400 overflows to infinity/],
    ['1e38', /1e\+38 is beyond ±1e15, the largest magnitude accepted/],
    ['0x10', /"0x10" is not a decimal number/],
    ['0b1', /"0b1" is not a decimal number/],
    ['1_000', /"1_000" is not a decimal number/],
    [' ', /empty value/],
    ['"  "', /" {2}" is not a decimal number/],
  ])('refuses the feature %s naming the file, line and column', (cell, why) => {
    const message = feature(cell);
    expect(message).toMatch(/^d\.csv: line 3, column 'x2': /);
    expect(message).toMatch(why);
  });

  it('says which feature syntax is accepted', () => {
    expect(feature('0x10')).toMatch(
      /accepted: finite decimal numbers such as 3, -0\.5 or 1\.2e-3, with \|x\| ≤ 1e15$/,
    );
  });

  it('reads the decimal forms float() and loadtxt agree on, spaces around them ignored', () => {
    const ds = parseCsv('a,b,c,d,e,f,label\n 3 ,-0.5,.5,5.,+1.25e-3,-1E15,0\n');
    expect([...ds.features]).toEqual([3, -0.5, 0.5, 5, Math.fround(1.25e-3), Math.fround(-1e15)]);
  });

  it('does not take a data line with a hex cell for a header', () => {
    expect(formatError(() => parseCsv('0x10,1,0\n2,3,1\n', {}, 'h.csv'))).toMatch(
      /^h\.csv: line 1, column 0: "0x10" is not a decimal number/,
    );
  });

  const label = (cell: string, options = {}) =>
    formatError(() => parseCsv(`x,label\n1,0\n2,${cell}\n`, options, 'l.csv'));

  it.each([
    ['1.5', /1\.5 is not an integer: labels are class indices/],
    ['NaN', /"NaN" is not a finite number/],
    ['inf', /"inf" is not a finite number/],
    ['1e400', /1e400 overflows to infinity/],
    ['1000000000', /1000000000 would make 1000000001 classes; at most 10,000 are accepted/],
    ['10000', /10000 would make 10001 classes/],
  ])('refuses the label %s naming the file, line and column', (cell, why) => {
    const message = label(cell);
    expect(message).toMatch(/^l\.csv: line 3, label column 'label': /);
    expect(message).toMatch(why);
  });

  it('accepts labels up to 9999, the largest class index', () => {
    expect(parseCsv('x,label\n1,0\n2,9999\n').numClasses).toBe(10_000);
  });

  it('refuses a label at or above numClasses naming its line', () => {
    expect(label('3', { numClasses: 3 })).toMatch(
      /line 3, label column 'label': 3 is out of range for 3 classes \(labels 0 … 2\)/,
    );
  });

  it('refuses class names that need more classes than numClasses, naming the line (found by fuzzing)', () => {
    expect(formatError(() => parseCsv('0,0\n0,setosa\n0,virginica\n', { numClasses: 2 }, 'n.csv'))).toBe(
      'n.csv: line 3, label column 1: "virginica" is class 2 of the names 0, setosa, virginica, beyond numClasses = 2',
    );
  });

  it('refuses more than 10,000 distinct class names', () => {
    const lines = Array.from({ length: 10_001 }, (_, i) => `${i},c${i}`);
    expect(formatError(() => parseCsv(`x,label\n${lines.join('\n')}\n`, {}, 'many.csv'))).toMatch(
      /^many\.csv: line 10002, label column 'label': "c\d+" makes more than 10,000 distinct labels/,
    );
  });

  it('encodes labels against given class names (a test file against its training file)', () => {
    const train = parseCsv('x,species\n1,setosa\n2,versicolor\n3,virginica\n');
    const test = parseCsv('x,species\n1,virginica\n2,setosa\n', { classNames: train.classNames! });
    expect([...test.labels]).toEqual([2, 0]);
    expect(test.numClasses).toBe(3);
    expect(
      formatError(() => parseCsv('x,species\n1,rose\n', { classNames: train.classNames! }, 't.csv')),
    ).toBe(
      `t.csv: line 2, label column 'species': "rose" is not one of the 3 classes of the training data (setosa, versicolor, virginica)`,
    );
  });

  it('counts a negative label column from the end, as Python does, and names the accepted range', () => {
    expect([...parseCsv('1,2,0\n3,4,1\n', { label: -1 }).labels]).toEqual([0, 1]);
    expect(formatError(() => parseCsv('1,2\n', { label: -3 }, 'f.csv'))).toBe(
      'f.csv: label column -3 is out of range for 2 columns; accepted: 0 … 1, or -2 … -1 counting from the end',
    );
  });
});
