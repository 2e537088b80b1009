/** The sweep directory: created for a new sweep, resumed for the same one, refused otherwise. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTrials } from '../../src/sweep/sampling.js';
import { checkSweepSpec } from '../../src/sweep/spec.js';
import { openSweepDir } from '../../src/sweep/sweep_dir.js';
import type { TrialResult } from '../../src/sweep/types.js';

let dir: string;
beforeEach(() => {
  dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'descent-sweepdir-')), 'sweep');
});
afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

const spec = checkSweepSpec({ base: { data: 'spirals' }, grid: { seed: [0, 1, 2] } });
const record = { spec, trials: buildTrials(spec) };

function result(trialId: string): TrialResult {
  return {
    trialId,
    status: 'completed',
    params: {},
    epochs: [],
    runDir: `trials/${trialId}`,
    worker: 'local',
    attempts: 1,
    wallSeconds: 1,
  };
}

describe('openSweepDir', () => {
  it('writes sweep.json for a new sweep and reads back the results appended to sweep.jsonl', () => {
    const first = openSweepDir({ dir, record });
    expect(first.done.size).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8'))).toEqual({
      version: 1,
      ...record,
    });
    first.append(result('t0001'));
    first.append(result('t0000'));
    expect(first.trialDir('t0002')).toBe(path.join(dir, 'trials', 't0002'));
    const again = openSweepDir({ dir, record });
    expect([...again.done.keys()]).toEqual(['t0001', 't0000']);
  });

  it('drops a last line cut short by a kill, so that its trial runs again and the next line starts clean', () => {
    const opened = openSweepDir({ dir, record });
    opened.append(result('t0000'));
    const file = path.join(dir, 'sweep.jsonl');
    fs.appendFileSync(file, JSON.stringify(result('t0001')).slice(0, 30));
    const resumed = openSweepDir({ dir, record });
    expect([...resumed.done.keys()]).toEqual(['t0000']);
    resumed.append(result('t0001'));
    expect([...openSweepDir({ dir, record }).done.keys()]).toEqual(['t0000', 't0001']);
  });

  it('refuses a directory that holds another sweep, naming the first difference', () => {
    openSweepDir({ dir, record });
    const other = checkSweepSpec({ base: { data: 'moons' }, grid: { seed: [0, 1, 2] } });
    expect(() => openSweepDir({ dir, record: { spec: other, trials: buildTrials(other) } })).toThrow(
      `--out ${dir} holds a different sweep: its base is {"data":"spirals"}, this spec's is {"data":"moons"}; resume it with its own spec, or choose a new --out directory`,
    );
  });

  it('refuses a non-empty directory without a sweep, and a sweep.jsonl line of another sweep', () => {
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    expect(() => openSweepDir({ dir, record })).toThrow(
      `--out ${dir}: is not empty and holds no sweep (no sweep.json; found notes.txt); choose a new or empty directory`,
    );
    fs.rmSync(path.join(dir, 'notes.txt'));
    openSweepDir({ dir, record });
    fs.appendFileSync(path.join(dir, 'sweep.jsonl'), `${JSON.stringify(result('t0099'))}\n`);
    expect(() => openSweepDir({ dir, record })).toThrow(
      /sweep\.jsonl:1: not a result of one of this sweep's trials$/,
    );
  });
});
