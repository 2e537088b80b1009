/**
 * A misspelt option or command gets commander's nearest suggestion on the error line (issue #17): the
 * CLI used to print only the first line of commander's message, which dropped "(Did you mean …?)". Every
 * command is walked, so a command added later is covered too.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { withSuggestion } from '../../src/cli/suggestions.js';
import { runCli } from './run_cli.js';

/** The command's first long option of at least 6 letters, other than --help and --json. */
function typoTarget(cmd: Command): string | undefined {
  return cmd.options
    .map((o) => o.long)
    .find(
      (l): l is string => !!l && l.length >= 8 && !['--help', '--json'].includes(l) && !l.startsWith('--no-'),
    );
}

/** Swaps two inner letters: `--optimizer` → `--optimzier`. */
const misspell = (flag: string) => `${flag.slice(0, 4)}${flag[5]}${flag[4]}${flag.slice(6)}`;

/** Every command with its path of names from the program. */
function commands(cmd: Command, prefix: string[] = []): { path: string[]; cmd: Command }[] {
  return cmd.commands.flatMap((c) => [
    { path: [...prefix, c.name()], cmd: c },
    ...commands(c, [...prefix, c.name()]),
  ]);
}

describe('unknown options suggest the nearest', () => {
  it('train --optimzer says: did you mean --optimizer?', async () => {
    const r = await runCli(['train', '--optimzer', 'adam']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown option '--optimzer'; did you mean --optimizer?\n");
  });

  const all = commands(buildProgram()).filter(({ cmd }) => typoTarget(cmd) !== undefined);
  it.each(all.map(({ path, cmd }) => [path.join(' '), cmd] as const))(
    '%s suggests its own option',
    async (name, cmd) => {
      const flag = typoTarget(cmd)!;
      const r = await runCli([...name.split(' '), misspell(flag)]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`did you mean ${flag}?`);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  it('covers every command that has options', () => {
    expect(all.map(({ path }) => path.join(' '))).toEqual(
      expect.arrayContaining(['train', 'eval', 'lr-find', 'experiment', 'surface']),
    );
  });

  it('a misspelling is reported before the required options it leaves missing', async () => {
    const r = await runCli(['surface', '--fn', 'quadratic', '--optimzer', 'sgd', '--steps', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown option '--optimzer'; did you mean --optimizer?\n");
    const far = await runCli(['surface', '--fn', 'quadratic', '--zzzzzz']);
    expect(far.stderr).toBe("error: unknown option '--zzzzzz'\n");
    const missing = await runCli(['surface', '--fn', 'quadratic']);
    expect(missing.stderr).toMatch(/^error: required option '--optimizer <name>' not specified/);
  });

  it('a misspelt command suggests the command', async () => {
    const r = await runCli(['trian']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown command 'trian'; did you mean train?\n");
  });

  it('withSuggestion keeps a message without a suggestion on its first line', () => {
    expect(withSuggestion("error: unknown option '--zzz'\n")).toBe("error: unknown option '--zzz'");
    expect(withSuggestion("error: unknown option '--optimzer'\n(Did you mean --optimizer?)")).toBe(
      "error: unknown option '--optimzer'; did you mean --optimizer?",
    );
  });
});
