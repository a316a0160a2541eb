import type { Browser, Locator, Page } from 'playwright-core';

/** Driving the lesson through its buttons, as a user would. */

const STEP_SETTLE_MS = 10_000;
const MAX_STEPS = 16;
const POOL_START_MS = 60_000;

/** Steps that have left "pending" (issued, running, blocked, done or failed). */
async function issuedSteps(page: Page): Promise<number> {
  return page.locator('[data-testid^="step-"][data-status]:not([data-status="pending"])').count();
}

/** Clicks Step once and waits until the step list shows one more step issued and none running. */
async function clickStep(page: Page, timeoutMs = STEP_SETTLE_MS): Promise<void> {
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
    { timeout: timeoutMs },
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

/** Starts a lesson from the chooser (the first screen, or opened from the header). */
export async function startFromChooser(page: Page, lessonId: string): Promise<void> {
  if ((await page.getByTestId('lesson-chooser').count()) === 0) await page.getByTestId('btn-lessons').click();
  await page.getByTestId(`start-${lessonId}`).click();
  await page.getByTestId('lesson-chooser').waitFor({ state: 'detached' });
  await page.locator(`[data-testid="lesson-picker"]`).evaluate((el, id) => {
    if ((el as HTMLSelectElement).value !== id) throw new Error(`lesson-picker shows ${(el as HTMLSelectElement).value}, not ${id}`);
  }, lessonId);
  await page.locator('[data-testid="step-0"]').waitFor();
}

/** What startPoolFromChooser opened: the page, and the page errors seen on it (a test expects none). */
export interface PoolPage {
  page: Page;
  problems: string[];
}

/**
 * The process pool as a learner starts it: the app opened at a projector's
 * 1280x720, the worker count typed and the version picked in the chooser,
 * the lesson started and its first step taken (pipe2, fork, close, once per
 * worker). The step settles before the workers have all gone to sleep.
 */
export async function startPoolFromChooser(browser: Browser, url: string, workers: number, version: 'keeps' | 'closes'): Promise<PoolPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(url);
  await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor({ timeout: 30_000 });
  if ((await page.getByTestId('lesson-chooser').count()) === 0) await page.getByTestId('btn-lessons').click();
  await page.getByTestId('param-process-pool-workers').fill(String(workers));
  await page.getByTestId('param-process-pool-version').selectOption(version);
  await startFromChooser(page, 'process-pool');
  /* hundreds of posix_spawn on a loaded machine: longer than a lesson's usual step */
  await clickStep(page, POOL_START_MS);
  return { page, problems };
}

/** The map's fan of the pool's `sh` workers, once it counts all `workers` blocked in read; with the parent's pid from its key. */
export async function poolFanAsleep(page: Page, workers: number, timeoutMs: number): Promise<{ fan: Locator; key: string; parent: number }> {
  const fan = page.locator('[data-testid^="map-fan-fan:"][data-testid$=":sh"]');
  await fan.waitFor({ state: 'attached', timeout: timeoutMs });
  const key = ((await fan.getAttribute('data-testid')) ?? '').replace('map-fan-', '');
  const parent = Number(/^fan:(\d+):sh$/.exec(key)?.[1]);
  await page.waitForFunction(([k, n]) => document.querySelector(`[data-testid="map-fan-${k}"]`)?.getAttribute('data-blocked-read') === String(n), [key, workers] as const, {
    timeout: timeoutMs,
  });
  return { fan, key, parent };
}

/**
 * A new page at a projector's 1280x720 with the served app open and its
 * connection up; a page that does not get there is closed, not left open.
 */
export async function openAtProjector(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  try {
    await page.goto(url);
    await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor({ timeout: 15_000 });
    return page;
  } catch (error) {
    await page.close();
    throw error;
  }
}

/** Lecture mode on or off (the header's toggle), once the page has drawn it: two animation frames after the switch. */
export async function setLecture(page: Page, lecture: boolean): Promise<void> {
  if ((await page.evaluate(() => document.documentElement.dataset.lecture === 'true')) !== lecture) await page.getByTestId('lecture').click();
  await page.waitForFunction((on) => (document.documentElement.dataset.lecture === 'true') === on, lecture);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}
