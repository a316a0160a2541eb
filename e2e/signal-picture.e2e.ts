import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium-launch';
import { PROJECT_ROOT, startIpcscopeWeb, type IpcscopeWeb } from './ipcscope-web-process';
import { answerWith, clickStep, questionWaiting, startFromChooser } from './lesson-driver';
import { measureFit } from './projector-fit';
import { killIfStillSame, procStartTime } from './proc-facts';

/*
 * The signals lesson in Chromium, stopped where SIGUSR1 is pending on the
 * parent: the marks the page draws equal /proc/PID/status at that moment,
 * and at 1280x720 (and in lecture mode) no mark covers a node, the pipe or
 * the legend. Screenshots go to test-results/signals/.
 */
const SHOTS = join(PROJECT_ROOT, 'test-results', 'signals');
let web: IpcscopeWeb | null = null;
let browser: Browser | null = null;
const seen = new Map<number, number>();

beforeAll(async () => {
  web = await startIpcscopeWeb();
  browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  killIfStillSame(seen);
});

const masks = (pid: number): { SigPnd: bigint; ShdPnd: bigint; SigBlk: bigint; SigCgt: bigint } => {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const read = (name: string): bigint => BigInt(`0x${new RegExp(`${name}:\\s+([0-9a-f]+)`).exec(status)![1]}`);
  return { SigPnd: read('SigPnd'), ShdPnd: read('ShdPnd'), SigBlk: read('SigBlk'), SigCgt: read('SigCgt') };
};

/** Boxes of the signal marks that intersect a node, the pipe ring or the edge legend. */
async function markOverlaps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const box = (el: Element) => el.getBoundingClientRect();
    const hit = (a: DOMRect, b: DOMRect) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const others: { name: string; r: DOMRect }[] = [];
    for (const g of document.querySelectorAll('[data-testid^="process-"]')) others.push({ name: g.getAttribute('data-testid')!, r: box(g.querySelector('rect')!) });
    for (const g of document.querySelectorAll('[data-testid^="object-"]')) {
      const ring = g.querySelector('circle');
      if (ring) others.push({ name: g.getAttribute('data-testid')!, r: box(ring) });
    }
    const found: string[] = [];
    for (const row of document.querySelectorAll('[data-testid^="signal-marks-"] > g')) {
      for (const other of others) if (hit(box(row), other.r)) found.push(`${row.getAttribute('data-testid')} covers ${other.name}`);
    }
    return found;
  });
}

async function stepToPending(page: Page): Promise<void> {
  for (let n = 0; n < 12; n++) {
    if (await questionWaiting(page)) await answerWith(page, 1);
    else await clickStep(page);
    const pending = await page.locator('[data-testid^="signal-chip-shared-"]').count();
    if (pending > 0 && (await page.locator('[data-testid="step-9"][data-status="done"]').count()) > 0) return;
  }
}

describe('the signal picture in Chromium', () => {
  it('draws the parent\'s pending SIGUSR1 as /proc shows it, with nothing covered, in normal and lecture mode', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(web!.url);
    await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor({ timeout: 15_000 });
    await startFromChooser(page, 'signals');
    await stepToPending(page);
    const marks = page.locator('[data-testid^="signal-shared-"]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid^="signal-shared-"]')].some((g) => g.getAttribute('data-signals') === 'SIGUSR1'), undefined, { timeout: 15_000 });
    const parentRow = marks.filter({ has: page.locator('[data-testid*="-SIGUSR1"]') });
    const parent = Number(((await parentRow.getAttribute('data-testid')) ?? '').replace('signal-shared-', ''));
    const start = procStartTime(parent);
    if (start !== null) seen.set(parent, start);
    const kernel = masks(parent);
    /* bit n-1 is signal n: SIGUSR1 (10) pending for the process and blocked */
    expect(kernel.ShdPnd & 0x200n).toBe(0x200n);
    expect(kernel.SigBlk & 0x200n).toBe(0x200n);
    expect(await page.getByTestId(`signal-blocked-${parent}`).getAttribute('data-signals')).toBe('SIGUSR1');
    /* kill() aims at the process, not a thread: nothing pending on the main thread itself */
    expect(kernel.SigPnd).toBe(0n);
    expect(await page.getByTestId(`signal-pending-${parent}`).getAttribute('data-signals')).toBe('');
    await page.screenshot({ path: join(SHOTS, 'signals-pending-en.png') });
    expect(await markOverlaps(page)).toEqual([]);
    expect((await measureFit(page)).overlaps).toEqual([]);
    await page.getByTestId('lecture').click();
    await page.waitForFunction(() => document.documentElement.dataset.lecture === 'true');
    await page.screenshot({ path: join(SHOTS, 'signals-pending-lecture.png') });
    expect(await markOverlaps(page)).toEqual([]);
    await page.getByTestId('lecture').click();
    await page.getByTestId('language').selectOption('zh-Hant');
    await page.screenshot({ path: join(SHOTS, 'signals-pending-zh-Hant.png') });
    expect(await markOverlaps(page)).toEqual([]);
    await page.close();
  }, 240_000);
});
