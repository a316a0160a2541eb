import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchPersistentChromium, type PersistentChromium } from './chromium-launch';
import { PROJECT_ROOT, startIpcscopeWeb, type IpcscopeWeb } from './ipcscope-web-process';
import { exists, killIfStillSame, procStartTime, procWchan } from './proc-facts';

/*
 * The system map, end to end: a real bash starts WORKERS `cat`s, each reading
 * its own pipe whose write end bash keeps (bash's process substitution; each
 * cat first closes the write ends of its elder siblings' pipes, which it
 * would otherwise inherit), then execs `sleep`. `ipcscope web --pid BASH
 * --tree` observes them; the page must show one fan whose counts match
 * /proc/PID/wchan, find a PID, inspect it, and hit-test it on the canvas.
 */

const WORKERS = 200;
const RESULTS = join(PROJECT_ROOT, 'test-results');
/** Generous: 8 helpers share 2 cores while this runs. */
const SETTLE_MS = 90_000;

let pool: ChildProcess | null = null;
/** `sh -c 'sleep 1000 | cat'`, observed beside the pool: one small pipeline among 200 workers. */
let pipeline: ChildProcess | null = null;
let web: IpcscopeWeb | null = null;
let context: BrowserContext | null = null;
let launched: PersistentChromium | null = null;
const seen = new Map<number, number>();

function children(ppid: number): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === ppid) found.push(Number(name));
    } catch {
      /* exited while we looked */
    }
  }
  return found.sort((a, b) => a - b);
}

function comm(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

async function until<T>(what: string, probe: () => T | null | undefined | false, timeoutMs = SETTLE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Cats of the pool asleep in read on their empty pipe, as the kernel says (KERNEL-FACTS: anon_pipe_read). */
function catsInPipeRead(parent: number): number[] {
  return children(parent).filter((pid) => comm(pid) === 'cat' && procWchan(pid) === 'anon_pipe_read');
}

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  // `closes` grows with each pipe: the next cat closes every write end bash made before its own.
  const script = `closes=''; for i in $(seq ${WORKERS}); do eval "exec {fd}> >(exec $closes cat)"; closes="$closes $fd>&-"; done; exec sleep 1000`;
  pool = spawn('bash', ['-c', script], { stdio: 'ignore', detached: true });
  const parent = pool.pid!;
  seen.set(parent, procStartTime(parent) ?? 0);
  await until('bash to start every cat and exec sleep', () => comm(parent) === 'sleep' && children(parent).length >= WORKERS);
  for (const pid of children(parent)) seen.set(pid, procStartTime(pid) ?? 0);
  pipeline = spawn('sh', ['-c', 'sleep 1000 | cat'], { stdio: 'ignore', detached: true });
  const sh = pipeline.pid!;
  seen.set(sh, procStartTime(sh) ?? 0);
  await until('the pipeline to start', () => children(sh).length === 2);
  for (const pid of children(sh)) seen.set(pid, procStartTime(pid) ?? 0);
  web = await startIpcscopeWeb(['--pid', `${parent},${sh}`, '--tree']);
  launched = await launchPersistentChromium('ipcscope-e2e-map-');
  context = launched.context;
});

afterAll(async () => {
  await launched?.close();
  await web?.stop();
  for (const group of [pool?.pid, pipeline?.pid]) {
    if (!group) continue;
    try {
      // The whole group: bash (now sleep) and its cats (no job control in bash -c: one group).
      process.kill(-group, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  killIfStillSame(seen);
});

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(RESULTS, `${name}.png`) });
}

describe('system map through ipcscope web --pid --tree', () => {
  it('shows 200 cats as one fan with the counts /proc gives, finds one, inspects it and hit-tests it', async () => {
    if (!web || !context || !pool?.pid) throw new Error('setup failed');
    const parent = pool.pid;
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(web.url);
    await page.getByTestId('system-map').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('view-map').getAttribute('aria-pressed')).toBe('true');

    // The fan settles at 200 members all asleep in read, as /proc says at that moment.
    const fan = page.getByTestId(`map-fan-fan:${parent}:cat`);
    await fan.waitFor({ state: 'attached', timeout: SETTLE_MS });
    await page.waitForFunction(
      ([key, n]) => document.querySelector(`[data-testid="map-fan-${key}"]`)?.getAttribute('data-blocked-read') === String(n),
      [`fan:${parent}:cat`, WORKERS] as const,
      { timeout: SETTLE_MS },
    );
    const kernelBlocked = catsInPipeRead(parent);
    expect(kernelBlocked).toHaveLength(WORKERS);
    expect(await fan.getAttribute('data-total')).toBe(String(WORKERS));
    expect(await fan.getAttribute('data-running')).toBe('0');
    expect(await fan.textContent()).toContain(`${WORKERS} × cat — ${WORKERS} blocked in read`);
    expect(await fan.textContent()).toContain(`${WORKERS} pipe`);
    await page.waitForFunction(() => document.querySelector('[data-testid="map-canvas"]')?.getAttribute('data-painted-seq'));
    await shot(page, 'system-map-1-fan');

    // Search a PID: its fan opens, it is selected, the inspector says what /proc says.
    const target = kernelBlocked[Math.floor(WORKERS / 2)]!;
    await page.getByTestId('map-search').fill(String(target));
    await page.getByTestId(`map-match-${target}`).click();
    await page.waitForFunction((key) => document.querySelector(`[data-testid="map-fan-${key}"]`)?.getAttribute('data-expanded') === 'true', `fan:${parent}:cat`);
    // The pick closed the match list: it no longer covers the map.
    expect(await page.getByTestId('map-matches').count()).toBe(0);
    const details = page.getByTestId('details-panel');
    await expect.poll(() => details.textContent(), { timeout: 15_000 }).toContain(`${target} (ppid ${parent}) cat`);
    expect(await details.textContent()).toContain(procWchan(target) ?? 'anon_pipe_read');
    await shot(page, 'system-map-2-found');

    // Hit-testing the canvas: deselect by clicking empty space, then click where the map put the process.
    await page.getByTestId('map-search').fill('');
    const canvas = page.getByTestId('map-canvas');
    const revealed = (await canvas.getAttribute('data-revealed')) ?? '';
    const [pidText, at] = revealed.split('@');
    expect(Number(pidText)).toBe(target);
    const [x, y] = (at ?? '').split(',').map(Number);
    await canvas.click({ position: { x: 4, y: 4 } });
    await expect.poll(() => details.textContent()).not.toContain(`${target} (ppid`);
    await canvas.hover({ position: { x: x!, y: y! } });
    await expect.poll(() => page.getByTestId('map-tooltip').textContent(), { timeout: 10_000 }).toContain(`PID ${target}`);
    await canvas.click({ position: { x: x!, y: y! } });
    await expect.poll(() => details.textContent(), { timeout: 15_000 }).toContain(`${target} (ppid ${parent}) cat`);
    await shot(page, 'system-map-3-inspected');

    // The small pipeline among them: its cat is a process of its own, asleep in read on the very pipe /proc names.
    const sh = pipeline!.pid!;
    const cat = await until('the pipeline cat in read', () => children(sh).find((pid) => comm(pid) === 'cat' && procWchan(pid) === 'anon_pipe_read'));
    const inode = /pipe:\[(\d+)\]/.exec(readlinkSync(`/proc/${cat}/fd/0`))?.[1];
    await page.getByTestId('map-search').fill(String(cat));
    await page.getByTestId(`map-match-${cat}`).click();
    await expect.poll(() => details.textContent(), { timeout: 15_000 }).toContain(`blocked in read(fd 0) on pipe ${inode}`);
    await page.getByTestId('map-search').fill('');
    await shot(page, 'system-map-4-pipeline');

    // The other theme, fitted: what a lecturer's projector shows.
    await page.getByTestId('theme').click();
    await page.getByTestId('map-fit').click();
    // Fit fills the canvas: the map's bounds on screen reach the margins on one side or the other.
    const box = (await canvas.boundingBox())!;
    await expect
      .poll(async () => {
        const [, at] = ((await canvas.getAttribute('data-view')) ?? '').split('@');
        const [x0, y0, x1, y1] = (at ?? '').split(',').map(Number);
        return Math.max((x1! - x0!) / box.width, (y1! - y0!) / box.height);
      })
      .toBeGreaterThan(0.9);
    await shot(page, 'system-map-5-light-fit');
    expect(problems).toEqual([]);
  });

  it('leaves nothing behind', async () => {
    const parent = pool?.pid;
    if (!parent || !pipeline?.pid) throw new Error('setup failed');
    process.kill(-parent, 'SIGKILL');
    process.kill(-pipeline.pid, 'SIGKILL');
    await until('every pool process to be gone', () => [...seen.keys()].every((pid) => !exists(pid) || procStartTime(pid) !== seen.get(pid)));
  });
});
