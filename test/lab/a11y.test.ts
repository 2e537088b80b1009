/**
 * The lab for keyboard and screen-reader users, and on a phone (issue #14: "keyboard accessible
 * (sliders and buttons reachable and labelled); usable on a laptop screen and readable on a
 * phone"), for each of the five panels:
 * - every input, select, textarea and button has an accessible name (aria-labelledby, aria-label,
 *   a <label>, a button's text or a title: the sources of the accessible-name computation the lab
 *   uses);
 * - Tab from the top of the page reaches the panel tabs, the language switch and the panel's first
 *   slider (its first control where it has no slider);
 * - a slider moves with the arrow keys, and the URL follows;
 * - at 390×844 (a phone) the page does not scroll sideways and the figures are on screen.
 */
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, NO_BROWSER } from './harness.js';
import { type LabCopy, serveLabCopy } from './lab_copy.js';

const PANELS = ['paths', 'lr', 'init', 'playground', 'experiments'] as const;
/** The panels with a range slider (the others take numbers in text fields). */
const WITH_SLIDERS = ['paths', 'lr', 'init'] as const;
/** The tabs, the language switch and the panel's first slider (or first control) are reached within. */
const MAX_TABS = 80;
const PHONE = { width: 390, height: 844 };
/** The experiments panel draws figures once an experiment ran: a small one. */
const EXPERIMENT = { surfaces: ['rosenbrock'], optimizers: ['sgd'], steps: { rosenbrock: 30 } };
const QUERY: Partial<Record<string, string>> = {
  experiments: `&name=optimizers-2d&options=${encodeURIComponent(JSON.stringify(EXPERIMENT))}`,
};

interface Lab {
  browser: Browser;
  server: LabCopy;
  /** Errors the pages logged, and uncaught exceptions, prefixed with the panel: a spec expects none. */
  errors: string[];
}

/** One Chromium for the spec, on a private copy of the build (see lab_copy.ts). */
async function openLab(): Promise<Lab> {
  const server = await serveLabCopy();
  const browser = await chromium.launch({
    executablePath: CHROMIUM!,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  return { browser, server, errors: [] };
}

/** Opens `#/<panel>` in a fresh page of the spec's browser and waits for its controls. */
async function openPanel(lab: Lab, panel: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  // No service worker: every page is a fresh context, and precaching the build each time is wasted work.
  const page = await lab.browser.newPage({ viewport, serviceWorkers: 'block' });
  page.on('pageerror', (e) => lab.errors.push(`${panel}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') lab.errors.push(`${panel}: ${m.text()}`);
  });
  await page.goto(`${lab.server.url}#/${panel}?lang=en${QUERY[panel] ?? ''}`);
  await page.locator('main.panel').locator('input, select, textarea, button').first().waitFor();
  return page;
}

/** The form controls with no accessible name, described by tag, type, test id and HTML. */
function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const text = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
    const name = (el: HTMLElement): string => {
      const by = el.getAttribute('aria-labelledby');
      if (by)
        return text(
          by
            .split(/\s+/)
            .map((id) => document.getElementById(id)?.textContent)
            .join(' '),
        );
      const aria = text(el.getAttribute('aria-label'));
      if (aria) return aria;
      const labels = (el as HTMLInputElement).labels;
      const labelled = text(
        Array.from(labels ?? [])
          .map((l) => l.textContent)
          .join(' '),
      );
      if (labelled) return labelled;
      if (el.tagName === 'BUTTON') {
        const content = text(el.textContent);
        if (content) return content;
      }
      return text(el.getAttribute('title'));
    };
    return Array.from(document.querySelectorAll<HTMLElement>('input, select, textarea, button'))
      .filter((el) => (el as HTMLInputElement).type !== 'hidden' && name(el) === '')
      .map((el) => `${el.outerHTML.slice(0, 160)}`);
  });
}

/** Presses Tab from the top of the page; returns what each press focused (test id, or tag and type). */
async function tabOrder(page: Page, targets: string[]): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const reached: string[] = [];
  for (let i = 0; i < MAX_TABS && !targets.every((t) => reached.includes(t)); i++) {
    await page.keyboard.press('Tab');
    reached.push(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return 'body';
        const first = document.querySelector('main.panel input[type=range]');
        const firstControl = document.querySelector(
          'main.panel input, main.panel select, main.panel textarea, main.panel button',
        );
        if (el === first) return 'first-slider';
        if (el === firstControl) return 'first-control';
        return (
          el.getAttribute('data-testid') ?? `${el.tagName.toLowerCase()}:${el.getAttribute('type') ?? ''}`
        );
      }),
    );
  }
  return reached;
}

describe.skipIf(NO_BROWSER)(
  'lab: keyboard, labels and phone layout (skipped: no Chromium; CI installs it)',
  () => {
    let lab: Lab;
    beforeAll(async () => {
      lab = await openLab();
    }, 60_000);
    afterAll(async () => {
      await lab?.browser.close();
      await lab?.server.close();
    });

    describe.each(PANELS)('#/%s', (panel) => {
      let page: Page;
      beforeAll(async () => {
        page = await openPanel(lab, panel);
      }, 30_000);
      afterAll(async () => {
        await page?.close();
      });

      it('names every input, select, textarea and button', async () => {
        expect(await unnamedControls(page)).toEqual([]);
      });

      it("reaches the tabs, the language switch and the panel's first slider (or first control) with Tab", async () => {
        const hasSlider = (await page.locator('main.panel input[type=range]').count()) > 0;
        const targets = [
          ...PANELS.map((id) => `tab-${id}`),
          'lang-switch',
          hasSlider ? 'first-slider' : 'first-control',
        ];
        const reached = await tabOrder(page, targets);
        for (const target of targets) expect(reached, `${target} never focused`).toContain(target);
      }, 30_000);

      it.skipIf(!(WITH_SLIDERS as readonly string[]).includes(panel))(
        'moves its first slider with the arrow keys, and the URL follows (skipped where the panel has no slider)',
        async () => {
          const slider = page.locator('main.panel input[type=range]').first();
          await slider.focus();
          const before = { value: await slider.inputValue(), hash: await page.evaluate(() => location.hash) };
          const atMax = await slider.evaluate((el: HTMLInputElement) => Number(el.value) >= Number(el.max));
          await page.keyboard.press(atMax ? 'ArrowLeft' : 'ArrowRight');
          await expect.poll(() => slider.inputValue()).not.toBe(before.value);
          await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(before.hash);
        },
      );

      it('does not scroll sideways on a 390×844 phone, and shows its figures', async () => {
        const phone = await openPanel(lab, panel, PHONE);
        try {
          if (panel === 'experiments') {
            await phone.getByTestId('experiment-run').click();
            await phone.getByTestId('experiment-figure').first().locator('svg').waitFor({ timeout: 30_000 });
          }
          // Wait for something drawn (a canvas or an SVG in a figure) before measuring the page.
          const drawn = phone.locator(
            'main.panel .figure :is(canvas, svg), main.panel [data-testid=experiment-figure] svg',
          );
          await drawn.first().waitFor({ timeout: 20_000 });
          const width = await phone.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            inner: innerWidth,
          }));
          expect(width.inner).toBe(PHONE.width);
          expect(width.scroll).toBeLessThanOrEqual(width.inner + 1);
          const boxes = await phone
            .locator('main.panel .figure, main.panel [data-testid=experiment-figure]')
            .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
          expect(boxes.length).toBeGreaterThan(0);
          expect(boxes[0]!.width, 'the first figure is hidden or squashed').toBeGreaterThan(200);
          for (const box of boxes) {
            expect(box.left).toBeGreaterThanOrEqual(0);
            expect(box.right).toBeLessThanOrEqual(PHONE.width + 1);
          }
        } finally {
          await phone.close();
        }
      }, 45_000);
    });

    it('logged no errors', () => {
      expect(lab.errors).toEqual([]);
    });
  },
);
