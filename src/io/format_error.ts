/**
 * FormatError: the error every parser of outside bytes and text throws (safetensors, IDX, CSV, training
 * states, configurations) when its input is malformed, truncated, inconsistent or out of bounds. A caller
 * that reads untrusted input can catch exactly this type: anything else escaping a parser is a bug (the
 * fuzz tests in test/io, test/data and test/cli hold every parser to it).
 *
 * `source` names where the input came from (a file path, `<bytes>` when unknown); the message already
 * contains it.
 */
export class FormatError extends Error {
  override name = 'FormatError';
  readonly source: string;

  constructor(source: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.source = source;
  }
}
