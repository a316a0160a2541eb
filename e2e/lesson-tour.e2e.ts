import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../native-bridge/model/frame-types';
import { serveInBrowser, type ServedInBrowser } from './chromium-launch';
import { PROJECT_ROOT } from './ipcscope-web-process';
import {
  answerWith,
  choiceTexts,
  clickStep,
  lessonFinished,
  MAX_LESSON_STEPS,
  questionWaiting,
  showSteps,
  startFromChooser,
  stepBackOnce,
  waitVerdict,
  type Outcome,
} from './lesson-driver';
import { pidsOnPage } from './page-driver';
import { measureFit } from './projector-fit';
import { exists, isLive, killIfStillSame, procStartTime, procState, procWchan } from './proc-facts';

/*
 * Every lesson lessons.list returns, in each of the three languages, through
 * the lesson toolkit as a learner uses it: started from the chooser, stepped
 * to its end (predictions answered with the number keys: one right, one
 * wrong where the lesson asks any), a claim card opened where it has claims,
 * one step back (new processes), and a screenshot per lesson and language at
 * a projector's 1280x720 (plus one in lecture mode). What the page says is
 * checked against /proc while it says it. Screenshots go to the gitignored
 * test-results/tour/.
 */

const SHOTS = join(PROJECT_ROOT, 'test-results', 'tour');
const LOCALES: Locale[] = ['en', 'zh-Hans', 'zh-Hant'];
/** Both themes appear in the screenshots. */
const THEME: Record<Locale, 'dark' | 'light'> = { en: 'dark', 'zh-Hans': 'light', 'zh-Hant': 'dark' };

let served: ServedInBrowser | null = null;
const seen = new Map<number, number>();
const pageProblems: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  served = await serveInBrowser();
});

afterAll(async () => {
  // after the last test's own stop, a second close is a no-op
  await served?.close();
  killIfStillSame(seen);
});

function remember(pids: number[]): void {
  for (const pid of pids) {
    const start = procStartTime(pid);
    if (start !== null && !seen.has(pid)) seen.set(pid, start);
  }
}

async function openPage(locale: Locale): Promise<Page> {
  if (!served) throw new Error('setup failed');
  const { web, browser } = served;
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) pageProblems.push(message.text());
  });
  await page.goto(web.url);
  await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor({ timeout: 15_000 });
  await page.getByTestId('language').selectOption(locale);
  for (let i = 0; i < 2 && (await page.evaluate(() => document.documentElement.dataset.theme)) !== THEME[locale]; i += 1) {
    await page.getByTestId('theme').click();
  }
  return page;
}

async function lessonIds(page: Page): Promise<string[]> {
  await page.locator('[data-testid^="lesson-card-"]').first().waitFor({ timeout: 15_000 });
  const ids = await page.locator('[data-testid^="lesson-card-"]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-testid') ?? ''));
  const only = process.env.IPCSCOPE_TOUR_ONLY?.split(',').filter(Boolean);
  // IPCSCOPE_TOUR_ONLY=shm-server-client tours one lesson (while writing it); the full tour runs every lesson
  return ids.map((id) => id.replace('lesson-card-', '')).filter((id) => !only || only.includes(id));
}

/** Whatever the picture calls blocked on a lesson object, the kernel shows asleep right now. */
async function checkBlockedAgainstProc(page: Page): Promise<number> {
  const blocked = await page
    .locator('[data-testid^="process-"][data-blocked="true"]:not([data-waits-on=""])')
    .evaluateAll((nodes) => nodes.map((n) => Number((n.getAttribute('data-testid') ?? '').replace('process-', ''))));
  const drawnBlocked = (pid: number) => page.locator(`[data-testid="process-${pid}"][data-blocked="true"]:not([data-waits-on=""])`).count();
  let still = 0;
  for (const pid of blocked) {
    // A process that sleeps and wakes thousands of times a second (two semaphore users taking turns) may be running
    // between the frame that drew it and this read, and one that woke to exit (the pool's workers get EOF one after
    // another) may be gone: the kernel must show it live and asleep for as long as the picture still says so.
    await expect
      .poll(async () => (await drawnBlocked(pid)) === 0 || (isLive(pid) && ['S', 'D'].includes(procState(pid) ?? '') && (procWchan(pid) ?? '0') !== '0'), {
        message: `pid ${pid} drawn blocked is live and sleeps in the kernel, with a wchan`,
        timeout: 5_000,
      })
      .toBe(true);
    if ((await drawnBlocked(pid)) > 0) still += 1;
  }
  return still;
}

/**
 * At 1280x720 the header is one row with room between its controls, the
 * picture is the largest thing on screen, nothing drawn covers anything else
 * nor runs past the picture, and lecture mode makes the picture no smaller
 * (its labels grow with it). `when` names the moment (the blocked moment, the
 * lesson's end).
 */
async function checkProjectorFit(page: Page, lessonId: string, when: string): Promise<void> {
  const what = `${lessonId} (${when})`;
  const normal = await measureFit(page);
  expect(normal.headerRows, `${what}: header in one row`).toBe(1);
  expect(normal.headerCrowded, `${what}: header controls keep apart`).toEqual([]);
  if (normal.pictureArea > 0) expect(normal.pictureArea, `${what}: the picture is the largest thing on screen`).toBeGreaterThan(normal.largestPanelArea * 0.99);
  expect(normal.overlaps, `${what}: nothing in the picture covers anything else`).toEqual([]);
  expect(normal.clipped, `${what}: no gone line runs past the picture`).toEqual([]);
  await page.getByTestId('lecture').click();
  await page.waitForFunction(() => document.documentElement.dataset.lecture === 'true');
  // the type size changed: two painted frames before measuring
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const lecture = await measureFit(page);
  await page.getByTestId('lecture').click();
  await page.waitForFunction(() => document.documentElement.dataset.lecture === 'false');
  expect(lecture.headerRows, `${what}: header in one row in lecture mode`).toBe(1);
  expect(lecture.headerCrowded, `${what}: header controls keep apart in lecture mode`).toEqual([]);
  expect(lecture.pictureWidth, `${what}: lecture mode does not shrink the picture`).toBeGreaterThanOrEqual(normal.pictureWidth - 1);
  expect(lecture.overlaps, `${what}: nothing overlaps in lecture mode`).toEqual([]);
  expect(lecture.clipped, `${what}: no gone line runs past the picture in lecture mode`).toEqual([]);
}

interface TourResult {
  outcomes: Outcome[];
  asked: boolean;
  claims: number;
  steppedBack: boolean;
}

/** Steps one lesson to its end as the header describes, on `page`. */
async function tour(page: Page, lessonId: string, locale: Locale): Promise<TourResult> {
  await startFromChooser(page, lessonId);
  await showSteps(page);
  const result: TourResult = { outcomes: [], asked: false, claims: 0, steppedBack: false };
  let firstVerdict: { outcome: Outcome; correctText: string } | null = null;
  let blockedShot = false;
  // a lesson with questions steps back after its first verdict (the question is asked again); one without, a few steps in
  const hasQuestions = (await page.locator('[data-testid^="step-"][data-question="true"]').count()) > 0;
  for (let n = 0; n < MAX_LESSON_STEPS && !(await lessonFinished(page)); n += 1) {
    remember(await pidsOnPage(page));
    if ((await checkBlockedAgainstProc(page)) > 0 && !blockedShot) {
      // The moment most lessons are about: a real process asleep in the kernel on the lesson's object.
      blockedShot = true;
      // bytes still in flight are drawn out of the ring until they land: picture the state the kernel shows
      await page.waitForFunction(() => document.querySelectorAll('[data-testid^="flight-"]').length === 0, undefined, { timeout: 15_000 });
      // and the ring's slots have eased to the kernel's fill: two reads 100 ms apart agree
      await page.waitForFunction(
        () => {
          const fills = [...document.querySelectorAll('[data-testid^="slot-"]')].map((slot) => slot.getAttribute('data-fill')).join();
          const seen = window as unknown as { lastFills?: string };
          const settled = seen.lastFills === fills;
          seen.lastFills = fills;
          return settled;
        },
        undefined,
        { polling: 100, timeout: 15_000 },
      );
      await page.screenshot({ path: join(SHOTS, `${lessonId}-${locale}-blocked.png`) });
      await checkProjectorFit(page, lessonId, 'blocked');
    }
    if (await questionWaiting(page)) {
      result.asked = true;
      const choices = await choiceTexts(page);
      expect(choices.length, 'a question offers 2 to 4 answers').toBeGreaterThanOrEqual(2);
      expect(choices.length).toBeLessThanOrEqual(4);
      let key = 1;
      if (firstVerdict && result.steppedBack && result.outcomes.length === 1) {
        // Re-asked after the step back: answer the other way from the first time.
        const correct = choices.indexOf(firstVerdict.correctText);
        expect(correct, `the correct answer "${firstVerdict.correctText}" is among ${JSON.stringify(choices)}`).toBeGreaterThanOrEqual(0);
        key = firstVerdict.outcome === 'right' ? (correct === 0 ? 2 : 1) : correct + 1;
      }
      await answerWith(page, key);
      const judged = await waitVerdict(page);
      // a right answer's line does not repeat the choice: it is the one just picked
      const verdict = judged.outcome === 'right' ? { ...judged, correctText: choices[key - 1] ?? '' } : judged;
      expect(verdict.evidence.length, 'the verdict shows the kernel evidence').toBeGreaterThan(0);
      result.outcomes.push(verdict.outcome);
      firstVerdict ??= verdict;
      if (!result.steppedBack) {
        const { before, after } = await stepBackOnce(page);
        result.steppedBack = true;
        expect(after.length).toBeGreaterThan(0);
        remember(after);
        // "re-ran ... on new processes": the processes drawn now are not the ones drawn before.
        expect(after.filter((pid) => before.includes(pid)), 'no process survives a step back').toEqual([]);
        await expect.poll(() => before.filter((pid) => isLive(pid)), { timeout: 10_000 }).toEqual([]);
      }
      continue;
    }
    await clickStep(page);
    // IPCSCOPE_TOUR_EVERY_STEP=1: a screenshot after every step, to look at a lesson that never blocks as a learner sees it
    if (process.env.IPCSCOPE_TOUR_EVERY_STEP === '1') {
      await page.evaluate(() => new Promise((resolve) => setTimeout(() => requestAnimationFrame(resolve), 400)));
      await page.screenshot({ path: join(SHOTS, `${lessonId}-${locale}-step-${String(n).padStart(2, '0')}.png`) });
    }
    // A lesson without questions still steps back once, a few steps in.
    if (!result.steppedBack && !hasQuestions && n === 2) {
      const { before, after } = await stepBackOnce(page);
      result.steppedBack = true;
      remember(after);
      expect(after.filter((pid) => before.includes(pid))).toEqual([]);
    }
  }
  expect(await lessonFinished(page), `${lessonId} reached its end within ${MAX_LESSON_STEPS} steps`).toBe(true);
  await page.getByTestId('lesson-banner').waitFor();

  if ((await page.getByTestId('tab-claims').count()) > 0) {
    await page.getByTestId('tab-claims').click();
    const cards = page.locator('[data-testid^="claim-"][data-holds]');
    result.claims = await cards.count();
    expect(result.claims).toBeGreaterThan(0);
    // At the end every claim has been put to the kernel.
    expect(await page.locator('[data-testid^="claim-"][data-holds="pending"]').count(), `${lessonId}: claims still unchecked at the end`).toBe(0);
  }
  if (lessonId === 'pipe-forgotten-close') {
    // the picture points at the forgotten descriptor: the kernel shows it open for writing in the sleeping reader
    const marked = await page.locator('[data-testid^="edge-"][data-focus="1"]').getAttribute('data-testid');
    const [, pid, fd] = /^edge-(\d+)-(\d+)$/.exec(marked ?? '') ?? [];
    expect(await page.getByTestId('focus-note-1').count()).toBe(1);
    const flags = /^flags:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'latin1'))?.[1];
    expect(Number.parseInt(flags ?? '', 8) & 3, 'the marked descriptor is a write end (O_WRONLY)').toBe(1);
  }
  await page.screenshot({ path: join(SHOTS, `${lessonId}-${locale}.png`) });
  // the end has its own crowding: every object gone, each with its line (and the race's chart in the header)
  await checkProjectorFit(page, lessonId, 'end');
  await showSteps(page);
  return result;
}

describe('every lesson through the lesson toolkit, in three languages', () => {
  for (const locale of LOCALES) {
    it(`steps every lesson to its end in ${locale}`, async () => {
      const page = await openPage(locale);
      try {
        // The engine's session outlives a page: stop what an earlier page left running, as a user would.
        if ((await page.getByTestId('lesson-picker').inputValue()) !== '') await page.getByTestId('lesson-picker').selectOption('');
        // The first screen is the chooser: a newcomer picks a lesson there.
        await page.getByTestId('lesson-chooser').waitFor();
        await page.screenshot({ path: join(SHOTS, `first-start-${locale}.png`) });
        const ids = await lessonIds(page);
        expect(ids.length).toBeGreaterThan(0);
        for (const id of ids) {
          const result = await tour(page, id, locale);
          expect(result.steppedBack, `${id}: stepped back once`).toBe(true);
          if (result.asked) expect([...new Set(result.outcomes)].sort(), `${id}: one prediction right, one wrong`).toEqual(['right', 'wrong']);
          if (locale === 'en') {
            await page.getByTestId('lecture').click();
            // the type size changed: wait for two painted frames before the picture is taken
            await page.waitForFunction(() => document.documentElement.dataset.lecture === 'true');
            await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
            await page.screenshot({ path: join(SHOTS, `${id}-lecture-1280x720.png`) });
            await page.getByTestId('lecture').click();
          }
        }
        if (locale === 'en' && process.env.IPCSCOPE_UPDATE_SCREENSHOT === '1') {
          copyFileSync(join(SHOTS, `${ids[0]}-en-blocked.png`), join(PROJECT_ROOT, 'assets', 'screenshot.png'));
        }
        if (locale === 'zh-Hans' && process.env.IPCSCOPE_UPDATE_SCREENSHOT === '1' && ids.includes('pipe-full-write')) {
          copyFileSync(join(SHOTS, 'pipe-full-write-zh-Hans-blocked.png'), join(PROJECT_ROOT, 'assets', 'screenshot-full-pipe-zh-hans.png'));
        }
      } finally {
        await page.getByTestId('lesson-picker').selectOption('').catch(() => undefined);
        await page.close();
      }
      expect(pageProblems).toEqual([]);
    }, 900_000);
  }

  it('leaves no lesson process behind once the server stops', async () => {
    await served?.browser.close();
    expect(await served?.web.stop()).toBe(0);
    for (const pid of seen.keys()) {
      await expect.poll(() => exists(pid) && procStartTime(pid) === seen.get(pid), { message: `pid ${pid} is gone`, timeout: 5000 }).toBe(false);
    }
  }, 60_000);
});

