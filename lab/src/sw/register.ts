/**
 * Registers the lab's service worker (service_worker.ts, built as `sw.js`) so that the lab works
 * offline once loaded. Production builds only: under `npm run lab` (Vite's dev server) a cache would
 * serve stale modules. Browsers offer service workers only in secure contexts (https, localhost);
 * elsewhere `navigator.serviceWorker` is absent and the lab simply stays online-only.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !/^https?:$/.test(location.protocol)) return;
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('./sw.js').catch((error: unknown) => {
    // Offline use is a convenience: the lab works without it, so a warning, not an error.
    console.warn(`descent lab: no offline copy (service worker not registered): ${String(error)}`);
  });
}
