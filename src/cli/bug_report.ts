/**
 * The text the CLI prints for an internal error (exit code 1): an error no command turned into a
 * `UsageError` is a bug in descent, not in the user's input, so the message says so and carries what a
 * maintainer needs to reproduce it — the command line, descent's and Node's versions, the platform and
 * the first frames of the stack — and where to send it.
 */

/** How many stack frames the report keeps: enough to find the throwing function and its caller. */
const FRAMES = 8;

const REPORT_TO = "descent's issue tracker";

interface BugContext {
  /** The arguments after `node descent` (process.argv.slice(2)). */
  args: readonly string[];
  version: string;
}

/** Quotes an argument the way a shell would need it, so the command line can be pasted back. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function bugReport(error: unknown, context: BugContext): string {
  const e = error instanceof Error ? error : new Error(String(error));
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, FRAMES)
    .map((line) => `    ${line.trim()}`);
  return [
    `descent: internal error (this is a bug): ${e.name}: ${e.message.split('\n')[0]}`,
    `  command: descent ${context.args.map(shellQuote).join(' ')}`,
    `  descent ${context.version}, Node ${process.version}, ${process.platform}-${process.arch}`,
    ...(frames.length > 0 ? ['  stack:', ...frames] : []),
    `Please report it, with these lines, to ${REPORT_TO}.`,
    '',
  ].join('\n');
}
