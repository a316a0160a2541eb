import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeFd } from '../native-bridge/libc/libc';
import { makeSocketPair, sendBytes } from '../native-bridge/libc/sockets';
import { OBJ_H, OBJ_W, PROC_H, PROC_W } from '../renderer/map/map-geometry';
import { serveInChromium, type ServedInChromium } from './chromium-launch';
import { PROJECT_ROOT } from './ipcscope-web-process';
import { killIfStillSame, procStartTime, procWchan, waitAllGone } from './proc-facts';

/*
 * Whole-machine observation (`ipcscope web --all`) says how old a cold
 * process's state is: a `sleep` that has not run for seconds, found on the
 * map and inspected, shows "state read ... ago; re-checked every 1 s while
 * idle" (native-bridge/probe/cold-cadence.ts), while the kernel shows it
 * still asleep in nanosleep. A socket read on the kernel-wide cadence
 * (native-bridge/probe/kind-cadence.ts) says when it was read: a `sleep`
 * holding both ends of a socketpair with 5 bytes queued, its socket selected
 * on the map, shows "Read ... ago; read again when a process that can change
 * it runs, at least every 1 s", in both themes and in Chinese.
 */

const RESULTS = join(PROJECT_ROOT, 'test-results');
/** Generous: several helpers share 2 cores while this runs. */
const SETTLE_MS = 90_000;

let sleeper: ChildProcess | null = null;
/** A sleep holding a socketpair on fds 3 and 4, 5 bytes queued for fd 4 (sent on fd 3 before it started). */
let socketHolder: ChildProcess | null = null;
let served: ServedInChromium | null = null;
const seen = new Map<number, number>();
/** Our own copies of the pair's ends, closed once the holder has its own. */
const ownFds = new Set<number>();

function closeOwnFds(): void {
  for (const fd of ownFds) closeFd(fd);
  ownFds.clear();
}

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  sleeper = spawn('sleep', ['1000'], { stdio: 'ignore' });
  seen.set(sleeper.pid!, procStartTime(sleeper.pid!) ?? 0);
  const [sender, receiver] = makeSocketPair('stream');
  ownFds.add(sender).add(receiver);
  sendBytes(sender, Buffer.from('hello'));
  socketHolder = spawn('sleep', ['1000'], { stdio: ['ignore', 'ignore', 'ignore', sender, receiver] });
  seen.set(socketHolder.pid!, procStartTime(socketHolder.pid!) ?? 0);
  closeOwnFds();
  served = await serveInChromium(['--all'], 'ipcscope-e2e-age-');
});

afterAll(async () => {
  closeOwnFds();
  await served?.close();
  sleeper?.kill('SIGKILL');
  socketHolder?.kill('SIGKILL');
  killIfStillSame(seen);
});

/** "unix:INODE" of what `pid` holds on `fd`, as /proc names it. */
function socketId(pid: number, fd: number): string {
  return readlinkSync(`/proc/${pid}/fd/${fd}`).replace(/^socket:\[(\d+)\]$/, 'unix:$1');
}

/**
 * Selects an object homed beside process `pid` on the map by clicking it on
 * the canvas: the search reveals the process at the canvas's centre at zoom
 * k (data-revealed, data-view), and its objects stand in a column to its
 * right (renderer/map/map-layout.ts: 40 px after the box, OBJ_H + 6 apart).
 * The tooltip under the pointer must name one of `ids` before the click; a
 * frame that moved the layout meanwhile is met by revealing again.
 */
async function clickObjectBeside(page: Page, pid: number, ids: string[]): Promise<string> {
  const canvas = page.getByTestId('map-canvas');
  const tooltip = page.getByTestId('map-tooltip');
  const labels = ids.map((id) => id.replace(':', ' '));
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    await page.getByTestId('map-search').fill(String(pid));
    await page.getByTestId(`map-match-${pid}`).click({ timeout: SETTLE_MS });
    await page.getByTestId('map-search').fill('');
    const [pidText, at] = ((await canvas.getAttribute('data-revealed')) ?? '').split('@');
    const k = Number(((await canvas.getAttribute('data-view')) ?? '').split('@')[0]);
    const [cx, cy] = (at ?? '').split(',').map(Number);
    expect(Number(pidText)).toBe(pid);
    const position = { x: cx! + k * (PROC_W / 2 + 40 + OBJ_W / 2), y: cy! + k * (OBJ_H / 2 - PROC_H / 2) };
    await canvas.hover({ position });
    const head = await tooltip
      .locator('.map-tooltip-head')
      .textContent({ timeout: 2_000 })
      .catch(() => null);
    const index = head === null ? -1 : labels.indexOf(head);
    if (index >= 0) {
      await canvas.click({ position });
      return ids[index]!;
    }
    if (Date.now() > deadline) throw new Error(`no object of ${pid} under the pointer (tooltip: ${head})`);
  }
}

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

  it('inspecting a socket says when it was read and when it is read again, in both themes and in Chinese', async () => {
    if (!served || !socketHolder?.pid) throw new Error('setup failed');
    const { web, context } = served;
    const pid = socketHolder.pid;
    const ends = [socketId(pid, 3), socketId(pid, 4)];
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(web.url);
    await page.getByTestId('system-map').waitFor({ timeout: SETTLE_MS });
    // the profile kept the previous test's language
    await page.getByTestId('language').selectOption('en');
    const details = page.getByTestId('details-panel');
    const text = (id: string) => page.getByTestId(id).textContent();
    const picked = await clickObjectBeside(page, pid, ends);
    await expect.poll(() => details.textContent(), { timeout: SETTLE_MS }).toContain(picked.replace(':', ' '));
    // the end the 5 bytes wait in, the one the holder got as fd 4
    if (picked !== ends[1]) await page.getByTestId('facts-peer').getByRole('button').click();
    await expect.poll(() => text('facts-peer'), { timeout: SETTLE_MS }).toBe(ends[0]!.replace(':', ' '));
    expect(await details.textContent()).toContain(`${pid}:fd 4 rw`);
    expect(await text('facts-queued')).toBe('5 B (contents not read)');
    const age = page.getByTestId('object-age');
    await age.waitFor({ timeout: SETTLE_MS });
    expect(await age.textContent()).toMatch(/^([0-9.]+ s ago|at this frame); read again when a process that can change it runs, at least every 1 s$/);
    expect(await age.getAttribute('title')).toContain('the network, for a socket');
    await age.scrollIntoViewIfNeeded();
    const theme = async () => page.evaluate(() => document.documentElement.dataset.theme);
    const first = await theme();
    await page.screenshot({ path: join(RESULTS, `observe-all-socket-age-${first}.png`) });
    await page.getByTestId('theme').click();
    await expect.poll(theme).not.toBe(first);
    expect(await age.textContent()).toMatch(/^([0-9.]+ s ago|at this frame); read again/);
    await page.screenshot({ path: join(RESULTS, `observe-all-socket-age-${await theme()}.png`) });
    await page.getByTestId('language').selectOption('zh-Hans');
    await expect.poll(() => age.textContent()).toMatch(/^([0-9.]+ 秒前|本帧)；能改变它的进程运行时重读，至少每 1 秒一次$/);
    await page.screenshot({ path: join(RESULTS, 'observe-all-socket-age-zh-Hans.png') });
    // the kernel, now: the holder never ran, still asleep, the bytes still queued for it
    expect(procWchan(pid)).toBe('hrtimer_nanosleep');
    expect(socketId(pid, 4)).toBe(ends[1]);
    expect(problems).toEqual([]);
  });

  it('leaves nothing behind', async () => {
    if (!sleeper?.pid || !socketHolder?.pid) throw new Error('setup failed');
    sleeper.kill('SIGKILL');
    socketHolder.kill('SIGKILL');
    await waitAllGone(seen, SETTLE_MS, 'the sleeps');
  });
});
