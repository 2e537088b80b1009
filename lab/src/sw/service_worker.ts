/**
 * The lab's service worker: once the page has loaded, it reloads and works with no network.
 *
 * The build (lab/vite.config.ts, `precacheManifest`) emits this file as `sw.js` at the root of
 * dist/lab/ and writes the list of the build's files into `__PRECACHE__`, so no list is kept by hand
 * and each build is a new worker with its own cache. Strategies:
 * - the page itself (navigations, index.html): network first, so a new build is picked up when
 *   online; the cached copy when the network fails;
 * - everything else of ours (hashed assets: scripts, the lab worker, CSS, the font, the MNIST
 *   asset): cache first, since a hashed name never changes content.
 * Cached responses keep the server's headers, COOP/COEP/CORP included, so the page served offline
 * is still cross-origin isolated (SharedArrayBuffer, WebAssembly threads).
 *
 * Plain DOM-lib types: the lab's tsconfig has no WebWorker lib (it conflicts with DOM), so the few
 * service-worker types used are declared here.
 */

interface ExtendableEvent extends Event {
  waitUntil(work: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface ServiceWorkerScope {
  readonly registration: { readonly scope: string };
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

/** Replaced at build time by the build's file names, relative to dist/lab/ (sw.js excepted). */
declare const __PRECACHE__: { version: string; files: string[] };

const scope = self as unknown as ServiceWorkerScope;
const manifest = __PRECACHE__;
const CACHE_PREFIX = 'descent-lab-';
const CACHE = `${CACHE_PREFIX}${manifest.version}`;
/** The page's URL without a file name (`/`): what a navigation asks for. */
const ROOT = new URL('./', scope.registration.scope).href;
const INDEX = new URL('./index.html', scope.registration.scope).href;

scope.addEventListener('install', (event) => {
  const urls = [ROOT, ...manifest.files.map((file) => new URL(file, scope.registration.scope).href)];
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(urls))
      .then(() => scope.skipWaiting()),
  );
});

// An older build's cache is dropped once this build's worker takes over.
scope.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== CACHE).map((n) => caches.delete(n)),
        ),
      )
      .then(() => scope.clients.claim()),
  );
});

scope.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !request.url.startsWith(scope.registration.scope)) return;
  const page = request.mode === 'navigate' || request.url === INDEX;
  event.respondWith(page ? networkFirst(request) : cacheFirst(request));
});

/** The page: the network's copy (kept as the offline copy) when it answers, else the cached one. */
async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    const url = request.url.split('?', 1)[0];
    if (response.ok && (url === ROOT || url === INDEX)) await cache.put(ROOT, response.clone());
    return response;
  } catch (error) {
    const cached = (await cache.match(ROOT)) ?? (await cache.match(INDEX));
    if (cached) return cached;
    throw error;
  }
}

/** A hashed asset: the cached copy; one the list missed is fetched and kept. */
async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
