import { mkdirSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveInChromium, type ServedInChromium } from './chromium-launch';
import { PROJECT_ROOT } from './ipcscope-web-process';
import { pidsOnPage, stepUntil } from './page-driver';
import { killIfStillSame, procStartTime } from './proc-facts';

/*
 * "A pipe from parent to child" on the map: the lesson's actors are
 * ipcscope's own Node processes, holding libuv's internal pipes, their output
 * and the command socket besides the lesson's pipe. The map must draw what the
 * picture draws (the lesson's pipe) and count the rest as ipcscope's own; the
 * count is checked against /proc/PID/fd of the actors.
 */

const RESULTS = join(PROJECT_ROOT, 'test-results');
let served: ServedInChromium | null = null;
const seen = new Map<number, number>();

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  served = await serveInChromium([], 'ipcscope-e2e-plumbing-', { viewport: { width: 1280, height: 720 } });
});

afterAll(async () => {
  await served?.close();
  killIfStillSame(seen);
});

/** The pipes and sockets a process holds, as /proc/PID/fd names them ("pipe:[N]" -> "pipe:N"). */
function ipcInodes(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    try {
      const m = /^(pipe|socket):\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      return m ? [`${m[1]}:${m[2]}`] : [];
    } catch {
      return []; // closed meanwhile
    }
  });
}

describe('a lesson on the map', () => {
  it('draws the objects its picture draws and counts ipcscope\'s own plumbing apart', async () => {
    if (!served) throw new Error('setup failed');
    const { web, context } = served;
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(web.url);
    await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="lesson-picker"] option[value="pipe-parent-child"]').waitFor({ state: 'attached' });
    await page.getByTestId('lesson-picker').selectOption('pipe-parent-child');
    await page.locator('[data-testid="step-0"]').waitFor();
    const blocked = page.locator('[data-testid^="blocked-"]', { hasText: 'blocked in read' });
    await stepUntil(page, async () => (await blocked.count()) > 0, 'the child blocked in read');
    const pids = await pidsOnPage(page);
    for (const pid of pids) seen.set(pid, procStartTime(pid) ?? 0);
    expect(pids.length).toBe(2);
    const onPicture = await page.locator('[data-testid^="object-pipe:"], [data-testid^="object-unix:"]').count();
    expect(onPicture).toBe(1);

    await page.getByTestId('view-map').click();
    const summary = page.getByTestId('map-summary');
    await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toMatch(/^2 processes · 1 object · 0 groups · \d+ of ipcscope's own not shown$/);
    const leftOut = Number(/· (\d+) of ipcscope/.exec((await summary.textContent()) ?? '')?.[1]);
    await page.screenshot({ path: join(RESULTS, 'map-lesson-plumbing.png') });
    // The kernel now: the actors' pipes and sockets, the lesson's pipe among them, are all left out but that one
    // (the frame also reports the engine's ends of the actors' sockets, so the count may be larger).
    const held = new Set(pids.flatMap(ipcInodes));
    expect(held.size).toBeGreaterThan(onPicture);
    expect(leftOut).toBeGreaterThanOrEqual(held.size - onPicture);
    expect(problems).toEqual([]);
  });
});
