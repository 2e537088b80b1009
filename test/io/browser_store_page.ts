// The page of test/io/browser_store.test.ts: the library's public API (src/index.ts, bundled for the
// browser by the test) on `globalThis.descent`, for the test's page.evaluate calls.
import * as descent from '../../src/index.js';

(globalThis as unknown as { descent: typeof descent }).descent = descent;
document.title = 'descent browser store';
