/**
 * A trial's run directory across the queue: the worker reads every regular file under it into the
 * job's return value (base64), the sweep process writes them back under `trials/<id>/`. Machines share
 * nothing but Redis, so this is how the weights, metrics and report reach the sweep directory.
 *
 * The sweep side trusts nothing it did not write: a path must be relative, `/`-separated, made of
 * plain names (no `..`, no absolute path, no backslash or control character), and the whole is
 * written into a fresh directory that then replaces the trial's, so a half-written directory is never
 * left in place of a whole one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FormatError } from '../../io/format_error.js';
import type { TransferredFile } from './protocol.js';

/** The run directory is larger than the queue carries: the message names both sizes and the flag. */
export class TransferTooLargeError extends Error {
  override name = 'TransferTooLargeError';
}

const MB = 1024 * 1024;

/** Every regular file under `dir` (symbolic links and other special files are not followed). */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

/**
 * The files of `dir`, at most `maxBytes` in all; over that, a TransferTooLargeError that says how
 * large the directory is (the largest file by name) and how to raise the limit.
 */
export function packRunDir(dir: string, maxBytes: number): TransferredFile[] {
  const files = listFiles(dir).map((rel) => ({ rel, size: fs.statSync(path.join(dir, rel)).size }));
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total > maxBytes) {
    const largest = files.reduce((a, b) => (b.size > a.size ? b : a));
    throw new TransferTooLargeError(
      `the run directory is ${(total / MB).toFixed(1)} MB (${largest.rel}: ${(largest.size / MB).toFixed(1)} MB), over the ${(maxBytes / MB).toFixed(0)} MB a worker sends back through the queue; raise it with descent worker --max-result-mb (up to 256) or run this sweep without --queue`,
    );
  }
  return files.map((f) => ({
    path: f.rel,
    base64: fs.readFileSync(path.join(dir, f.rel)).toString('base64'),
  }));
}

const SAFE_PART = /^[A-Za-z0-9_.+-]+$/;

/** Refuses a path that could leave the trial's directory, naming it. */
function checkRelPath(rel: unknown, source: string): string {
  const ok =
    typeof rel === 'string' &&
    rel.length <= 255 &&
    rel.split('/').every((part) => SAFE_PART.test(part) && part !== '.' && part !== '..');
  if (!ok) {
    throw new FormatError(
      source,
      `${source}: file path ${JSON.stringify(rel)} is not a plain relative path inside the run directory`,
    );
  }
  return rel;
}

/**
 * Writes `files` as the whole content of `dir` (replacing what was there), checking every path first;
 * `source` names the job in messages.
 */
export function unpackRunDir(files: readonly TransferredFile[], dir: string, source: string): void {
  if (!Array.isArray(files)) throw new FormatError(source, `${source}: expected a list of files`);
  const checked = files.map((f) => {
    const rel = checkRelPath(f?.path, source);
    if (typeof f.base64 !== 'string') {
      throw new FormatError(source, `${source}: file ${rel} has no base64 content`);
    }
    return { rel, bytes: Buffer.from(f.base64, 'base64') };
  });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const fresh = fs.mkdtempSync(`${dir}.incoming-`);
  try {
    for (const { rel, bytes } of checked) {
      const target = path.join(fresh, ...rel.split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, bytes);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(fresh, dir);
  } catch (error) {
    fs.rmSync(fresh, { recursive: true, force: true });
    throw error;
  }
}
