/** Chromium's path: $CHROMIUM, else the first of chromium, chromium-browser, google-chrome(-stable) on the PATH. */
export function findChromium(): string | null;
