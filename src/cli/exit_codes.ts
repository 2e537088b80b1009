/**
 * The CLI's exit-code contract (README, "Exit codes"), one error class per outcome other than success:
 *
 * | code | meaning | thrown as |
 * | --- | --- | --- |
 * | 0 | success | — |
 * | 2 | bad input: flags, files, configurations, incompatible checkpoints, data | `UsageError` |
 * | 3 | training diverged (the last good checkpoint is kept) | `DivergedError` |
 * | 1 | an internal error: a bug, printed with "this is a bug" and its context | anything else |
 *
 * Library errors that describe bad input (a `FormatError` from a parser, for example) are turned into
 * `UsageError`s by the command that read the input, so that the message can name the flag or file.
 */

export const EXIT = { ok: 0, internal: 1, usage: 2, diverged: 3 } as const;

/** Bad input: the CLI prints the message on one line and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Training diverged: the CLI prints the message and exits with code 3. */
export class DivergedError extends Error {
  override name = 'DivergedError';
}
