import { mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumExecutable } from './chromium-launch';
import { PROJECT_ROOT, startIpcscopeWeb, type IpcscopeWeb } from './ipcscope-web-process';
import { poolFanAsleep, startPoolFromChooser } from './page-driver';
import { killIfStillSame, procStartTime, procWchan, waitAllGone } from './proc-facts';

/*
 * The process pool's keeps version at 100 workers in the browser mode: the
 * youngest worker holds the write ends of its 99 elder siblings' pipes, and
 * the wire (native-bridge/model/wire-frame.ts) sends only a few of its
 * descriptors and counts the rest. The inspector must say how many it left
 * out and what they are, with the numbers /proc/PID/fd gives.
 */

const WORKERS = 100;
const RESULTS = join(PROJECT_ROOT, 'test-results');
/** Generous: a loaded 2-core machine starts the workers and samples them. */
const SETTLE_MS = 120_000;
/** WIRE_CAPS.fds: descriptors a process keeps on the wire. */
const FDS_SENT = 12;

let web: IpcscopeWeb | null = null;
let browser: Browser | null = null;
const seen = new Map<number, number>();

function children(ppid: number): number[] {
  return readdirSync(`/proc/${ppid}/task`).flatMap((tid) => {
    try {
      return readFileSync(`/proc/${ppid}/task/${tid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

/** Write ends of pipes among `pid`'s descriptors: /proc/PID/fd links `pipe:[...]`, fdinfo flags & 3 = 1 (O_WRONLY). */
function pipeWriteEnds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      if (!readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('pipe:[')) return false;
      return (parseInt(/flags:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))![1]!, 8) & 3) === 1;
    } catch {
      return false;
    }
  }).length;
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

describe('the pool, version keeps, through the wire', () => {
  it('the inspector lists a few descriptors of the youngest worker and counts the elder write ends it holds', async () => {
    if (!web || !browser) throw new Error('setup failed');
    const { page, problems } = await startPoolFromChooser(browser, web.url, WORKERS, 'keeps');
    const { parent } = await poolFanAsleep(page, WORKERS, SETTLE_MS);
    const workers = children(parent).sort((a, b) => a - b);
    for (const pid of workers) seen.set(pid, procStartTime(pid) ?? 0);
    expect(workers.filter((pid) => procWchan(pid) === 'anon_pipe_read')).toHaveLength(WORKERS);

    /* the youngest worker: forked last, it inherited every elder sibling's write end */
    const youngest = workers.at(-1)!;
    const open = readdirSync(`/proc/${youngest}/fd`).length;
    const writeEnds = pipeWriteEnds(youngest);
    expect(writeEnds).toBeGreaterThanOrEqual(WORKERS - 1);
    await page.getByTestId('map-search').fill(String(youngest));
    await page.getByTestId(`map-match-${youngest}`).click();
    await page.getByTestId('tab-details').click();
    const more = page.getByTestId('fds-more');
    await more.waitFor({ timeout: 30_000 });
    const left = open - FDS_SENT;
    expect(await more.textContent()).toBe(`+${left} more: ${left} pipe write ends`);
    expect(await page.locator('[data-testid="details-panel"] .fd-table li').count()).toBe(FDS_SENT + 1);
    await more.scrollIntoViewIfNeeded();
    await page.getByTestId('details-panel').screenshot({ path: join(RESULTS, 'pool-keeps-wire-inspector.png') });
    await page.screenshot({ path: join(RESULTS, 'pool-keeps-wire.png') });

    await page.close();
    const server = web;
    web = null;
    await server.stop();
    await waitAllGone(seen, SETTLE_MS, 'workers');
    expect(problems).toEqual([]);
  });
});
