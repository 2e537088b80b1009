/** Runs the CLI in-process and captures what it prints and its exit code. */
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  stdout: string;
  stderr: string;
  code: number;
}

export async function runCli(args: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out.push(a.join(' '));
  });
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  process.exitCode = undefined;
  try {
    await main(['node', 'descent', ...args]);
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { stdout: out.join('\n'), stderr: err.join(''), code };
}
