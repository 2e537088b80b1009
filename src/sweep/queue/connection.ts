/**
 * Reaching Redis: the queue's URL checked, and BullMQ and ioredis loaded only here, lazily, so that a
 * sweep without `--queue` (and every other command) runs without either package installed. They are
 * optional peer dependencies of the published package; a missing one is bad input (exit 2) with the
 * command that installs it, not a bug.
 *
 * URLs: `redis://[user:password@]host[:port][/db]`, or `rediss://…` for TLS (ioredis parses both; a
 * password with `@`, `:` or `/` is percent-encoded, `p%40ss` for `p@ss`). ioredis is handed the URL
 * itself, so what it accepts is what the README documents.
 */
import type * as BullMQ from 'bullmq';
import type { Redis as RedisClient, RedisOptions } from 'ioredis';
import { UsageError } from '../../cli/exit_codes.js';

export type { RedisClient };
export type BullModule = typeof BullMQ;

/** What a queue URL says, as ioredis read it (the password is never kept here: only whether there is one). */
export interface QueueAddress {
  host: string;
  port: number;
  db: number;
  tls: boolean;
  username?: string;
  hasPassword: boolean;
}

const SCHEMES = ['redis:', 'rediss:'];

/** Refuses anything but a `redis://` or `rediss://` URL with a host, naming the flag. */
export function checkQueueUrl(url: string, flag = '--queue'): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      `${flag} '${redact(url)}' is not a URL; accepted: redis://host:port or rediss://user:password@host:port (TLS)`,
    );
  }
  if (!SCHEMES.includes(parsed.protocol) || parsed.hostname === '') {
    throw new UsageError(
      `${flag} '${redact(url)}' must be a redis:// or rediss:// (TLS) URL with a host, such as redis://127.0.0.1:6379`,
    );
  }
}

/** The URL as given, its password replaced by `***`, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@]*@/i, '$1:***@');
}

/** Loads a package of the queue path, or says how to install it (exported for its test). */
export async function importOptional<T>(name: 'bullmq' | 'ioredis', load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new UsageError(
        `--queue needs the optional packages bullmq and ioredis (${name} is missing): npm install bullmq ioredis`,
      );
    }
    throw error;
  }
}

export function loadBullmq(): Promise<BullModule> {
  return importOptional('bullmq', () => import('bullmq'));
}

type RedisConstructor = new (url: string, options: RedisOptions) => RedisClient;

async function loadRedis(): Promise<RedisConstructor> {
  const mod = await importOptional('ioredis', () => import('ioredis'));
  return mod.Redis as unknown as RedisConstructor;
}

/**
 * A new ioredis client for `url`, one per BullMQ object (a worker blocks on its own). Commands wait
 * through a Redis restart instead of failing (`maxRetriesPerRequest: null`, which BullMQ requires),
 * and connection errors go to `onError` instead of crashing the process as unhandled events.
 */
export async function connectRedis(
  url: string,
  onError: (error: Error) => void = () => {},
): Promise<RedisClient> {
  checkQueueUrl(url);
  const Redis = await loadRedis();
  const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  client.on('error', onError);
  return client;
}

/**
 * Fails fast, as bad input, when Redis cannot be reached at start (a wrong host, port or password):
 * the clients that follow wait through an outage instead, which is right mid-sweep but would leave a
 * mistyped `--queue` hanging in silence.
 */
export async function checkReachable(url: string, timeoutMs = 10_000): Promise<void> {
  checkQueueUrl(url);
  const Redis = await loadRedis();
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new UsageError(
      `cannot reach Redis at ${redact(url)} (${(error as Error).message}); start redis-server there, or check the host, port and password of --queue`,
    );
  } finally {
    client.disconnect();
  }
}

/**
 * `log` for errors, each message at most once in `ms`: a Redis that is away fails every lock renewal
 * and reconnection, many times a second, with the same words.
 */
export function onceIn(ms: number, log: (message: string) => void): (error: Error) => void {
  const last = new Map<string, number>();
  return (error) => {
    const now = Date.now();
    if (now - (last.get(error.message) ?? Number.NEGATIVE_INFINITY) < ms) return;
    last.set(error.message, now);
    log(error.message);
  };
}

/** How ioredis reads `url`, without connecting (for messages, and for the tests of URL parsing). */
export async function queueAddress(url: string): Promise<QueueAddress> {
  checkQueueUrl(url);
  const Redis = await loadRedis();
  const client = new Redis(url, { lazyConnect: true });
  const o = client.options;
  client.disconnect();
  return {
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 6379,
    db: o.db ?? 0,
    tls: o.tls !== undefined,
    ...(o.username ? { username: o.username } : {}),
    hasPassword: typeof o.password === 'string' && o.password !== '',
  };
}
