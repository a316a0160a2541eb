import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveInChromium, type ServedInChromium } from './chromium-launch';
import { PROJECT_ROOT } from './ipcscope-web-process';
import { exists, killIfStillSame, procStartTime, procWchan } from './proc-facts';

/*
 * Whole-machine observation (`ipcscope web --all`) says how old a cold
 * process's state is: a `sleep` that has not run for seconds, found on the
 * map and inspected, shows "state read ... ago; re-checked every 1 s while
 * idle" (native-bridge/probe/cold-cadence.ts), while the kernel shows it
 * still asleep in nanosleep.
 */

const RESULTS = join(PROJECT_ROOT, 'test-results');
/** Generous: several helpers share 2 cores while this runs. */
const SETTLE_MS = 90_000;

let sleeper: ChildProcess | null = null;
let served: ServedInChromium | null = null;
const seen = new Map<number, number>();

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  sleeper = spawn('sleep', ['1000'], { stdio: 'ignore' });
  seen.set(sleeper.pid!, procStartTime(sleeper.pid!) ?? 0);
  served = await serveInChromium(['--all'], 'ipcscope-e2e-age-');
});

afterAll(async () => {
  await served?.close();
  sleeper?.kill('SIGKILL');
  killIfStillSame(seen);
});

describe('ipcscope web --all', () => {
  it('inspecting a cold process says when its state was read and how often it is re-checked', async () => {
    if (!served || !sleeper?.pid) throw new Error('setup failed');
    const { web, context } = served;
    const pid = sleeper.pid;
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(web.url);
    await page.getByTestId('system-map').waitFor({ timeout: SETTLE_MS });
    await page.getByTestId('map-search').fill(String(pid));
    await page.getByTestId(`map-match-${pid}`).click({ timeout: SETTLE_MS });
    const details = page.getByTestId('details-panel');
    await expect.poll(() => details.textContent(), { timeout: SETTLE_MS }).toContain(`${pid} (ppid ${process.pid}) sleep`);
    // cold after 2 s without CPU time: the line appears, with the age the frame claims
    const age = page.getByTestId('state-age');
    await age.waitFor({ timeout: SETTLE_MS });
    expect(await age.textContent()).toMatch(/^([0-9.]+ s ago|at this frame); re-checked every 1 s while idle$/);
    expect(procWchan(pid)).toBe('hrtimer_nanosleep');
    await page.getByTestId('map-search').fill('');
    await age.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(RESULTS, 'observe-all-age.png') });
    await page.getByTestId('language').selectOption('zh-Hant');
    await expect.poll(() => age.textContent()).toContain('閒置時每 1 秒複查一次');
    await page.screenshot({ path: join(RESULTS, 'observe-all-age-zh-Hant.png') });
    expect(problems).toEqual([]);
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
