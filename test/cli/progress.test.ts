/**
 * The terminal bar (cli-progress) in the ways that matter to the CLI: nothing written to a stream that
 * is not a terminal, a count instead of a percentage when the batches are unknown, one bar per epoch
 * that lives through the event loop's turns while the (async) epoch runs, and no redraw timer left
 * behind by an epoch that never ends once the command closes the reporter (an error mid-epoch would
 * otherwise keep the process alive after main() sets the exit code).
 */
import { describe, expect, it } from 'vitest';
import { ttyReporter } from '../../src/cli/progress.js';
import type { ProgressEvent } from '../../src/train/types.js';

function fakeStream(isTTY: boolean) {
  const stream = {
    isTTY,
    columns: 200,
    written: '',
    write(chunk: string) {
      stream.written += chunk;
      return true;
    },
  };
  return stream;
}

const batch = (b: number, batches: number | undefined, epoch = 1): ProgressEvent => ({
  type: 'batch',
  logs: { epoch, batch: b, step: b + 1, loss: 0.25, lr: 0.01, size: 8 },
  epochs: 3,
  batches,
  samplesPerSec: 500,
});

const epochEnd = (epoch: number): ProgressEvent => ({
  type: 'epoch',
  epochs: 3,
  logs: { epoch, trainLoss: 0.2, trainAccuracy: 0.5, lr: 0.01, samplesPerSec: 500, seconds: 1, steps: 4 },
});

const ESC = String.fromCharCode(27);
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the terminal progress bar', () => {
  it('writes no bar to a stream that is not a terminal, only the epoch line', () => {
    const s = fakeStream(false);
    const r = ttyReporter(s as unknown as NodeJS.WriteStream);
    r.onProgress(batch(0, 4));
    r.onProgress(epochEnd(1));
    expect(s.written).not.toContain('[#');
    expect(s.written.startsWith(`\r${ESC}[2Kepoch 1/3  trainLoss 0.2000 `)).toBe(true);
    expect(s.written.split('\n')).toHaveLength(2); // one line
  });

  it('counts batches when their number is unknown', () => {
    const s = fakeStream(true);
    const r = ttyReporter(s as unknown as NodeJS.WriteStream);
    r.onProgress(batch(6, undefined));
    expect(s.written).toContain('epoch 1/3 7 batches  loss 0.2500  lr 0.0100  500 samples/s');
    expect(s.written).not.toContain('%');
    r.onProgress(epochEnd(1));
  });

  it('starts a new bar for the next epoch, its percentage from that epoch', () => {
    const s = fakeStream(true);
    const r = ttyReporter(s as unknown as NodeJS.WriteStream);
    r.onProgress(batch(3, 4, 1));
    r.onProgress(epochEnd(1));
    s.written = '';
    r.onProgress(batch(0, 4, 2));
    expect(s.written).toContain('epoch 2/3 [######..................] 25%');
    r.onProgress(epochEnd(2));
  });

  it('keeps one bar through the turns of the event loop an async epoch gives, and close() stops it', async () => {
    await nextTurn();
    const before = timers();
    const s = fakeStream(true);
    const r = ttyReporter(s as unknown as NodeJS.WriteStream);
    r.onProgress(batch(0, 100));
    expect(timers()).toBe(before + 1); // cli-progress's redraw timer, while the epoch runs
    await nextTurn();
    r.onProgress(batch(49, 100));
    expect(timers()).toBe(before + 1); // the same bar, not stopped and started again
    expect(s.written).not.toContain(`${ESC}[2K`); // its line was never cleared
    r.close();
    expect(timers()).toBe(before);
    expect(s.written.endsWith(`${ESC}[2K`)).toBe(true); // the bar's line was cleared
    r.close(); // twice: nothing more to do
    expect(timers()).toBe(before);
  });
});
