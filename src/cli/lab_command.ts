/**
 * `descent lab [--port N] [--host H]`: serves the built browser lab (`dist/lab/`, made by `npm run
 * build`) until Ctrl-C or SIGTERM. Thin: it parses the flags, starts `startLabServer` and prints the
 * URL; the headers, MIME types and path checks live in lab_server.ts.
 */
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { UsageError } from './exit_codes.js';
import { startLabServer } from './lab_server.js';
import { parseCountIn } from './parse.js';

export const LAB_DEFAULTS = { host: '127.0.0.1', port: 5178 } as const;

/**
 * The package's built lab. From src/cli/ (the repository, tests) and from dist/cli/ (an installed
 * package) alike, two levels up is the package root, as main.ts finds package.json.
 */
export function defaultLabRoot(): string {
  return fileURLToPath(new URL('../../dist/lab/', import.meta.url));
}

interface LabFlags {
  port: number;
  host: string;
  root?: string;
}

export function labCommand(): Command {
  return new Command('lab')
    .description('serve the interactive browser lab (built into dist/lab/ by `npm run build`)')
    .option(
      '--port <n>',
      'port to listen on; 0 picks any free port',
      parseCountIn(0, 65535),
      LAB_DEFAULTS.port,
    )
    .option('--host <address>', 'interface to listen on (0.0.0.0: every interface)', LAB_DEFAULTS.host)
    .option('--root <dir>', "serve this built lab folder instead of the package's dist/lab/")
    .action((flags: LabFlags) => serveLab(flags));
}

async function serveLab(flags: LabFlags): Promise<void> {
  if (flags.host.trim() === '') throw new UsageError('--host: empty; give an address such as 127.0.0.1');
  const server = await startLabServer({
    root: flags.root ?? defaultLabRoot(),
    host: flags.host,
    port: flags.port,
  });
  console.log(`descent lab: ${server.url}`);
  if (!isLoopback(flags.host)) console.log(INSECURE_NOTE);
  const signal = await nextStopSignal();
  await server.close();
  console.log(`descent lab: stopped (${signal})`);
}

/**
 * Browsers grant cross-origin isolation (and so WebAssembly threads) only to secure contexts; over
 * plain http that means localhost alone.
 */
const INSECURE_NOTE =
  'note: over plain http only localhost is a secure context; from other machines the lab runs without threads (serve it over https for those)';

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Resolves with the first SIGINT or SIGTERM, taking over their default (exit at once) meanwhile. */
function nextStopSignal(): Promise<NodeJS.Signals> {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      for (const s of signals) process.off(s, stop);
      resolve(signal);
    };
    for (const s of signals) process.on(s, stop);
  });
}
