/**
 * CSV dialects read through csv-parse: quoting, line ends, byte-order marks and delimiters (given or
 * detected), and the errors of badly quoted text by line.
 */
import { describe, expect, it } from 'vitest';
import { detectDelimiter } from '../../src/data/csv_rows.js';
import { parseCsv } from '../../src/data/index.js';
import { FormatError } from '../../src/io/format_error.js';
import { messageOf } from '../helpers/thrown.js';

const features = (text: string, options = {}) => [...parseCsv(text, options, 'd.csv').features];
const formatError = (text: string, options = {}): string =>
  messageOf(() => parseCsv(text, options, 'q.csv'), FormatError);

describe('CSV text', () => {
  it('reads quoted fields holding the delimiter, doubled quotes and line breaks', () => {
    const named = parseCsv('x,label\n1,"a, ""b"""\n2,"c\nd"\n');
    expect(named.classNames).toEqual(['a, "b"', 'c\nd']);
    expect([...named.features]).toEqual([1, 2]);
  });

  it('accepts CRLF, CR and LF line ends, mixed in one file', () => {
    expect(features('x,y\r\n1,0\r\n2,1\n3,0\r4,1\r\n')).toEqual([1, 2, 3, 4]);
  });

  it('drops a byte-order mark, so the first column keeps its name', () => {
    const ds = parseCsv('\uFEFFlabel,x\n0,5\n1,6\n');
    expect([...ds.labels]).toEqual([0, 1]);
    expect([...ds.features]).toEqual([5, 6]);
  });

  it('skips blank lines and lines of spaces, and counts them in line numbers', () => {
    expect(features('x,y\n\n  \n1,0\n')).toEqual([1]);
    expect(formatError('x,y\n\n  \n1,0\nz,1\n')).toMatch(/^q\.csv: line 5, column 'x': "z" is not a decimal/);
  });
});

describe('CSV delimiters', () => {
  it.each([
    ['semicolon', 'a;b;label\n1;2;0\n3;4;1\n'],
    ['tab', 'a\tb\tlabel\n1\t2\t0\n3\t4\t1\n'],
    ['comma', 'a,b,label\n1,2,0\n3,4,1\n'],
  ])('detects a %s-separated file', (_name, text) => {
    expect(features(text)).toEqual([1, 2, 3, 4]);
  });

  it('keeps a delimiter inside quotes out of the detection', () => {
    expect(detectDelimiter('"a;b",c\n"1;2",3\n')).toBe(',');
    expect(detectDelimiter('"a,b";c;d\n"1,2";3;4\n')).toBe(';');
  });

  it('prefers the delimiter that splits every line alike over one that splits only some', () => {
    // Comma splits the first line into 3 and the second into 2; semicolon splits both into 2.
    expect(detectDelimiter('a,b;c,d\n1;2\n')).toBe(';');
  });

  it('takes semicolons over commas on a tie, so decimal commas are named as such', () => {
    expect(detectDelimiter('1,5;2,5;0\n3,5;4,5;1\n')).toBe(';');
    expect(formatError('1,5;2,5;0\n3,5;4,5;1\n')).toMatch(/line 1, column 0: "1,5" is not a decimal number/);
  });

  it('falls back to comma on text no candidate splits', () => {
    expect(detectDelimiter('abc\n')).toBe(',');
  });

  it('reads with the delimiter given, even where another would split the lines too', () => {
    expect(formatError('a,b|c\n1,2|0\n', { delimiter: '|' })).toMatch(/column 'a,b': "1,2" is not a decimal/);
  });

  it.each(['', ';;', '"', '\n', '\r'])('refuses the delimiter %j, naming what is accepted', (d) => {
    expect(messageOf(() => parseCsv('1,0\n', { delimiter: d }), RangeError)).toBe(
      `parseCsv: delimiter must be 'auto' or one character other than a quote or line end, got ${JSON.stringify(d)}`,
    );
  });
});

describe('CSV quoting errors name the line', () => {
  it('an unterminated quote names the line it opened on', () => {
    expect(formatError('a,b\n1,2\n3,"4\n\n\n')).toBe('q.csv: line 3: unterminated quoted field');
  });

  it('an unterminated quote after blank lines names its own line, not the one after the last record', () => {
    expect(formatError('a,b\n1,2\n\n \n3,"4\n5,6\n')).toBe('q.csv: line 5: unterminated quoted field');
    expect(formatError('a,b\r\n1,2\r\n\r\n3,"4\r\n')).toBe('q.csv: line 4: unterminated quoted field');
  });

  it('text after a closing quote', () => {
    expect(formatError('a,b\n1,"2"x\n')).toBe('q.csv: line 2: unexpected text after a closing quote');
  });

  it('a quote inside an unquoted field', () => {
    expect(formatError('a,b\n1,2\n3,4"5\n')).toBe(
      'q.csv: line 3: a quote inside an unquoted field; quote the whole field and double the quotes inside ("a ""b"" c")',
    );
  });
});
