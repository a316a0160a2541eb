import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchPersistentChromium, type PersistentChromium } from './chromium-launch';
import { PROJECT_ROOT, startIpcscopeWeb } from './ipcscope-web-process';
import type { IpcscopeWeb } from './ipcscope-web-process';
import { unreachableHeaderControls } from './header-reach';
import { setLecture } from './page-driver';
import { measureFit } from './projector-fit';
import { exists, procState, procSyscallArgs, procWchan } from './proc-facts';

/*
 * Observing a real pipeline from the browser: the test starts
 * `sh -c 'sleep 1000 | cat'` itself, picks it in the process picker by
 * searching, observes it with its descendants, finds cat drawn asleep in
 * read on the pipe while /proc/PID/wchan says anon_pipe_read, inspects it,
 * then goes to a lesson and back (one click back each way). The pipeline is
 * killed at the end, and the lesson's processes die with the server.
 */

const RESULTS = join(PROJECT_ROOT, 'test-results');
const WAIT_MS = 60_000;

let web: IpcscopeWeb | null = null;
let context: BrowserContext | null = null;
let launched: PersistentChromium | null = null;
/** Process groups this test started (each led by its sh/bash), killed at the end. */
const groups: ChildProcess[] = [];
const pageProblems: string[] = [];

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
  } catch {
    return '';
  }
}

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  web = await startIpcscopeWeb();
  launched = await launchPersistentChromium('ipcscope-e2e-observe-');
  context = launched.context;
});

afterAll(async () => {
  await launched?.close();
  await web?.stop();
  /* each its own process group: sh, sleep and cat go together */
  for (const group of groups) {
    if (group.pid === undefined || group.exitCode !== null || group.signalCode !== null) continue;
    const ended = new Promise((resolve) => group.once('exit', resolve));
    try {
      process.kill(-group.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await ended;
  }
});

/** The lesson's program is on screen and the header names it (the side column may show its Details tab). */
async function lessonRunning(page: Page): Promise<void> {
  await page.getByTestId('code-pane').waitFor({ timeout: WAIT_MS });
  await expect.poll(() => page.getByTestId('lesson-picker').inputValue(), { timeout: WAIT_MS }).toBe('pipe-parent-child');
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(RESULTS, `${name}.png`) });
}

/** At a projector's 1280x720 and at 1920x1080, no header control lies under another (a click at its centre reaches it). */
async function everyHeaderControlReachable(page: Page, name: string): Promise<void> {
  for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
    await page.setViewportSize({ width, height });
    await expect.poll(() => unreachableHeaderControls(page), { timeout: WAIT_MS }).toEqual([]);
    await screenshot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/**
 * At a projector's 1280x720 the header is one row with room between its controls, in each language and in lecture
 * mode too (a second row takes its height from the picture). The failure names each control's width.
 */
async function headerOneRowAt1280(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 720 });
  for (const locale of ['en', 'zh-Hans', 'zh-Hant']) {
    await page.getByTestId('language').selectOption(locale);
    for (const lecture of [false, true]) {
      await setLecture(page, lecture);
      const fit = await measureFit(page);
      const widths = await page.evaluate(() =>
        [...document.querySelectorAll('.app-header button, .app-header select')]
          .map((el) => `${el.getAttribute('data-testid') ?? el.textContent}:${Math.round(el.getBoundingClientRect().width)}`)
          .join(' '),
      );
      const what = `${name}, ${locale}${lecture ? ', lecture' : ''} (${widths})`;
      await screenshot(page, `${name}-1280-${locale}${lecture ? '-lecture' : ''}`);
      expect(fit.headerRows, `${what}: header in one row`).toBe(1);
      expect(fit.headerCrowded, `${what}: header controls keep apart`).toEqual([]);
    }
  }
  await page.getByTestId('lecture').click();
  await page.getByTestId('language').selectOption('en');
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** Polls until `check` returns a value (not null), or fails after `ms`. */
async function until<T>(what: string, check: () => T | null, ms = WAIT_MS): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** cat drawn blocked in read on the pipe, checked against the kernel in the same moment. */
async function expectCatBlocked(page: Page, cat: number, pipeInode: string, words = 'blocked in read(fd 0)'): Promise<void> {
  const node = page.locator(`[data-testid="process-${cat}"][data-blocked="true"]`);
  await node.waitFor({ timeout: WAIT_MS });
  expect(await node.getAttribute('data-waits-on')).toBe(`pipe:${pipeInode}`);
  const sentence = (await page.getByTestId(`blocked-${cat}`).textContent()) ?? '';
  expect(sentence).toContain(words);
  expect(sentence).toContain(`pipe ${pipeInode}`);
  expect(procWchan(cat)).toBe('anon_pipe_read');
  expect(procState(cat)).toBe('S');
  expect(procSyscallArgs(cat)).toEqual({ nr: 0, arg0: 0 }); /* x86_64 read(0, ...) */
}

describe('observe a real pipeline through npm run web', () => {
  it('picks sh by search, observes its tree, shows cat blocked in read, inspects it, goes to a lesson and back', async () => {
    const page = context?.pages()[0] ?? (await context?.newPage());
    try {
      await observeTheLesson(page ?? null);
    } catch (error) {
      /* what the page showed when it went wrong */
      if (page) await screenshot(page, 'observe-failure').catch(() => undefined);
      throw error;
    }
  });

  it('shows a parent\'s write to its child once a second along the descriptor that carried it', async () => {
    const page = context?.pages()[0] ?? (await context?.newPage());
    try {
      await observeTraffic(page ?? null);
    } catch (error) {
      if (page) await screenshot(page, 'observe-traffic-failure').catch(() => undefined);
      throw error;
    }
  });
});

/* bash writes "ping\n" to its child cat once a second (timed by read -t on a silent pipe: no child to reap); the pipe is its only writable descriptor */
const WRITER = `
for f in /proc/$$/fd/*; do n=\${f##*/}; case $n in 0|1|2) ;; *) eval "exec $n>&-" 2>/dev/null;; esac; done
exec 0<&- 2>/dev/null
exec > >(exec 2>&- cat >/dev/null)
exec 9< <(exec 2>&- sleep 100000)
exec 2>&-
while :; do echo ping; read -t 1 -u 9; done
`;

function syscwOf(pid: number): number {
  return Number(/^syscw: (\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'latin1'))?.[1] ?? NaN);
}

async function observeTraffic(page: Page | null): Promise<void> {
  if (web === null || page === null) throw new Error('setup failed');
  const writer = spawn('bash', ['-c', WRITER], { stdio: 'ignore', detached: true });
  groups.push(writer);
  const bash = writer.pid!;
  const cat = await until('cat asleep in read', () => {
    const found = childrenOf(bash).find((pid) => commOf(pid) === 'cat');
    return found !== undefined && procWchan(found) === 'anon_pipe_read' ? found : null;
  });
  const pipeInode = /^pipe:\[(\d+)\]$/.exec(readlinkSync(`/proc/${bash}/fd/1`))?.[1] ?? '';
  expect(readlinkSync(`/proc/${cat}/fd/0`)).toBe(`pipe:[${pipeInode}]`);
  /* a fresh page: nothing left open by the previous test */
  await page.goto(web.url);
  await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor({ timeout: 15_000 });

  await page.getByTestId('btn-observe').click();
  await page.getByTestId('picker-search').fill('echo ping');
  await page.getByTestId(`pick-${bash}`).check({ timeout: WAIT_MS });
  await page.getByTestId('picker-observe').click();
  await page.locator('[data-testid="scope-bar"][data-scope="tree"]').waitFor({ timeout: WAIT_MS });

  // Each write shows on bash's fd 1 edge, 5 bytes a call, while the kernel's write count grows.
  const before = syscwOf(bash);
  const edge = page.getByTestId(`traffic-edge-${bash}-1`);
  await edge.waitFor({ timeout: WAIT_MS });
  expect(Number(await edge.getAttribute('data-bytes')) % 5).toBe(0);
  expect(await edge.textContent()).toMatch(/B\/s written · fd 1$/);
  await page.getByTestId(`traffic-edge-${cat}-0`).waitFor({ timeout: WAIT_MS });
  expect(await page.getByTestId(`edge-${bash}-1`).getAttribute('data-object')).toBe(`pipe:${pipeInode}`);
  await expect.poll(() => syscwOf(bash), { timeout: WAIT_MS }).toBeGreaterThan(before);
  const lines = page.locator('[data-testid="traffic-line"][data-via="descriptor"]');
  await expect.poll(() => lines.count(), { timeout: WAIT_MS }).toBeGreaterThan(0);
  /* each badge clear of every "fd N r" label (as drawn by Chromium): they used to touch and the flow crossed the label */
  for (const id of [`traffic-edge-${bash}-1`, `traffic-edge-${cat}-0`]) {
    const badge = await page.getByTestId(id).locator('rect').boundingBox();
    const labels = await page.locator('[data-testid="edges"] > g > rect').evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number }));
    expect(badge).not.toBeNull();
    expect(labels.length).toBeGreaterThan(1);
    for (const l of labels) expect(badge!.x < l.x + l.width && l.x < badge!.x + badge!.width && badge!.y < l.y + l.height && l.y < badge!.y + badge!.height).toBe(false);
  }
  await screenshot(page, 'observe-6-traffic');
  await page.getByTestId('scope-stop').click();
  await expect.poll(() => page.getByTestId('scope-bar').count(), { timeout: WAIT_MS }).toBe(0);
}

async function observeTheLesson(page: Page | null): Promise<void> {
    if (web === null || page === null) throw new Error('setup failed');
    const pipeline = spawn('sh', ['-c', 'sleep 1000 | cat'], { stdio: 'ignore', detached: true });
    groups.push(pipeline);
    const sh = pipeline.pid!;
    const { cat, sleep } = await until('cat asleep in read', () => {
      const kids = childrenOf(sh);
      const catPid = kids.find((pid) => commOf(pid) === 'cat');
      const sleepPid = kids.find((pid) => commOf(pid) === 'sleep');
      return catPid !== undefined && sleepPid !== undefined && procWchan(catPid) === 'anon_pipe_read' ? { cat: catPid, sleep: sleepPid } : null;
    });
    const pipeInode = /^pipe:\[(\d+)\]$/.exec(readlinkSync(`/proc/${cat}/fd/0`))?.[1] ?? '';
    expect(readlinkSync(`/proc/${sleep}/fd/1`)).toBe(`pipe:[${pipeInode}]`);

    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) pageProblems.push(message.text());
    });
    page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
    await page.goto(web.url);
    await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor({ timeout: 15_000 });

    // 1. The picker: search by command line, tick sh, with descendants.
    await page.getByTestId('btn-observe').click();
    await page.getByTestId('picker-search').fill('sleep 1000');
    await page.getByTestId(`pick-row-${sh}`).waitFor({ timeout: WAIT_MS });
    await page.getByTestId(`pick-row-${sleep}`).waitFor({ timeout: WAIT_MS });
    expect(await page.getByTestId(`pick-row-${sh}`).textContent()).toContain('sh -c sleep 1000 | cat');
    await screenshot(page, 'observe-1-picker');
    await page.getByTestId(`pick-${sh}`).check();
    expect(await page.getByTestId('picker-tree').isChecked()).toBe(true);
    await page.getByTestId('picker-observe').click();

    // 2. The tree is observed: cat drawn asleep in read on the pipe, as the kernel says.
    await page.locator('[data-testid="scope-bar"][data-scope="tree"]').waitFor({ timeout: WAIT_MS });
    expect(await page.getByTestId('scope-what').textContent()).toBe(`Observing PID ${sh} and every descendant`);
    await expectCatBlocked(page, cat, pipeInode);
    await page.getByTestId(`object-pipe:${pipeInode}`).waitFor();
    await page.getByTestId(`edge-${sleep}-1`).waitFor();

    // 3. Inspect cat.
    await page.getByTestId(`process-${cat}`).click();
    const details = page.getByTestId('details-panel');
    await expect.poll(async () => (await details.textContent()) ?? '', { timeout: WAIT_MS }).toContain(`${cat} (ppid ${sh}) cat`);
    expect(await details.textContent()).toContain('anon_pipe_read');
    expect(await details.textContent()).toContain(`pipe:[${pipeInode}]`);
    await screenshot(page, 'observe-2-cat-blocked');

    // 4. To a lesson: the observation ends, the lesson runs.
    await page.getByTestId('scope-lessons').click();
    await page.getByTestId('start-pipe-parent-child').click();
    await lessonRunning(page);
    await expect.poll(() => page.getByTestId('scope-bar').count(), { timeout: WAIT_MS }).toBe(0);
    await page.getByTestId('btn-back-to-observing').waitFor();
    await everyHeaderControlReachable(page, 'observe-lesson-header');
    await headerOneRowAt1280(page, 'observe-lesson-header');

    // 5. Back to observing in one click: the same tree, cat still asleep.
    await page.getByTestId('btn-back-to-observing').click();
    await page.locator('[data-testid="scope-bar"][data-scope="tree"]').waitFor({ timeout: WAIT_MS });
    await expectCatBlocked(page, cat, pipeInode);
    await everyHeaderControlReachable(page, 'observe-observing-header');
    await screenshot(page, 'observe-3-back');

    // 6. And back to that lesson in one click.
    await page.getByTestId('scope-back-to-lesson').click();
    await lessonRunning(page);
    await expect.poll(() => page.getByTestId('scope-bar').count(), { timeout: WAIT_MS }).toBe(0);

    await screenshot(page, 'observe-4-lesson-again');

    // The same observation in Simplified Chinese: the scope bar and the picker in that language.
    await page.getByTestId('btn-back-to-observing').click();
    await page.locator('[data-testid="scope-bar"][data-scope="tree"]').waitFor({ timeout: WAIT_MS });
    await page.getByTestId('language').selectOption('zh-Hans');
    await expect.poll(async () => (await page.getByTestId('scope-what').textContent()) ?? '').toBe(`正在观察 PID ${sh} 及其全部后代`);
    await expectCatBlocked(page, cat, pipeInode, '阻塞于 read(fd 0)');
    await screenshot(page, 'observe-5-zh-Hans');
    await page.getByTestId('language').selectOption('en');

    // Observing never touched the pipeline: all three still alive, cat still in read.
    for (const pid of [sh, sleep, cat]) expect(exists(pid)).toBe(true);
    expect(procWchan(cat)).toBe('anon_pipe_read');
    expect(pageProblems).toEqual([]);
}
