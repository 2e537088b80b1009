/**
 * The data-loading progress line (src/cli/data_progress.ts): rewritten in place on a terminal and
 * ended with a newline, one line per phase into a file or pipe, always on the stream given (stderr in
 * the CLI, so `--json` stdout holds only records).
 */
import { describe, expect, it } from 'vitest';
import { dataProgress, progressText } from '../../src/cli/data_progress.js';
import type { LoadProgress } from '../../src/data/bundled.js';

const converting = (done: number): LoadProgress => ({
  dataset: 'fashion-mnist',
  phase: 'converting',
  done,
  total: 10,
});
const splitting: LoadProgress = { dataset: 'fashion-mnist', phase: 'splitting', done: 0, total: 1 };

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (text: string) => chunks.push(text) };
}

describe('dataProgress', () => {
  it('names the data set, the step and the files converted', () => {
    expect(progressText(converting(3))).toBe(
      "fashion-mnist: converting the package's JSON into the binary cache (first use only)… 3/10 files",
    );
    expect(progressText({ dataset: 'fashion-mnist', phase: 'reading cache', done: 0, total: 1 })).toBe(
      'fashion-mnist: reading the binary cache…',
    );
  });

  it('on a terminal: one line rewritten with \\r (padded over a longer one), ended by done()', () => {
    const s = stream(true);
    const p = dataProgress(s);
    p.onProgress(converting(0));
    p.onProgress(converting(1));
    p.onProgress(splitting);
    p.done();
    expect(s.chunks.every((c, i) => (i < 3 ? c.startsWith('\r') : c === '\n'))).toBe(true);
    expect(s.chunks).toHaveLength(4);
    expect(s.chunks[2]!.length).toBe(s.chunks[1]!.length);
    expect(s.chunks[2]!.trimEnd()).toBe('\rfashion-mnist: splitting into train and test…');
  });

  it('into a file or pipe: one line per phase, no carriage returns, nothing added by done()', () => {
    const s = stream(false);
    const p = dataProgress(s);
    for (let k = 0; k <= 10; k++) p.onProgress(converting(k));
    p.onProgress(splitting);
    p.done();
    expect(s.chunks).toEqual([`${progressText(converting(0))}\n`, `${progressText(splitting)}\n`]);
  });
});
