import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPE_WRITERS_QUIET } from '../native-bridge/diagnose/testing/pipe-writers';
import { FIT_MARGIN } from '../renderer/map/map-viewport';
import { WRAP_BELOW_ZOOM } from '../renderer/map/map-wrap';
import { serveInChromium, type ServedInChromium } from './chromium-launch';
import { PROJECT_ROOT } from './ipcscope-web-process';
import { setLecture } from './page-driver';
import { exists, killIfStillSame, procStartTime } from './proc-facts';

/*
 * The whole machine's map at Fit (`ipcscope web --all`): a deep process tree
 * used to be one long low strip across the canvas with most of its height
 * empty. The map now wraps to the canvas's shape (renderer/map/map-wrap.ts):
 * at Fit, at a laptop's 1440x900, a projector's 1280x720 and in lecture type,
 * what is drawn fills most of the canvas's height (or the map is small enough
 * to be drawn unwrapped at a readable zoom). And the map's search finds a
 * `sleep` by an argument that only its command line holds (the engine reads
 * /proc/PID/cmdline when asked: frames carry only comm).
 */

const RESULTS = join(PROJECT_ROOT, 'test-results');
/** Generous: several helpers share 2 cores while this runs. */
const SETTLE_MS = 90_000;
/** What is drawn fills at least this share of the canvas's height at Fit (it was 0.35 to 0.44 as a strip). */
const HEIGHT_SHARE = 0.6;

/** An argument no other process on the machine has: GNU sleep adds it to its 1000 s. */
const MARK = `0.000${process.pid}1`;
let sleeper: ChildProcess | null = null;
let served: ServedInChromium | null = null;
const seen = new Map<number, number>();

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  sleeper = spawn('sleep', ['1000', MARK], { stdio: 'ignore' });
  seen.set(sleeper.pid!, procStartTime(sleeper.pid!) ?? 0);
  served = await serveInChromium(['--all'], 'ipcscope-e2e-mapfit-');
});

afterAll(async () => {
  await served?.close();
  sleeper?.kill('SIGKILL');
  killIfStillSame(seen);
});

interface FitView {
  zoom: number;
  /** Drawn map's height on screen over the canvas's height. */
  heightShare: number;
  /** Drawn map's width and height over the canvas's inside Fit's margins: one of them is 1 at Fit. */
  insideWidth: number;
  insideHeight: number;
}

/** Fit clicked, two animation frames later: the zoom and the map's box on screen, as the canvas says (data-view). */
async function fitView(page: Page): Promise<FitView> {
  await page.getByTestId('map-fit').click();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page.getByTestId('map-canvas').evaluate((canvas, margin) => {
    const [k, box] = (canvas.getAttribute('data-view') ?? '').split('@');
    const [x0, y0, x1, y1] = (box ?? '').split(',').map(Number);
    return {
      zoom: Number(k),
      heightShare: (y1! - y0!) / canvas.clientHeight,
      insideWidth: (x1! - x0!) / (canvas.clientWidth - 2 * margin),
      insideHeight: (y1! - y0!) / (canvas.clientHeight - 2 * margin),
    };
  }, FIT_MARGIN);
}

async function openMap(width: number, height: number): Promise<{ page: Page; problems: string[] }> {
  const page = await served!.context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.setViewportSize({ width, height });
  await page.goto(served!.web.url);
  await page.getByTestId('system-map').waitFor({ timeout: SETTLE_MS });
  // a few frames painted: the machine's processes are all on the map
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="map-canvas"]')?.getAttribute('data-painted-seq') ?? 0) > 3, null, { timeout: SETTLE_MS });
  return { page, problems };
}

describe('the whole machine at Fit', () => {
  for (const [name, width, height, lecture] of [
    ['1440x900', 1440, 900, false],
    ['1280x720', 1280, 720, false],
    ['1280x720-lecture', 1280, 720, true],
  ] as const) {
    it(`uses the canvas's height at ${name}`, async () => {
      const { page, problems } = await openMap(width, height);
      try {
        if (lecture) await setLecture(page, true);
        const view = await fitView(page);
        await page.screenshot({ path: join(RESULTS, `map-fit-all-${name}.png`) });
        // Fit fills one side; the other is no longer a thin strip, unless the map reads unwrapped
        expect(Math.max(view.insideWidth, view.insideHeight)).toBeGreaterThan(0.97);
        // an observation has no log row: the map's panel reaches the window's bottom (lecture type once left 15% empty)
        const stageBottom = await page.locator('.stage').evaluate((el) => el.getBoundingClientRect().bottom);
        expect(height - stageBottom).toBeLessThan(24);
        if (view.zoom < WRAP_BELOW_ZOOM) expect(view.heightShare).toBeGreaterThanOrEqual(HEIGHT_SHARE);
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});

describe('traffic on the whole machine', () => {
  it('writes the rates of neighbouring boxes without running them into each other', async () => {
    const writers = spawn('python3', ['-c', PIPE_WRITERS_QUIET], { stdio: 'ignore', detached: true });
    const group = writers.pid!;
    const { page, problems } = await openMap(1280, 720);
    try {
      // the kernel's view: four writer children, each with a pipe's write end
      const deadline = Date.now() + SETTLE_MS;
      const kids = () => readFileSync(`/proc/${group}/task/${group}/children`, 'latin1').trim().split(/\s+/).filter(Boolean);
      while (kids().length < 4 || !kids().every((pid) => /^writer\d$/.test(readFileSync(`/proc/${pid}/comm`, 'latin1').trim()))) {
        if (Date.now() > deadline) throw new Error('the writers did not start');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const first = Number(kids()[0]);
      await page.getByTestId('map-search').fill(String(first));
      const match = page.getByTestId(`map-match-${first}`);
      await match.waitFor({ timeout: SETTLE_MS });
      await match.click();
      // traffic is summed over 2 s of frames: the selected writer's rate is listed first, however busy the machine
      const firstLine = page.getByTestId('traffic-line').first();
      await expect.poll(async () => ((await firstLine.count()) > 0 ? firstLine.textContent() : ''), { timeout: SETTLE_MS }).toMatch(new RegExp(`^writer\\d · PID ${first}\\b`));
      expect(await firstLine.getAttribute('class')).toBe('selected');
      await page.screenshot({ path: join(RESULTS, 'map-traffic-labels.png') });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    const gone = Date.now() + SETTLE_MS;
    while (exists(group)) {
      if (Date.now() > gone) throw new Error('the writers are still there');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});

describe('map search', () => {
  it('finds a sleep by an argument only its command line holds, and inspects it', async () => {
    const pid = sleeper!.pid!;
    // the kernel's view: comm says only "sleep"; the argument is in cmdline
    expect(readFileSync(`/proc/${pid}/comm`, 'latin1').trim()).toBe('sleep');
    expect(readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0')).toContain(MARK);
    const { page, problems } = await openMap(1280, 720);
    try {
      const box = page.getByTestId('map-search');
      expect(await box.getAttribute('title')).toContain('/proc/PID/cmdline');
      await box.fill(MARK);
      const match = page.getByTestId(`map-match-${pid}`);
      await match.waitFor({ timeout: SETTLE_MS });
      expect(await page.getByTestId(`map-match-cmdline-${pid}`).textContent()).toContain(`sleep 1000 ${MARK}`);
      // nothing else on the machine has the mark
      expect(await page.locator('[data-testid^="map-match-"][data-testid*="cmdline"]').count()).toBe(1);
      await page.screenshot({ path: join(RESULTS, 'map-search-cmdline.png') });
      await page.getByTestId('language').selectOption('zh-Hans');
      await expect.poll(() => page.getByTestId(`map-match-cmdline-${pid}`).textContent()).toContain('命令行');
      expect(await box.getAttribute('placeholder')).toBe('PID、名称或命令行');
      await page.screenshot({ path: join(RESULTS, 'map-search-cmdline-zh-Hans.png') });
      await match.click();
      await expect.poll(() => page.getByTestId('details-panel').textContent(), { timeout: SETTLE_MS }).toContain(`${pid}`);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('leaves nothing behind', async () => {
    const pid = sleeper?.pid;
    if (!pid) throw new Error('setup failed');
    sleeper!.kill('SIGKILL');
    const deadline = Date.now() + SETTLE_MS;
    while (exists(pid) && procStartTime(pid) === seen.get(pid)) {
      if (Date.now() > deadline) throw new Error('the sleep is still there');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});
