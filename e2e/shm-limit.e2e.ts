import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveInBrowser, type ServedInBrowser } from './chromium-launch';
import { PROJECT_ROOT } from './ipcscope-web-process';
import { clickStep, showSteps } from './lesson-driver';
import { openAtProjector, pidsOnPage } from './page-driver';
import { exists, killIfStillSame, procStartTime } from './proc-facts';

/*
 * A kernel limit on screen: the shared-memory lesson started from the chooser
 * with a size of 0 bytes. The server's shmget is refused by the kernel
 * (EINVAL), and the page says which limit refused it and its value; the
 * segment table shows no segment made by the lesson's processes, and they go
 * when it is stopped.
 */

const RESULTS = join(PROJECT_ROOT, 'test-results');
let served: ServedInBrowser | null = null;
const seen = new Map<number, number>();

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  served = await serveInBrowser();
});

afterAll(async () => {
  await served?.close();
  killIfStillSame(seen);
});

/*
 * Segments the lesson's processes created: /proc/sysvipc/shm's cpid column (the 5th). The whole table's row count
 * is no measure: other programs on the machine (other test runs) make and remove segments meanwhile.
 */
const segmentsMadeBy = (pids: number[]): string[] =>
  readFileSync('/proc/sysvipc/shm', 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .filter((row) => pids.includes(Number(row.trim().split(/\s+/)[4])));

describe('a kernel limit hit in a lesson', () => {
  it('shm-server-client with size 0: the page names SHMMIN and its value, nothing is made, nothing is left', async () => {
    if (!served) throw new Error('setup failed');
    const page = await openAtProjector(served.browser, served.web.url);
    if ((await page.getByTestId('lesson-chooser').count()) === 0) await page.getByTestId('btn-lessons').click();
    await page.getByTestId('param-shm-server-client-size').fill('0');
    await page.getByTestId('start-shm-server-client').click();
    await page.getByTestId('lesson-chooser').waitFor({ state: 'detached' });
    await page.locator('[data-testid="step-0"]').waitFor();
    // predictions off: this test is about the limit, not the questions
    if ((await page.getByTestId('btn-questions').getAttribute('aria-pressed')) === 'true') await page.getByTestId('btn-questions').click();
    await showSteps(page);
    for (const pid of await pidsOnPage(page)) seen.set(pid, procStartTime(pid) ?? 0);
    expect(seen.size).toBeGreaterThan(0);
    for (let i = 0; i < 3; i += 1) await clickStep(page);
    const banner = page.getByTestId('lesson-banner');
    await expect.poll(async () => (await banner.count()) > 0 && ((await banner.textContent()) ?? ''), { timeout: 30_000 }).toContain('size 0 is below SHMMIN, 1 byte');
    expect(await banner.textContent()).toContain('shmget failed: EINVAL');
    await expect.poll(() => page.locator('[data-testid="step-2"]').getAttribute('data-status')).toBe('failed');
    expect(segmentsMadeBy([...seen.keys()])).toEqual([]);
    await page.screenshot({ path: join(RESULTS, 'shm-limit-shmmin.png') });
    // another lesson replaces it: its processes go
    await page.getByTestId('lesson-picker').selectOption('pipe-parent-child');
    await expect.poll(() => [...seen.keys()].filter((pid) => exists(pid)).length, { timeout: 30_000 }).toBe(0);
    await page.close();
  });
});
