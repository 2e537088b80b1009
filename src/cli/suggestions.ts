/**
 * Suggestions for misspelt options and commands (issue #17). Commander already computes them ("(Did
 * you mean --optimizer?)" on a second line of its message); two things hid them: the CLI printed only
 * the first line, and commander reports a missing required option before an unknown one, so
 * `descent surface --fn quadratic --optimzer sgd …` said "required option '--optimizer' not specified"
 * instead of naming the misspelling. `usageErrorLine` fixes both.
 */
import type { Command, CommanderError } from 'commander';

/**
 * Commander's message on one line with its suggestion kept:
 * `error: unknown option '--optimzer'; did you mean --optimizer?`.
 */
export function withSuggestion(message: string): string {
  const [first = '', ...rest] = message.trim().split('\n');
  const hint = rest.map((l) => /^\(Did you mean (.+)\)$/.exec(l.trim())).find((m) => m !== null);
  return hint ? `${first}; did you mean ${hint[1]}` : first;
}

/** Optimal string alignment distance (Levenshtein with adjacent transpositions), as commander uses. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The nearest candidate within commander's limits (distance ≤ 3, over 40% of the word kept), if any. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const c of candidates) {
    const distance = editDistance(word.replace(/^--/, ''), c.replace(/^--/, ''));
    const kept = (Math.max(word.length, c.length) - 2 - distance) / (Math.max(word.length, c.length) - 2);
    if (distance < bestDistance && kept > 0.4) {
      best = c;
      bestDistance = distance;
    }
  }
  return best;
}

/** The subcommand `args` runs (following nested commands) and the words after its name. */
function commandOf(
  program: Command,
  args: readonly string[],
): { cmd: Command; rest: readonly string[] } | undefined {
  let cmd: Command | undefined;
  let i = 0;
  for (let next = program.commands.find((c) => c.name() === args[0]); next; ) {
    cmd = next;
    i += 1;
    next = cmd.commands.find((c) => c.name() === args[i]);
  }
  return cmd && { cmd, rest: args.slice(i) };
}

/** The first `--option` in `args` that `cmd` and its parents do not define (values of options skipped). */
export function firstUnknownOption(cmd: Command, args: readonly string[]): string | undefined {
  const known = new Map<string, { required: boolean }>();
  for (let c: Command | null = cmd; c; c = c.parent)
    for (const o of c.options) for (const name of [o.long, o.short]) if (name) known.set(name, o);
  known.set('--help', { required: false }).set('-h', { required: false });
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return undefined;
    if (!a.startsWith('--')) continue;
    const name = a.split('=')[0]!;
    const option = known.get(name);
    if (option === undefined) return name;
    if (option.required && !a.includes('=')) i += 1; // its value, which may itself start with --
  }
  return undefined;
}

/** The one line for a commander error of `descent ${args}` (see the module comment). */
export function usageErrorLine(program: Command, error: CommanderError, args: readonly string[]): string {
  if (error.code === 'commander.missingMandatoryOptionValue') {
    const found = commandOf(program, args);
    const flag = found && firstUnknownOption(found.cmd, found.rest);
    if (found && flag !== undefined) {
      const longs: string[] = [];
      for (let c: Command | null = found.cmd; c; c = c.parent)
        for (const o of c.options) if (o.long && !o.hidden) longs.push(o.long);
      const hint = nearest(flag, longs);
      return `error: unknown option '${flag}'${hint ? `; did you mean ${hint}?` : ''}`;
    }
  }
  return withSuggestion(error.message);
}
