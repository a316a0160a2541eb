import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asleepIn, python3MissingReason } from '../native-bridge/diagnose/testing/python-situation';
import { observeSituationInChromium, type ObservedSituation } from './chromium-launch';
import { PROJECT_ROOT } from './ipcscope-web-process';

const RESULTS = join(PROJECT_ROOT, 'test-results');
const skip = python3MissingReason();

/* Two python3 processes in a deadlock: A reads P1 whose write end only B holds, B reads P2 whose write end only A holds. */
const SITUATION = `
import os
def quiet():
    null = os.open("/dev/null", os.O_RDWR)
    os.dup2(null, 1); os.dup2(null, 2); os.close(null)
r1, w1 = os.pipe()
r2, w2 = os.pipe()
if os.fork() == 0:
    os.close(r1); os.close(w2)
    say("b", os.getpid(), r2)
    quiet()
    os.read(r2, 1); os._exit(0)
os.close(w1); os.close(r2)
say("a", os.getpid(), r1)
quiet()
os.read(r1, 1)
`;

let observed: ObservedSituation | null = null;

beforeAll(async () => {
  if (skip !== null) return;
  mkdirSync(RESULTS, { recursive: true });
  observed = await observeSituationInChromium(SITUATION, 'b', 'ipcscope-e2e-fit-', { viewport: { width: 1280, height: 720 } });
});

afterAll(async () => {
  await observed?.close();
});

/** The picture's body text (13 units at type scale 1) as Chromium draws it: 13 x the SVG's scale on screen (CSS px). */
function bodyTextPx(page: Page): Promise<number> {
  return page.evaluate(() => 13 * (document.querySelector('[data-testid="picture"]') as SVGSVGElement).getScreenCTM()!.a);
}

async function openObservation(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor({ timeout: 15_000 });
  // the deadlock's two halos: the frame holds both processes and their pipes
  await page.locator('[data-testid^="diagnosis-"][data-kind="deadlock"]').first().waitFor({ timeout: 30_000 });
}

describe.skipIf(skip !== null)('the picture or the map, by the size of the picture\'s text as Chromium draws it', () => {
  it('at 1280x720 a two-process deadlock over three pipes keeps its picture; on a lower window the map, whose reason gives the drawn size', async () => {
    if (!observed) throw new Error('setup failed');
    const { situation, web, context } = observed;
    const [a] = await situation.numbers('a');
    const [b] = await situation.numbers('b');
    for (const pid of [a!, b!]) await asleepIn(pid, 'anon_pipe_read');
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));

    await openObservation(page, web.url);
    // The stage chose by itself: the picture, its text as the rule estimated it (>= 7.5 px).
    await page.getByTestId('picture').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('view-picture').getAttribute('aria-pressed')).toBe('true');
    const drawn = await bodyTextPx(page);
    expect(drawn).toBeGreaterThanOrEqual(7.5);
    await page.screenshot({ path: join(RESULTS, 'picture-fit-1280.png') });

    // A window 250 px lower: the map, and its reason names the size the picture's text would be drawn at.
    await page.setViewportSize({ width: 1280, height: 470 });
    const reason = page.getByTestId('map-reason');
    await reason.waitFor({ timeout: 10_000 });
    expect(await reason.getAttribute('data-why')).toBe('small-text');
    const said = Number(/would be (\d+) px/.exec((await reason.textContent()) ?? '')?.[1]);
    await page.screenshot({ path: join(RESULTS, 'picture-fit-470.png') });
    await page.getByTestId('view-picture').click();
    await page.getByTestId('picture').waitFor();
    expect(said).toBe(Math.round(await bodyTextPx(page)));
    expect(problems).toEqual([]);
  });
});
