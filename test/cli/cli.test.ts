import { describe, expect, it, vi } from 'vitest';
import { buildProgram, main } from '../../src/cli/main.js';
import { gradRules } from '../../src/index.js';

function capture(fn: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return fn()
    .finally(() => {
      log.mockRestore();
      write.mockRestore();
    })
    .then(() => lines.join('\n'));
}

describe('descent CLI', () => {
  it('prints its help when run without a command (npm start)', async () => {
    const out = await capture(() => main(['node', 'descent']));
    expect(out).toContain('Usage: descent');
    expect(out).toContain('info');
  });

  it('info --json lists the backend and every differentiable primitive', async () => {
    const out = await capture(() => main(['node', 'descent', 'info', '--json']));
    const info = JSON.parse(out) as { backend: string; primitives: string[]; version: string };
    expect(info.backend).toBe('wasm');
    expect(info.primitives).toEqual(Object.keys(gradRules));
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('rejects an unknown command with a message naming it', async () => {
    const program = buildProgram().exitOverride();
    let stderr = '';
    program.configureOutput({
      writeErr: (s) => {
        stderr += s;
      },
      writeOut: () => {},
    });
    await expect(program.parseAsync(['node', 'descent', 'tarin'])).rejects.toThrow();
    expect(stderr).toContain("unknown command 'tarin'");
  });
});
