/** CSV: header detection, the label column by name or index, class names, quoting, and errors by line. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/index.js';
import { loadCsv } from '../../src/data/node.js';

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
    expect(() => loadCsv(path)).toThrow(/bad\.csv: line 3, column 'x2': "oops" is not a number/);
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
