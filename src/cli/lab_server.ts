/**
 * The static server behind `descent lab` (Node only): it serves a built lab folder (`dist/lab/`) over
 * `node:http` with sirv, and Fashion-MNIST from its optional package when installed (lab_data.ts). Every response carries the headers that make the page cross-origin isolated
 * (COOP same-origin + COEP require-corp), without which browsers withhold SharedArrayBuffer and so
 * the WebAssembly backend's threads. Exported on its own so that tests, and the lab's end-to-end
 * tests, can start it in-process on a free port.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sirv from 'sirv';
import { UsageError } from './exit_codes.js';
import { labDataHandler } from './lab_data.js';

export interface LabServerSpec {
  /** The built lab: a folder holding `index.html` and its assets. */
  root: string;
  /** The interface to listen on; 127.0.0.1 keeps the lab on this machine. */
  host: string;
  /** 0 asks the system for any free port; the URL returned names the real one. */
  port: number;
}

export interface LabServer {
  /** `http://HOST:PORT/`, with the port actually bound. */
  url: string;
  /** Stops listening and closes open (keep-alive) connections. */
  close(): Promise<void>;
}

/**
 * Sent with every response, errors included. COOP + COEP make the page cross-origin isolated; CORP
 * lets the page's own resources load under `require-corp`; nosniff holds browsers to the MIME type.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};

/** Starts serving `spec.root`; resolves once listening. Bad input is a `UsageError` (exit 2). */
export async function startLabServer(spec: LabServerSpec): Promise<LabServer> {
  const root = path.resolve(spec.root);
  checkBuilt(root);
  const server = http.createServer(handler(root));
  await listen(server, spec);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${urlHost(spec.host)}:${port}/`,
    close: () => closeServer(server),
  };
}

/** The lab is built by `npm run build`; without its index.html there is nothing to serve. */
function checkBuilt(root: string): void {
  const index = path.join(root, 'index.html');
  if (!fs.existsSync(index)) {
    throw new UsageError(
      `the lab is not built: ${index} is missing; run \`npm run build\` in the descent folder first`,
    );
  }
}

/** The request handler: method and path checks, then sirv, all under the isolation headers. */
function handler(root: string): http.RequestListener {
  // dev mode stats each file per request, so a rebuild while serving is picked up (the cached
  // mode would send the new file under the old length); ETags keep reloads cheap.
  const serve = sirv(root, { dev: true, etag: true, onNoMatch: notFound });
  // Fashion-MNIST from the optional package, when installed (lab_data.ts).
  const serveData = labDataHandler();
  return (req, res) => {
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) res.setHeader(name, value);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return reply(res, 405, `${req.method} is not allowed: the lab is static (GET, HEAD)`);
    }
    const refusal = unsafePath(req.url ?? '/');
    if (refusal) return reply(res, refusal.status, refusal.text);
    if (serveData(req, res)) return;
    serve(req, res);
  };
}

/**
 * Refuses any path that could leave the lab folder: a `..` segment (also percent-encoded), a
 * backslash or a NUL. sirv checks the resolved path too; this makes the refusal explicit (403).
 */
function unsafePath(url: string): { status: number; text: string } | null {
  const pathname = url.split(/[?#]/, 1)[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 400, text: 'malformed percent-encoding in the path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) {
    return { status: 403, text: 'forbidden: the path leaves the lab folder' };
  }
  return null;
}

function notFound(req: http.IncomingMessage, res: http.ServerResponse): void {
  reply(res, 404, `not found: ${req.url} is not part of the lab build`);
}

function reply(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

/** Binds the port, turning the usual failures into messages that say what to do. */
function listen(server: http.Server, spec: LabServerSpec): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, spec)));
    server.listen(spec.port, spec.host, () => resolve());
  });
}

function listenError(error: NodeJS.ErrnoException, { host, port }: LabServerSpec): Error {
  const at = `${urlHost(host)}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new UsageError(
        `--port ${port}: ${at} is already in use (another descent lab?); choose another with --port N, or --port 0 for any free port`,
      );
    case 'EACCES':
      return new UsageError(
        `--port ${port}: permission denied to listen on ${at} (ports below 1024 need privileges); choose another with --port N`,
      );
    case 'EADDRNOTAVAIL':
      return new UsageError(
        `--host ${host}: not an address of this machine; use 127.0.0.1 (the default) or 0.0.0.0 for every interface`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UsageError(`--host ${host}: the name does not resolve to an address of this machine`);
    default:
      return error;
  }
}

/** An IPv6 literal goes in brackets in a URL. */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // A browser keeps idle connections open; without this, close() would wait for them to time out.
    server.closeAllConnections();
  });
}
