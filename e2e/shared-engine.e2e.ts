import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveInBrowser, type ServedInBrowser } from './chromium-launch';
import { PROJECT_ROOT } from './ipcscope-web-process';
import { pidsOnPage, startFromChooser } from './page-driver';
import { exists } from './proc-facts';

/*
 * Two browser windows on one `ipcscope web`: they share its one session. Each
 * says so in a banner; a lesson started in one is announced in the other with
 * the number of the window that started it, in three languages; the lesson's
 * processes the second window draws are real (in /proc). Once the first
 * window closes, the banner goes.
 */

const RESULTS = join(PROJECT_ROOT, 'test-results');
const LESSON = 'pipe-parent-child';
let served: ServedInBrowser | null = null;

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  served = await serveInBrowser();
});

afterAll(async () => {
  await served?.close();
});

describe('two windows on one engine', () => {
  it('each says they share one lesson; the one that did not start it says which window did', async () => {
    if (!served) throw new Error('setup failed');
    const { web, browser } = served;
    const first = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const second = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    try {
      const a = await first.newPage();
      const b = await second.newPage();
      const problems: string[] = [];
      for (const page of [a, b]) page.on('pageerror', (error) => problems.push(error.message));
      await a.goto(web.url);
      await a.locator('[data-testid="connection-status"][data-status="open"]').waitFor({ timeout: 15_000 });
      // alone: no banner
      expect(await a.getByTestId('shared-engine-banner').count()).toBe(0);
      await b.goto(web.url);
      await b.locator('[data-testid="connection-status"][data-status="open"]').waitFor({ timeout: 15_000 });
      for (const page of [a, b]) await page.locator('[data-testid="shared-engine-banner"][data-count="2"]').waitFor({ timeout: 15_000 });
      const youA = Number(/This is window (\d+)\./.exec((await a.getByTestId('shared-engine-banner').textContent()) ?? '')?.[1]);
      const youB = Number(/This is window (\d+)\./.exec((await b.getByTestId('shared-engine-banner').textContent()) ?? '')?.[1]);
      expect(youA).toBeGreaterThan(0);
      expect(youB).not.toBe(youA);

      await startFromChooser(a, LESSON);
      const title = (await a.getByTestId('lesson-picker').locator('option:checked').textContent())!.trim();
      const peer = b.getByTestId('peer-action');
      await expect.poll(() => peer.textContent(), { timeout: 15_000 }).toBe(`Window ${youA} started the lesson “${title}”.`);
      expect(await a.getByTestId('peer-action').count()).toBe(0);
      // what window 2 draws is the lesson window 1 started: real processes
      await expect.poll(async () => (await pidsOnPage(b)).length, { timeout: 15_000 }).toBeGreaterThan(0);
      for (const pid of await pidsOnPage(b)) expect(exists(pid), `pid ${pid} in /proc`).toBe(true);
      await b.screenshot({ path: join(RESULTS, 'shared-engine-en.png') });

      const words = {
        'zh-Hans': [`有 2 个窗口连接着这个引擎，它们共用同一个课程或观察。这是窗口 ${youB}。`, new RegExp(`^窗口 ${youA} 开始了课程“.+”。$`)],
        'zh-Hant': [`有 2 個視窗連接著這個引擎，它們共用同一個課程或觀察。這是視窗 ${youB}。`, new RegExp(`^視窗 ${youA} 開始了課程「.+」。$`)],
      } as const;
      for (const [locale, [banner, action]] of Object.entries(words)) {
        await b.getByTestId('language').selectOption(locale);
        await expect.poll(() => b.getByTestId('shared-engine-banner').locator('span').first().textContent(), { timeout: 5_000 }).toBe(banner);
        expect(await peer.textContent()).toMatch(action);
        await b.screenshot({ path: join(RESULTS, `shared-engine-${locale}.png`) });
      }
      await b.getByTestId('language').selectOption('en');

      // window 2 pauses: window 1 is told
      await b.getByTestId('btn-pause').click();
      await expect.poll(() => a.getByTestId('peer-action').textContent(), { timeout: 15_000 }).toBe(`Window ${youB} paused the lesson.`);

      await a.close();
      await b.getByTestId('shared-engine-banner').waitFor({ state: 'detached', timeout: 15_000 });
      expect(problems).toEqual([]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
