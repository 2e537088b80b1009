/** `descent train` on user files (IDX raw and gzip, CSV) and with every architecture; the terminal progress bar. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ttyReporter } from '../../src/cli/progress.js';
import { encodeIdx } from '../../src/data/idx.js';
import { runCli } from './run_cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-data-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// 64 random 28×28 "images" whose class is decided by the brightness of the upper half.
const n = 64;
const pixels = new Uint8Array(n * 28 * 28);
const labels = new Int32Array(n);
let s = 12345;
const rnd = () => {
  s = (s * 1103515245 + 12345) % 2 ** 31;
  return s / 2 ** 31;
};
for (let i = 0; i < n; i++) {
  labels[i] = i % 2;
  for (let p = 0; p < 784; p++)
    pixels[i * 784 + p] = Math.floor(rnd() * 128 + (p < 392 && labels[i] ? 127 : 0));
}
const images = path.join(tmp, 'images.idx');
const labelsFile = path.join(tmp, 'labels.idx');
fs.writeFileSync(images, encodeIdx(pixels, [n, 28, 28]));
fs.writeFileSync(`${images}.gz`, gzipSync(encodeIdx(pixels, [n, 28, 28])));
fs.writeFileSync(labelsFile, encodeIdx(new Uint8Array(labels), [n]));
const csv = fileURLToPath(new URL('../fixtures/eval_data.csv', import.meta.url));

function fileURLToPath(u: URL): string {
  return decodeURIComponent(u.pathname);
}

async function train(args: string[]) {
  const r = await runCli([
    'train',
    '--epochs',
    '1',
    '--batch-size',
    '32',
    '--json',
    '--out',
    path.join(tmp, `run-${Math.random()}`),
    ...args,
  ]);
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as { final: boolean; testAccuracy: number };
}

describe('descent train on user data', () => {
  it('reads IDX files, raw and gzip, with an 80/20 split', async () => {
    for (const file of [images, `${images}.gz`]) {
      const f = await train(['--data', file, '--labels', labelsFile, '--hidden', '16', '--validation', '0']);
      expect(f.final).toBe(true);
    }
  });

  it('reads a CSV file with a label column, and a separate test file', async () => {
    const f = await train([
      '--data',
      csv,
      '--label-column',
      'label',
      '--test-data',
      csv,
      '--hidden',
      '8',
      '--activation',
      'relu',
      '--standardize',
      '--epochs',
      '20',
      '--lr',
      '0.01',
    ]);
    expect(f.testAccuracy).toBeGreaterThan(0.5);
  });

  it('names a missing labels file', async () => {
    const r = await runCli(['train', '--data', images, '--labels', path.join(tmp, 'nope.idx')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--labels .*nope\.idx: cannot read the file: ENOENT: no such file/);
  });

  // densenet trains the same way but takes over a minute here; the depth experiment exercises dense blocks.
  for (const arch of [
    ['lenet5'],
    ['resnet', '--depth', '8', '--width', '4'],
    ['plain', '--depth', '8', '--width', '4'],
  ]) {
    it(`trains --arch ${arch[0]} on 28×28 images`, async () => {
      const f = await train([
        '--data',
        images,
        '--labels',
        labelsFile,
        '--validation',
        '0',
        '--arch',
        ...arch,
      ]);
      expect(f.final).toBe(true);
      expect(Number.isFinite(f.testAccuracy)).toBe(true);
    });
  }
});

describe('the terminal progress bar', () => {
  it('redraws one line with percentage, loss, samples/s and ETA, then prints the epoch line', () => {
    let written = '';
    const stream = {
      isTTY: true,
      columns: 120,
      write: (chunk: string) => {
        written += chunk;
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    const esc = String.fromCharCode(27);
    const r = ttyReporter(stream);
    r.onProgress({
      type: 'batch',
      logs: { epoch: 1, batch: 9, step: 10, loss: 0.5, lr: 0.001, size: 32 },
      epochs: 2,
      batches: 20,
      samplesPerSec: 1234,
    });
    // cli-progress redraws from column 1 (the escape differs from the hand-written bar's \r).
    expect(written).toContain(`${esc}[1Gepoch 1/2 [`);
    expect(written).toMatch(
      /\[#{12}\.{12}\] 50% {2}loss 0\.5000 {2}lr 0\.00100 {2}1234 samples\/s {2}ETA \d+s/,
    );
    r.onProgress({
      type: 'epoch',
      epochs: 2,
      logs: {
        epoch: 1,
        trainLoss: 0.4,
        trainAccuracy: 0.9,
        lr: 0.001,
        samplesPerSec: 1000,
        seconds: 2,
        steps: 20,
      },
    });
    expect(written).toMatch(
      /epoch 1\/2 {2}trainLoss 0\.4000 {2}trainAccuracy 0\.9000 {2}lr 0\.00100 {2}samplesPerSec 1000 {2}2\.0s\n$/,
    );
  });
});
