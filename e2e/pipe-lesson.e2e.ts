import { copyFileSync, existsSync, mkdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, startIpcscopeWeb } from './ipcscope-web-process';
import type { IpcscopeWeb } from './ipcscope-web-process';
import { descendsFrom, exists, isLive, killIfStillSame, procStartTime, procState, procSyscallArgs, procWchan } from './proc-facts';
import { pidsOnPage, setLecture, stepUntil } from './page-driver';
import { badgesOverCode } from './code-badge-fit';
import { sideTabsCut } from './side-tabs-reach';
import { launchPersistentChromium, type PersistentChromium } from './chromium-launch';

/*
 * The first lesson, end to end: `node bin/ipcscope.js web --port 0` (what
 * `npm run web` runs), Debian's Chromium through playwright-core, the real
 * engine. Whatever the page claims is checked against /proc at that moment.
 */

const RESULTS = join(PROJECT_ROOT, 'test-results');

let web: IpcscopeWeb | null = null;
let context: BrowserContext | null = null;
let launched: PersistentChromium | null = null;
const lessonPids = new Set<number>();
/** pid -> start time, for cleanup that cannot hit a reused pid. */
const seen = new Map<number, number>();
const pageProblems: string[] = [];

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  web = await startIpcscopeWeb();
  launched = await launchPersistentChromium('ipcscope-e2e-chromium-');
  context = launched.context;
});

afterAll(async () => {
  await launched?.close();
  await web?.stop();
  // Only if the test failed before its own checks: leave nothing behind.
  killIfStillSame(seen);
});

function remember(pid: number): void {
  lessonPids.add(pid);
  const start = procStartTime(pid);
  if (start !== null) seen.set(pid, start);
}

async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(RESULTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

async function useLightTheme(page: Page): Promise<void> {
  for (let i = 0; i < 2; i += 1) {
    if ((await page.evaluate(() => document.documentElement.dataset.theme)) === 'light') return;
    await page.getByTestId('theme').click();
  }
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
}

describe('pipe-parent-child through npm run web', () => {
  it('shows the real child blocked in anon_pipe_read, the bytes, EOF, and leaves nothing behind', async () => {
    if (web === null || context === null) throw new Error('setup failed');
    const server = web;
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      const text = message.text();
      // A refused inline style or script would mean the page breaks under our CSP.
      if (/Content Security Policy|Refused to/i.test(text)) pageProblems.push(text);
    });
    page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));

    await page.goto(server.url);
    await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor({ timeout: 15_000 });
    await useLightTheme(page);
    await page.locator('[data-testid="lesson-picker"] option[value="pipe-parent-child"]').waitFor({ state: 'attached' });
    await page.getByTestId('lesson-picker').selectOption('pipe-parent-child');
    await page.locator('[data-testid="step-0"]').waitFor();

    // 1. Step until the page shows a process blocked in read.
    const blockedText = page.locator('[data-testid^="blocked-"]', { hasText: 'blocked in read' });
    await stepUntil(page, async () => (await blockedText.count()) > 0, 'a process shown "blocked in read"');
    for (const pid of await pidsOnPage(page)) remember(pid);
    expect(lessonPids.size).toBeGreaterThanOrEqual(2);
    for (const pid of lessonPids) {
      expect(isLive(pid), `pid ${pid} shown on the page is live in /proc`).toBe(true);
      expect(descendsFrom(pid, server.pid), `pid ${pid} descends from the ipcscope web process ${server.pid}`).toBe(true);
    }
    const blockedId = (await blockedText.first().getAttribute('data-testid')) ?? '';
    const child = Number(blockedId.replace('blocked-', ''));
    const shown = (await blockedText.first().textContent()) ?? '';
    const [, fdText, inodeText] = /read\(fd (\d+)\) on pipe (\d+)/.exec(shown) ?? [];
    expect(fdText, `blocked text names fd and pipe: ${shown}`).toBeDefined();
    // The kernel, right now: asleep in the pipe read, in read(2) on that very fd of that very pipe.
    expect(procWchan(child)).toBe('anon_pipe_read');
    expect(procState(child)).toBe('S');
    const syscall = procSyscallArgs(child);
    expect(syscall?.nr).toBe(0); /* x86_64 read */
    expect(syscall?.arg0).toBe(Number(fdText));
    expect(readlinkSync(`/proc/${child}/fd/${fdText}`)).toBe(`pipe:[${inodeText}]`);
    await expect.poll(() => page.getByTestId(`object-pipe:${inodeText}`).count()).toBe(1);
    const blockedShot = await screenshot(page, 'pipe-lesson-1-blocked');

    // 2. Step until the bytes arrive: the child prints what it read.
    await stepUntil(page, async () => ((await page.getByTestId('stdout-panel').textContent()) ?? '').includes('hello world'), 'hello world on stdout');
    await expect.poll(async () => (await page.getByTestId('event-log').textContent()) ?? '').toContain('hello world');
    await screenshot(page, 'pipe-lesson-2-hello-world');

    // 3. Step until EOF: the last writer closed, the child's read returned 0.
    await stepUntil(page, async () => ((await page.getByTestId('event-log').textContent()) ?? '').includes('EOF'), 'EOF in the event log');
    await screenshot(page, 'pipe-lesson-3-eof');
    await stepUntil(page, async () => (await page.getByTestId('lesson-banner').count()) > 0, 'the lesson banner');
    await screenshot(page, 'pipe-lesson-4-finished');

    // 5. The return values beside their lines never take room from the code, and every side tab is whole: a projector's 1280x720, each language, lecture mode too.
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(await page.locator('[data-testid^="code-result-"]').count()).toBeGreaterThan(2);
    for (const locale of ['en', 'zh-Hans', 'zh-Hant']) {
      await page.getByTestId('language').selectOption(locale);
      for (const lecture of [false, true]) {
        await setLecture(page, lecture);
        await page.locator('aside.side').screenshot({ path: join(RESULTS, `pipe-lesson-side-${locale}${lecture ? '-lecture' : ''}-1280.png`) });
        expect(await badgesOverCode(page), `${locale}${lecture ? ', lecture' : ''}`).toEqual([]);
        expect(await sideTabsCut(page), `side tabs, ${locale}${lecture ? ', lecture' : ''}`).toEqual([]);
      }
    }
    await page.getByTestId('lecture').click();
    await page.getByTestId('language').selectOption('en');
    // The README's picture: written when missing or asked for, so that every
    // test run does not leave a changed tracked file behind.
    const readmeShot = join(PROJECT_ROOT, 'assets', 'screenshot.png');
    if (!existsSync(readmeShot) || process.env.IPCSCOPE_UPDATE_SCREENSHOT === '1') {
      mkdirSync(join(PROJECT_ROOT, 'assets'), { recursive: true });
      copyFileSync(blockedShot, readmeShot); // the child asleep in read(): the lesson's key moment
    }

    // 4. Stop the server the way a user does (SIGTERM / Ctrl+C): nothing may be left.
    await context.close();
    context = null;
    expect(await server.stop()).toBe(0);
    for (const pid of lessonPids) {
      await expect.poll(() => exists(pid), { message: `lesson pid ${pid} is gone from /proc`, timeout: 5000 }).toBe(false);
    }
    expect(pageProblems).toEqual([]);
  });
});
