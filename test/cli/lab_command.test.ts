/**
 * `descent lab` and its server: cross-origin isolation headers on every response, MIME types, 404s,
 * no way out of the lab folder, and exit code 2 with a message for a bad port, a port in use, a
 * missing build or an unknown option; in a child process, the real port printed and a clean stop.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLabRoot } from '../../src/cli/lab_command.js';
import { type LabServer, startLabServer } from '../../src/cli/lab_server.js';
import { bundleCli, runChild } from './cli_process.js';
import { runCli } from './run_cli.js';

const SECRET = 'outside the lab folder';
let tmp: string;
let root: string;
let server: LabServer;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-lab-'));
  root = path.join(tmp, 'lab');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>fake lab</title>');
  fs.writeFileSync(path.join(root, 'assets', 'kernels.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'export const lab = 1;\n');
  fs.writeFileSync(path.join(root, 'assets', 'font.woff2'), 'wOF2');
  server = await startLabServer({ root, host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: unlike fetch, http.request sends the path as written (`/../x` stays `/../x`). */
function request(base: string, pathname: string, method = 'GET'): Promise<Reply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: pathname, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const get = (pathname: string, method?: string) => request(server.url, pathname, method);

function expectIsolated(headers: http.IncomingHttpHeaders): void {
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
  expect(headers['cross-origin-resource-policy']).toBe('same-origin');
}

describe('the lab server', () => {
  it('serves index.html at / as HTML, cross-origin isolated', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('fake lab');
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expectIsolated(r.headers);
  });

  it.each([
    ['/assets/kernels.wasm', 'application/wasm'],
    ['/assets/app.js', 'text/javascript'],
    ['/assets/font.woff2', 'font/woff2'],
  ])('serves %s as %s with the isolation headers', async (pathname, type) => {
    const r = await get(pathname);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(type);
    expectIsolated(r.headers);
  });

  it('answers 404, still isolated, for a file that is not part of the build', async () => {
    const r = await get('/assets/missing.js');
    expect(r.status).toBe(404);
    expect(r.body).toContain('/assets/missing.js is not part of the lab build');
    expectIsolated(r.headers);
  });

  it.each([
    '/../package.json',
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
  ])('refuses the traversal %s with 403', async (pathname) => {
    const r = await get(pathname);
    expect(r.status).toBe(403);
    expect(r.body).toContain('forbidden: the path leaves the lab folder');
    expect(r.body).not.toContain(SECRET);
    expectIsolated(r.headers);
  });

  it('refuses a malformed percent-encoding with 400', async () => {
    const r = await get('/%E0%A4%A');
    expect(r.status).toBe(400);
    expect(r.body).toContain('malformed percent-encoding');
  });

  it('allows only GET and HEAD', async () => {
    const r = await get('/', 'POST');
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, HEAD');
    expect(r.body).toContain('POST is not allowed');
  });

  it('close() frees the port even with a keep-alive connection open', async () => {
    const own = await startLabServer({ root, host: '127.0.0.1', port: 0 });
    const agent = new http.Agent({ keepAlive: true });
    const { port } = new URL(own.url);
    await new Promise<void>((resolve, reject) => {
      http
        .get({ hostname: '127.0.0.1', port, path: '/', agent }, (res) => res.resume().on('end', resolve))
        .on('error', reject);
    });
    await own.close();
    const again = await startLabServer({ root, host: '127.0.0.1', port: Number(port) });
    expect(again.url).toBe(own.url);
    await again.close();
    agent.destroy();
  });

  it('refuses a folder without index.html, saying to build', async () => {
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    await expect(startLabServer({ root: empty, host: '127.0.0.1', port: 0 })).rejects.toThrow(
      `the lab is not built: ${path.join(empty, 'index.html')} is missing; run \`npm run build\``,
    );
  });
});

describe('descent lab', () => {
  it('finds the lab in the package: dist/lab/ next to src/ or dist/cli/', () => {
    const repo = fileURLToPath(new URL('../..', import.meta.url));
    expect(defaultLabRoot()).toBe(path.join(repo, 'dist', 'lab') + path.sep);
  });

  it('exits 2 naming the port, and suggests --port, when the port is in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const r = await runCli(['lab', '--root', root, '--port', String(port)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--port ${port}: 127.0.0.1:${port} is already in use`);
      expect(r.stderr).toContain('choose another with --port N, or --port 0 for any free port');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('exits 2 saying to run npm run build when the build is missing', async () => {
    const r = await runCli(['lab', '--root', path.join(tmp, 'nowhere'), '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(tmp, 'nowhere', 'index.html')} is missing`);
    expect(r.stderr).toContain('run `npm run build`');
  });

  it.each(['abc', '-1', '65536', '1.5'])('exits 2 naming --port for the bad port %s', async (port) => {
    const r = await runCli(['lab', '--root', root, '--port', port]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`option '--port <n>' argument '${port}' is invalid`);
  });

  it('exits 2 for an empty --host', async () => {
    const r = await runCli(['lab', '--root', root, '--port', '0', '--host', ' ']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--host: empty; give an address such as 127.0.0.1');
  });

  it('refuses an unknown option', async () => {
    const r = await runCli(['lab', '--root', root, '--prot', '8080']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--prot'");
  });
});

describe('descent lab in a process', () => {
  let cli: string;
  beforeAll(async () => {
    cli = await bundleCli();
  });
  afterAll(() => fs.rmSync(cli, { force: true }));

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '--port 0 prints the real port, serves there, and stops cleanly on %s',
    async (signal) => {
      let served: Promise<Reply> | undefined;
      const run = await runChild({
        script: cli,
        args: ['lab', '--root', root, '--port', '0'],
        timeoutMs: 30_000,
        onLine: (line, child) => {
          // Only the line that announces the URL starts the request (this is a line callback, not a test).
          const url = /^descent lab: (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line)?.[1];
          if (url) {
            served = request(url, '/assets/kernels.wasm');
            served.finally(() => child.kill(signal));
          }
        },
      });
      const port = Number(/127\.0\.0\.1:(\d+)\//.exec(run.stdout)?.[1]);
      expect(port).toBeGreaterThan(0);
      expect(run.stdout).not.toContain(':5178/');
      expect((await served)?.headers['content-type']).toBe('application/wasm');
      expect(run.stdout).toContain(`descent lab: stopped (${signal})`);
      expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({
        code: 0,
        signal: null,
        stderr: '',
      });
    },
  );
});
