import { mkdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIDDEN_WRITER_SITUATION } from '../native-bridge/diagnose/testing/hidden-ends-situation';
import { asleepIn, python3MissingReason } from '../native-bridge/diagnose/testing/python-situation';
import { observeSituationInChromium, type ObservedSituation } from './chromium-launch';
import { PROJECT_ROOT } from './ipcscope-web-process';
import { paletteFor } from '../renderer/picture/palette';
import { procWchan } from './proc-facts';

/*
 * A reader waiting on a write end no observed process holds, end to end: a
 * python3 reader asleep in read() on a pipe whose only write end was sent
 * over a socket and closed (the kernel counts it open in the socket's queue),
 * observed with `ipcscope web --pid ROOT --tree` in Debian's Chromium. The
 * Diagnoses tab names it in the three languages, checked against /proc;
 * once the socket closes the reader sees EOF and the tab says nothing is
 * stuck.
 */

const RESULTS = join(PROJECT_ROOT, 'test-results');

/** '#e6b422' as getComputedStyle words it: 'rgb(230, 180, 34)'. */
const rgbOf = (hex: string): string => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
const skip = python3MissingReason();

let observed: ObservedSituation | null = null;

beforeAll(async () => {
  if (skip !== null) return;
  mkdirSync(RESULTS, { recursive: true });
  observed = await observeSituationInChromium(HIDDEN_WRITER_SITUATION, 'sender', 'ipcscope-e2e-hidden-');
});

afterAll(async () => {
  await observed?.close();
});

describe.skipIf(skip !== null)('a reader waiting on a write end not shown, in the browser', () => {
  it('is listed in the three languages as the kernel shows it, and goes once read() returns 0', async () => {
    if (!observed) throw new Error('setup failed');
    const { situation, web, context } = observed;
    const [reader, r] = await situation.numbers('reader');
    const [sender] = await situation.numbers('sender');
    await asleepIn(reader!, 'anon_pipe_read');
    const pipe = readlinkSync(`/proc/${reader}/fd/${r}`).replace(/^pipe:\[(\d+)\]$/, 'pipe $1');

    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(web.url);
    await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor({ timeout: 15_000 });
    const tab = page.getByTestId('tab-diagnoses');
    await expect.poll(() => tab.textContent(), { timeout: 30_000 }).toBe('Diagnoses (1)');
    await tab.click();
    const card = page.locator('[data-testid="diagnosis-card-0"][data-kind="hidden-writer"]');
    await card.waitFor({ timeout: 10_000 });
    const words = {
      en: ['A reader waiting on a process not shown', `A write end of ${pipe} is open in a process this view does not show`],
      'zh-Hans': ['读者在等待未显示的进程', `${pipe} 的一个写端在本视图未显示的进程中打开着`],
      'zh-Hant': ['讀者在等待未顯示的行程', `${pipe} 的一個寫端在本視圖未顯示的行程中開著`],
    };
    for (const [locale, [title, fact]] of Object.entries(words)) {
      await page.getByTestId('language').selectOption(locale);
      await expect.poll(() => card.locator('h3').textContent(), { timeout: 5_000 }).toMatch(new RegExp(`^${title}`));
      expect(await page.getByTestId('diagnosis-fact-0-1').textContent()).toContain(fact);
      await page.screenshot({ path: join(RESULTS, `diagnoses-hidden-${locale}.png`) });
    }
    await page.getByTestId('language').selectOption('en');
    // A notice, not a fault: amber and dashed in the picture in both themes, the card says so.
    expect(await page.getByTestId('diagnosis-notice-0').textContent()).toBe('information, not a fault');
    for (const theme of ['dark', 'light'] as const) {
      for (let i = 0; i < 2 && (await page.evaluate(() => document.documentElement.dataset.theme)) !== theme; i += 1) await page.getByTestId('theme').click();
      // the map (chosen here: 8 objects) outlines it amber and dashed on its canvas; the picture's halo says so in its attributes
      await page.getByTestId('view-map').click();
      await page.screenshot({ path: join(RESULTS, `diagnoses-hidden-notice-map-${theme}.png`) });
      await page.getByTestId('view-picture').click();
      const halo = page.getByTestId(`diagnosis-halo-${reader}`);
      await halo.waitFor({ timeout: 10_000 });
      expect(await halo.getAttribute('data-severity')).toBe('notice');
      expect(await halo.getAttribute('stroke')).toBe(paletteFor(theme, false).notice);
      expect(await halo.getAttribute('stroke-dasharray')).toBeTruthy();
      expect(await page.getByTestId('diagnosis-label-0').getAttribute('data-severity')).toBe('notice');
      // only a notice: the Diagnoses tab is drawn amber like its halo, not the fault's red
      expect(await tab.getAttribute('data-severity')).toBe('notice');
      expect(await tab.evaluate((el) => getComputedStyle(el).color)).toBe(rgbOf(paletteFor(theme, false).notice));
      await page.screenshot({ path: join(RESULTS, `diagnoses-hidden-notice-picture-${theme}.png`) });
    }
    // switching the stage opened the Details tab: back to the diagnoses
    await tab.click();
    await card.waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('diagnosis-fact-0-0').textContent()).toBe(`pid ${reader} (python3) sleeps in read(${r}) on ${pipe}, which is empty.`);
    // The kernel, now: still asleep in read() on that pipe.
    expect(procWchan(reader!)).toBe('anon_pipe_read');

    process.kill(sender!, 'SIGUSR1');
    expect(await situation.numbers('eof')).toEqual([0]);
    await page.getByTestId('diagnoses-none').waitFor({ timeout: 30_000 });
    expect(await tab.textContent()).toBe('Diagnoses (0)');
    expect(problems).toEqual([]);
  });
});
