/**
 * The run directory's lock: one writer at a time; a second one is refused naming the owner; a stale
 * lock (its process is gone) is taken over, by exactly one of several processes racing for it; a
 * release never deletes someone else's lock.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/exit_codes.js';
import { acquireRunLock, LOCK_FILE, takeOver } from '../../src/cli/run_lock.js';
import { bundleScript } from './cli_process.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-lock-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function freshDir(): string {
  return fs.mkdtempSync(path.join(tmp, 'run-'));
}

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

/** A lock as another process writes it, taken now unless `owner` says otherwise. */
function plantLock(dir: string, owner: Record<string, unknown>): string {
  const text = `${JSON.stringify({ host: os.hostname(), started: new Date().toISOString(), token: 'old', ...owner })}\n`;
  fs.writeFileSync(path.join(dir, LOCK_FILE), text);
  return text;
}

function lockError(dir: string, flag = '--out'): UsageError {
  try {
    acquireRunLock({ dir, flag });
  } catch (error) {
    return error as UsageError;
  }
  throw new Error('expected the lock to be refused');
}

describe('run directory lock', () => {
  it('records the owner (pid, host, start time) and is deleted on release', () => {
    const dir = freshDir();
    const lock = acquireRunLock({ dir, flag: '--out' });
    const owner = JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8'));
    expect(owner.pid).toBe(process.pid);
    expect(owner.host).toBe(os.hostname());
    expect(Date.now() - Date.parse(owner.started)).toBeLessThan(60_000);
    expect(lock.previous).toBeNull();
    lock.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    lock.release(); // twice is harmless
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a second writer while the first holds it, naming the running process', () => {
    const dir = freshDir();
    const first = acquireRunLock({ dir, flag: '--out' });
    const error = lockError(dir, '--resume');
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(
      new RegExp(
        `^--resume ${dir}: another training is writing this run directory \\(pid ${process.pid} on ${os.hostname()}, started .*\\); wait for it to finish, stop it, or use another directory$`,
      ),
    );
    first.release();
    acquireRunLock({ dir, flag: '--out' }).release();
  });

  it('refuses a lock held by another live process', () => {
    const dir = freshDir();
    plantLock(dir, { pid: process.ppid });
    expect(lockError(dir).message).toContain(
      `another training is writing this run directory (pid ${process.ppid} on`,
    );
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.ppid);
  });

  it('takes over a stale lock whose process is gone, and reports the previous owner', () => {
    const dir = freshDir();
    const pid = deadPid();
    plantLock(dir, { pid });
    const lock = acquireRunLock({ dir, flag: '--out' });
    expect(lock.previous?.pid).toBe(pid);
    expect(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it.skipIf(process.platform !== 'linux')(
    'takes over a lock whose pid now belongs to a process started after it (a reboot; Linux only: start times)',
    () => {
      const dir = freshDir();
      plantLock(dir, { pid: process.ppid, started: '2000-01-01T00:00:00.000Z' });
      const lock = acquireRunLock({ dir, flag: '--out' });
      expect(lock.previous?.pid).toBe(process.ppid);
      lock.release();
    },
  );

  it("never takes over another host's lock: the message says how to remove it", () => {
    const dir = freshDir();
    plantLock(dir, { pid: deadPid(), host: 'elsewhere.example', started: '2026-01-01T00:00:00.000Z' });
    expect(lockError(dir).message).toContain(
      `on elsewhere.example, started 2026-01-01T00:00:00.000Z); this host cannot check whether it still runs: if it does not, delete ${path.join(dir, LOCK_FILE)}`,
    );
  });

  it('an unreadable lock is a run starting up while fresh, and stale once old', () => {
    const dir = freshDir();
    const file = path.join(dir, LOCK_FILE);
    fs.writeFileSync(file, '');
    expect(lockError(dir).message).toContain('the run directory is locked by a run that is starting');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const lock = acquireRunLock({ dir, flag: '--out' });
    expect(lock.previous).toBeNull();
    lock.release();
  });

  it("a release does not delete a lock that is no longer this one's", () => {
    const dir = freshDir();
    const lock = acquireRunLock({ dir, flag: '--out' });
    const theirs = plantLock(dir, { pid: process.ppid, token: 'theirs' });
    lock.release();
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).toBe(theirs);
  });

  it('something else named run.lock (a directory) is refused with what to remove', () => {
    const dir = freshDir();
    fs.mkdirSync(path.join(dir, LOCK_FILE));
    expect(lockError(dir).message).toBe(
      `--out ${dir}: ${path.join(dir, LOCK_FILE)} is in the way of the run's lock file (it is not a regular file); remove it`,
    );
  });

  it('a takeover marker left by a process that died while taking over is cleared', () => {
    const dir = freshDir();
    plantLock(dir, { pid: deadPid() });
    const marker = path.join(dir, `${LOCK_FILE}.takeover`);
    fs.writeFileSync(marker, '1\n');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(marker, old, old);
    const lock = acquireRunLock({ dir, flag: '--out' });
    expect(fs.existsSync(marker)).toBe(false);
    lock.release();
  });

  it('a process that saw a stale lock does not remove the lock another process has taken over since', () => {
    const dir = freshDir();
    const file = path.join(dir, LOCK_FILE);
    const stale = plantLock(dir, { pid: deadPid() });
    // Meanwhile another process took it over.
    const theirs = plantLock(dir, { pid: process.ppid, token: 'theirs' });
    expect(takeOver(file, stale, 'mine\n', { dir, flag: '--out' })).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe(theirs);
    // While a takeover is under way (its marker exists), others wait instead of taking over.
    fs.writeFileSync(path.join(dir, `${LOCK_FILE}.takeover`), '1\n');
    expect(takeOver(file, theirs, 'mine\n', { dir, flag: '--out' })).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe(theirs);
  });

  it('of several processes racing for one stale lock, exactly one wins', async () => {
    const dir = freshDir();
    plantLock(dir, { pid: deadPid() });
    const script = await bundleScript(
      `import { acquireRunLock } from './src/cli/run_lock.ts';
       while (Date.now() < Number(process.argv[3])) {} // all start together
       try { acquireRunLock({ dir: process.argv[2], flag: '--out' }); console.log('won'); }
       catch (e) { console.log('lost: ' + e.message); }
       process.stdin.resume(); // hold the lock (if won) until the test closes stdin
       process.stdin.on('end', () => process.exit(0));`,
      path.join(tmp, 'race.mjs'),
    );
    const startAt = String(Date.now() + 2000);
    const children = Array.from({ length: 4 }, () =>
      spawn(process.execPath, [script, dir, startAt], { stdio: ['pipe', 'pipe', 'inherit'] }),
    );
    const results = await Promise.all(
      children.map(
        (child) =>
          new Promise<string>((resolve) => {
            let out = '';
            child.stdout.on('data', (chunk: Buffer) => {
              out += chunk;
              if (out.includes('\n')) resolve(out.trim());
            });
          }),
      ),
    );
    for (const child of children) child.stdin.end();
    await Promise.all(children.map((child) => new Promise((resolve) => child.on('close', resolve))));
    expect(
      results.filter((r) => r === 'won'),
      results.join('\n'),
    ).toHaveLength(1);
    for (const r of results.filter((r) => r !== 'won')) {
      // A loser may look while the winner's lock file is still being written (a busy machine makes that
      // window wide): then it is refused as locked by a run that is starting, which is as correct.
      expect(r).toMatch(
        /^lost: --out .*: (another training is writing this run directory \(pid \d+ on |the run directory is locked by a run that is starting)/,
      );
    }
  });
});
