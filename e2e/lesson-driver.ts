import type { Page } from 'playwright-core';
import { pidsOnPage } from './page-driver';

/* starting from the chooser is shared with the page-level drivers (page-driver.ts) */
export { startFromChooser } from './page-driver';

/**
 * Driving any lesson through the lesson toolkit's UI as a learner does: the
 * chooser, predictions (answered with the number keys), Step, Step back.
 */

const SETTLE_MS = 15_000;
/* a step back starts the lesson's processes again and re-runs its steps: four Node actors and a race take seconds on a loaded 2-core machine */
const STEP_BACK_MS = 60_000;
/** More steps than any lesson has: the loop stops at the lesson's end. */
export const MAX_LESSON_STEPS = 60;

export type Outcome = 'right' | 'wrong';

export interface StepStatuses {
  issued: number;
  running: boolean;
  total: number;
}

export async function stepStatuses(page: Page): Promise<StepStatuses> {
  return page.evaluate(() => {
    const steps = [...document.querySelectorAll('[data-testid^="step-"][data-status]')];
    return {
      issued: steps.filter((s) => s.getAttribute('data-status') !== 'pending').length,
      running: steps.some((s) => s.getAttribute('data-status') === 'running'),
      total: steps.length,
    };
  });
}

/** Waits until the step list shows more than `before` steps issued and none running. */
export async function waitSettled(page: Page, before: number): Promise<void> {
  await page.waitForFunction(
    (count) => {
      const steps = [...document.querySelectorAll('[data-testid^="step-"][data-status]')];
      const issued = steps.filter((s) => s.getAttribute('data-status') !== 'pending').length;
      return issued > count && !steps.some((s) => s.getAttribute('data-status') === 'running');
    },
    before,
    { timeout: SETTLE_MS },
  );
}

/** The steps live on the Steps tab: make sure it is the one shown. */
export async function showSteps(page: Page): Promise<void> {
  await page.getByTestId('tab-steps').click();
  await page.getByTestId('step-list').waitFor();
}

export async function questionWaiting(page: Page): Promise<boolean> {
  return (await page.getByTestId('question-card').count()) > 0;
}

/** Answers the waiting question with key `n` (1-4), which also runs its step; waits for the step to settle. */
export async function answerWith(page: Page, n: number): Promise<void> {
  const { issued } = await stepStatuses(page);
  await page.keyboard.press(String(n));
  await waitSettled(page, issued);
}

/** The verdict the page shows for the latest answered question, once the kernel has judged it. */
export async function waitVerdict(page: Page): Promise<{ outcome: Outcome; correctText: string; evidence: string }> {
  const card = page.locator('[data-testid="verdict-card"][data-outcome="right"], [data-testid="verdict-card"][data-outcome="wrong"]');
  await card.waitFor({ timeout: SETTLE_MS });
  const outcome = (await card.getAttribute('data-outcome')) as Outcome;
  const line = (await page.getByTestId('verdict-line').textContent()) ?? '';
  const evidence = (await page.getByTestId('verdict-evidence').textContent()) ?? '';
  // "... shows “<correct choice>”." (or 「」 in Traditional Chinese)
  const correctText = /[“「](.*)[”」]/.exec(line)?.[1] ?? '';
  return { outcome, correctText, evidence };
}

/** Choice texts of the waiting question, in key order. */
export async function choiceTexts(page: Page): Promise<string[]> {
  return page.locator('[data-testid^="choice-"]').evaluateAll((buttons) => buttons.map((b) => b.querySelector('span')?.textContent ?? ''));
}

/** One Step click (the question, if any, must have been answered). */
export async function clickStep(page: Page): Promise<void> {
  const { issued } = await stepStatuses(page);
  await page.getByTestId('btn-step').click();
  await waitSettled(page, issued);
}

export async function lessonFinished(page: Page): Promise<boolean> {
  const { issued, total, running } = await stepStatuses(page);
  return total > 0 && issued === total && !running;
}

/** Step back once (the button); resolves with the pids drawn before and after the replay. */
export async function stepBackOnce(page: Page): Promise<{ before: number[]; after: number[] }> {
  const before = await pidsOnPage(page);
  await page.getByTestId('btn-step-back').click();
  // Either the engine re-ran the steps, or it refused: then say what it said.
  await page.locator('[data-testid="replayed-banner"], [data-testid="lesson-banner"].banner-error').first().waitFor({ timeout: STEP_BACK_MS });
  if ((await page.getByTestId('replayed-banner').count()) === 0) {
    throw new Error(`step back was refused: ${(await page.getByTestId('lesson-banner').textContent()) ?? ''}`);
  }
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid^="step-"]')].some((s) => s.getAttribute('data-status') === 'running'), undefined, { timeout: SETTLE_MS });
  return { before, after: await pidsOnPage(page) };
}
