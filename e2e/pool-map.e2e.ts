import { mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium-launch';
import { PROJECT_ROOT, startIpcscopeWeb, type IpcscopeWeb } from './ipcscope-web-process';
import { poolFanAsleep, startPoolFromChooser } from './page-driver';
import { killIfStillSame, procStartTime, procWchan, waitAllGone } from './proc-facts';

/*
 * The process-pool lesson at 200 workers, as a learner starts it: the worker
 * count typed in the chooser, one Step that makes 200 pipes and 200 real
 * workers, and the system map (chosen by itself: the frame holds more
 * processes than the picture draws) folding them into one fan whose counts
 * are the ones /proc gives at that moment. Then one worker found and
 * inspected, and the lesson stopped with nothing left.
 */

const WORKERS = 200;
const RESULTS = join(PROJECT_ROOT, 'test-results');
/** Generous: a loaded 2-core machine starts 200 workers and samples them. */
const SETTLE_MS = 120_000;

let web: IpcscopeWeb | null = null;
let browser: Browser | null = null;
const seen = new Map<number, number>();

function children(ppid: number): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid) found.push(Number(name));
    } catch {
      /* exited while we looked */
    }
  }
  return found;
}

function comm(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Pipe descriptors a process holds open for writing, as /proc/PID/fd and fdinfo flags say (flags & 3: 1 w, 2 rw). */
function pipeWriteEnds(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (!readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('pipe:')) continue;
      const flags = /flags:\s+([0-7]+)/.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1];
      if (flags && (parseInt(flags, 8) & 3) !== 0) n += 1;
    } catch {
      /* closed while we looked */
    }
  }
  return n;
}

/** The parent's workers asleep in read on their pipe, as the kernel says (KERNEL-FACTS: anon_pipe_read). */
function workersInRead(parent: number): number[] {
  return children(parent).filter((pid) => comm(pid) === 'sh' && procWchan(pid) === 'anon_pipe_read');
}

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  web = await startIpcscopeWeb();
  browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  killIfStillSame(seen);
});

/** Clicks the fan's button (in the map's hidden list) and waits for it to say `expanded`, then for a paint. */
async function toggleFan(page: Page, key: string, expanded: 'true' | 'false'): Promise<void> {
  await page.locator(`[data-testid="map-fan-${key}"] button`).dispatchEvent('click');
  await page.waitForFunction(([k, e]) => document.querySelector(`[data-testid="map-fan-${k}"]`)?.getAttribute('data-expanded') === e, [key, expanded] as const);
  // The map paints on the next animation frame: two of them have passed once this resolves.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Opens the fan and waits until the map paints its small text (a cell's PID) at 11 px or more on screen. */
async function openFanReadable(page: Page, key: string): Promise<void> {
  await toggleFan(page, key, 'true');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="map-canvas"]')?.getAttribute('data-small-text-px')) >= 11, undefined, { timeout: 10_000 });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(RESULTS, `${name}.png`) });
}

describe('the process pool at 200 workers on the system map', () => {
  it('folds 200 real workers into one fan with the counts /proc gives, and leaves nothing when stopped', async () => {
    if (!web || !browser) throw new Error('setup failed');
    const { page, problems } = await startPoolFromChooser(browser, web.url, WORKERS, 'closes');
    await page.getByTestId('system-map').waitFor({ timeout: SETTLE_MS });
    const { fan, key, parent } = await poolFanAsleep(page, WORKERS, SETTLE_MS);
    expect(parent).toBeGreaterThan(0);
    const asleep = workersInRead(parent);
    for (const pid of children(parent)) seen.set(pid, procStartTime(pid) ?? 0);
    expect(asleep).toHaveLength(WORKERS);
    expect(await fan.getAttribute('data-total')).toBe(String(WORKERS));
    expect(await fan.textContent()).toContain(`${WORKERS} × sh — ${WORKERS} blocked in read`);
    // The trap's fix, as the kernel shows it: no worker holds a write end of any pipe; the fan says so.
    expect(asleep.map(pipeWriteEnds).reduce((a, b) => a + b, 0)).toBe(0);
    expect(await fan.getAttribute('data-write-ends')).toBe('0');
    // The fan says so once the engine has read every worker's descriptor table (it reads them a budget at a time after a burst).
    await expect.poll(() => fan.textContent(), { timeout: SETTLE_MS }).toContain('each holds only its own read end');
    await page.waitForFunction(() => document.querySelector('[data-testid="map-canvas"]')?.getAttribute('data-painted-seq'));
    await page.getByTestId('map-fit').click();
    await shot(page, 'pool-map-200');
    // Opened, the fan comes into a view where its cells' PIDs are legible (the map fitted whole would shrink them to ~5 px).
    await openFanReadable(page, key);
    await shot(page, 'pool-map-200-open');
    // The same on a 1920x1080 screen: closed (the view follows the map again), then opened there.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await toggleFan(page, key, 'false');
    await openFanReadable(page, key);
    await shot(page, 'pool-map-200-open-1920');
    await page.setViewportSize({ width: 1280, height: 720 });

    // One worker found by PID and inspected: the same sleep /proc shows.
    const target = asleep[WORKERS / 2]!;
    await page.getByTestId('map-search').fill(String(target));
    await page.getByTestId(`map-match-${target}`).click();
    await page.getByTestId('tab-details').click();
    const details = page.getByTestId('details-panel');
    await expect.poll(() => details.textContent(), { timeout: 30_000 }).toContain(`${target} (ppid ${parent}) sh`);
    expect(await details.textContent()).toContain('anon_pipe_read');
    await shot(page, 'pool-map-200-inspected');

    // Stopping the engine's lesson (closing the server) leaves no worker.
    await page.close();
    const server = web;
    web = null;
    await server.stop();
    await waitAllGone(seen, SETTLE_MS, 'workers');
    expect(problems).toEqual([]);
  });
});
