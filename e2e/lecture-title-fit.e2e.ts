import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { answerWith, clickStep, lessonFinished, questionWaiting, showSteps, startFromChooser, waitVerdict } from './lesson-driver';
import { openAtProjector, pidsOnPage, stepUntil } from './page-driver';
import { procStartTime } from './proc-facts';
import { useServedBrowser } from './served-browser-suite';
import { sideTabsCut } from './side-tabs-reach';

/*
 * Lecture mode on a 1280x720 projector, English, both themes, with a lesson
 * whose title is long ("A shared file: mmap and a file lock") and a prediction
 * verdict open: the title must not run under the "Show all descriptors"
 * toggle (it truncates, its tooltip whole), and the side column's tabs stay
 * whole, none scrolled out of view ("Steps" read as "eps").
 */

const LESSON = 'mmap-lock';

const { shots: SHOTS, seen, served } = useServedBrowser('lecture-fit');

/** Boxes of the title and the toggle, and every scrolled ancestor of the side tabs. */
function measure(page: Page) {
  return page.evaluate(() => {
    const h1 = document.querySelector('.lesson-title h1')!;
    const toggle = document.querySelector('[data-testid="show-all"]')!.closest('label')!;
    const bar = document.querySelector<HTMLElement>('.side-tabs .tab-bar')!;
    const scrolled: string[] = [];
    // scrollIntoView (the step list's and code pane's current line) also scrolls overflow:hidden boxes: none may be moved
    for (let el: HTMLElement | null = bar; el; el = el.parentElement) {
      if (el.scrollLeft !== 0) scrolled.push(`${el.className}: scrollLeft ${el.scrollLeft}`);
      if (el.scrollTop !== 0) scrolled.push(`${el.className}: scrollTop ${el.scrollTop}`);
    }
    const steps = document.querySelector('[data-testid="tab-steps"]')!.getBoundingClientRect();
    const side = document.querySelector('.side')!.getBoundingClientRect();
    // a tab on a row below the window's bottom edge cannot be clicked
    const below = [...bar.querySelectorAll<HTMLElement>('[role="tab"]')]
      .filter((tab) => tab.getBoundingClientRect().bottom > Math.min(window.innerHeight, side.bottom) + 1)
      .map((tab) => `${tab.dataset.testid}: bottom ${Math.round(tab.getBoundingClientRect().bottom)} of ${Math.round(Math.min(window.innerHeight, side.bottom))}`);
    return {
      below,
      titleRight: h1.getBoundingClientRect().right,
      toggleLeft: toggle.getBoundingClientRect().left,
      titleTooltip: h1.getAttribute('title'),
      titleText: h1.textContent,
      scrolled,
      stepsInside: steps.left >= side.left - 1 && steps.right <= side.right + 1,
    };
  });
}

describe('lecture mode at 1280x720 with a verdict open', () => {
  it('no lesson title runs under the toggle, whatever its length and parameters', async () => {
    const { browser, web } = served();
    const page = await openAtProjector(browser, web.url);
    try {
      await page.getByTestId('language').selectOption('en');
      await page.locator('[data-testid^="lesson-card-"]').first().waitFor({ timeout: 15_000 });
      const ids = (await page.locator('[data-testid^="lesson-card-"]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-testid') ?? ''))).map((id) =>
        id.replace('lesson-card-', ''),
      );
      await page.getByTestId('lecture').click();
      await page.waitForFunction(() => document.documentElement.dataset.lecture === 'true');
      const crowded: string[] = [];
      for (const id of ids) {
        await startFromChooser(page, id);
        for (const pid of await pidsOnPage(page)) {
          const start = procStartTime(pid);
          if (start !== null) seen.set(pid, start);
        }
        await page.locator('.stage-top').screenshot({ path: join(SHOTS, `${id}-title-lecture.png`) });
        const m = await measure(page);
        if (m.titleRight > m.toggleLeft) crowded.push(`${id}: title ends at ${Math.round(m.titleRight)}, toggle starts at ${Math.round(m.toggleLeft)}`);
        if (m.titleTooltip !== m.titleText) crowded.push(`${id}: the title's tooltip is not the whole title`);
      }
      expect(crowded).toEqual([]);
    } finally {
      await page.getByTestId('lesson-picker').selectOption('').catch(() => undefined);
      await page.close();
    }
  }, 300_000);

  it('keeps the lesson title clear of the toggle and every side tab whole, in both themes', async () => {
    const { browser, web } = served();
    const page = await openAtProjector(browser, web.url);
    try {
      await page.getByTestId('language').selectOption('en');
      await startFromChooser(page, LESSON);
      await page.getByTestId('lecture').click();
      await page.waitForFunction(() => document.documentElement.dataset.lecture === 'true');
      await showSteps(page);
      await stepUntil(page, () => questionWaiting(page), 'a question');
      for (const pid of await pidsOnPage(page)) {
        const start = procStartTime(pid);
        if (start !== null) seen.set(pid, start);
      }
      await answerWith(page, 1);
      await waitVerdict(page);
      // a few steps more with the verdict open: the step list follows its current step in the small room left
      for (let i = 0; i < 3 && !(await questionWaiting(page)) && !(await lessonFinished(page)); i += 1) await clickStep(page);
      for (const theme of ['dark', 'light'] as const) {
        for (let i = 0; i < 2 && (await page.evaluate(() => document.documentElement.dataset.theme)) !== theme; i += 1) await page.getByTestId('theme').click();
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        await page.screenshot({ path: join(SHOTS, `${LESSON}-lecture-verdict-${theme}.png`) });
        const m = await measure(page);
        expect(m.titleRight, `${theme}: the title ends before the toggle`).toBeLessThanOrEqual(m.toggleLeft);
        expect(m.titleTooltip).toBe(m.titleText);
        expect(m.scrolled, `${theme}: nothing around the side tabs scrolled sideways`).toEqual([]);
        expect(m.below, `${theme}: every side tab above the window's bottom edge`).toEqual([]);
        expect(m.stepsInside, `${theme}: the Steps tab lies inside the side column`).toBe(true);
        expect(await sideTabsCut(page), `${theme}: every side tab whole`).toEqual([]);
      }
    } finally {
      await page.getByTestId('lesson-picker').selectOption('').catch(() => undefined);
      await page.close();
    }
  }, 300_000);
});
