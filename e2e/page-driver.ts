import type { Page } from 'playwright-core';

/** Driving the lesson through its buttons, as a user would. */

const STEP_SETTLE_MS = 10_000;
const MAX_STEPS = 16;

/** Steps that have left "pending" (issued, running, blocked, done or failed). */
async function issuedSteps(page: Page): Promise<number> {
  return page.locator('[data-testid^="step-"][data-status]:not([data-status="pending"])').count();
}

/** Clicks Step once and waits until the step list shows one more step issued and none running. */
async function clickStep(page: Page): Promise<void> {
  const before = await issuedSteps(page);
  // A waiting prediction holds Step back: answering it (key 1) runs the step.
  if ((await page.getByTestId('question-card').count()) > 0) await page.keyboard.press('1');
  else await page.getByTestId('btn-step').click();
  await page.waitForFunction(
    (count) => {
      const steps = [...document.querySelectorAll('[data-testid^="step-"][data-status]')];
      const issued = steps.filter((s) => s.getAttribute('data-status') !== 'pending').length;
      const running = steps.some((s) => s.getAttribute('data-status') === 'running');
      return issued > count && !running;
    },
    before,
    { timeout: STEP_SETTLE_MS },
  );
}

/** Clicks Step until `condition` holds (checked before each click). */
export async function stepUntil(page: Page, condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let clicks = 0; clicks <= MAX_STEPS; clicks += 1) {
    if (await condition()) return;
    // The picture follows the step list by at most a frame or two.
    await page.waitForTimeout(150);
    if (await condition()) return;
    if (clicks < MAX_STEPS) await clickStep(page);
  }
  throw new Error(`after ${MAX_STEPS} steps the page still does not show ${what}`);
}

/** PIDs of the process nodes currently drawn. */
export async function pidsOnPage(page: Page): Promise<number[]> {
  const ids = await page.locator('[data-testid^="process-"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-testid') ?? ''));
  return ids.map((id) => Number(id.replace('process-', ''))).filter((pid) => Number.isInteger(pid) && pid > 0);
}
