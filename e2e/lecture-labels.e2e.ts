import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { clickStep, lessonFinished, MAX_LESSON_STEPS, questionWaiting, showSteps, startFromChooser, answerWith } from './lesson-driver';
import { openAtProjector, pidsOnPage, setLecture } from './page-driver';
import { procStartTime } from './proc-facts';
import { useServedBrowser } from './served-browser-suite';

/*
 * The socketpair lessons in lecture mode (type x1.35) on a 1280x720
 * projector: a node's side is 28 units from a socket pair's boxes, and the
 * "fd N rw" label of the edge between them stands on end in that gutter.
 * At every step, as Chromium draws it, no label covers another label, a
 * glyph's shapes (boxes, rings, titles) or a process node; each label names
 * a descriptor the kernel shows in /proc/PID/fd on the object it points at,
 * and each edge to a pair's end reaches that end's own box (the parent holds
 * both ends of each pair before the fork).
 */

const LESSONS = ['stream-vs-datagram', 'pass-descriptor'];

const { shots: SHOTS, seen, served } = useServedBrowser('lecture-labels');

interface DrawnLabel {
  edge: string;
  object: string;
  text: string;
}

/** Labels that cover something, and every label drawn, as Chromium lays them out (CSS px, 1 px tolerance). */
function measureLabels(page: Page): Promise<{ covered: string[]; labels: DrawnLabel[]; missed: string[] }> {
  return page.evaluate(() => {
    const picture = document.querySelector('[data-testid="picture"]')!;
    const box = (el: Element) => el.getBoundingClientRect();
    const hit = (a: DOMRect, b: DOMRect) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const edges = [...picture.querySelectorAll('[data-testid="edges"] > g[data-testid^="edge-"]')];
    const labels = edges.map((g) => ({ name: `label of ${g.getAttribute('data-testid')}`, r: box(g.querySelector(':scope > rect')!) }));
    const shapes: { name: string; r: DOMRect }[] = [];
    for (const g of picture.querySelectorAll('[data-testid^="object-"]')) {
      for (const el of g.querySelectorAll('rect, circle, text')) {
        const r = box(el);
        if (r.width > 0 && r.height > 0) shapes.push({ name: `${g.getAttribute('data-testid')} ${el.tagName}${el.textContent ? ` "${el.textContent}"` : ''}`, r });
      }
    }
    for (const g of picture.querySelectorAll('[data-testid^="process-"]')) shapes.push({ name: g.getAttribute('data-testid')!, r: box(g.querySelector('rect')!) });
    const covered: string[] = [];
    labels.forEach((label, i) => {
      for (const other of [...labels.slice(0, i), ...shapes]) if (hit(label.r, other.r)) covered.push(`${label.name} / ${other.name}`);
    });
    // an edge to a socket pair's end ends on that end's box, never on the other end's (8 px: the arrowhead stops short of it)
    const missed: string[] = [];
    for (const g of edges) {
      const end = picture.querySelector(`[data-testid="pair-end-${g.getAttribute('data-object')}"] > rect`);
      const path = g.querySelector('path:last-of-type') as SVGPathElement | null;
      if (!end || !path) continue;
      const p = path.getPointAtLength(path.getTotalLength()).matrixTransform(path.getScreenCTM()!);
      const r = box(end);
      if (p.x < r.left - 8 || p.x > r.right + 8 || p.y < r.top - 8 || p.y > r.bottom + 8) missed.push(`${g.getAttribute('data-testid')} ends at ${Math.round(p.x)},${Math.round(p.y)}, off pair-end-${g.getAttribute('data-object')}`);
    }
    return {
      missed,
      covered,
      labels: edges.map((g) => ({ edge: g.getAttribute('data-testid')!, object: g.getAttribute('data-object')!, text: g.querySelector('text')?.textContent ?? '' })),
    };
  });
}

/** The kernel's name for descriptor `fd` of `pid` as the picture names objects ("unix:123", "pipe:456"), or null once it is gone. */
function heldObject(pid: number, fd: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`).replace(/^socket:\[(\d+)\]$/, 'unix:$1').replace(/^pipe:\[(\d+)\]$/, 'pipe:$1');
  } catch {
    return null; // the process closed it or exited since the frame
  }
}

describe('socketpair lessons in lecture mode at 1280x720', () => {
  for (const lesson of LESSONS) {
    it(`${lesson}: no "fd N" label covers another label, a glyph or a node at any step`, async () => {
      const { browser, web } = served();
      const page = await openAtProjector(browser, web.url);
      try {
        await page.getByTestId('language').selectOption('en');
        await startFromChooser(page, lesson);
        await setLecture(page, true);
        await showSteps(page);
        const covered: string[] = [];
        let labelled = 0;
        for (let step = 0; step < MAX_LESSON_STEPS && !(await lessonFinished(page)); step += 1) {
          if (await questionWaiting(page)) await answerWith(page, 1);
          else await clickStep(page);
          for (const pid of await pidsOnPage(page)) {
            const start = procStartTime(pid);
            if (start !== null) seen.set(pid, start);
          }
          await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
          const drawn = await measureLabels(page);
          covered.push(...drawn.covered.map((c) => `step ${step}: ${c}`), ...drawn.missed.map((m) => `step ${step}: ${m}`));
          // each label names a real descriptor: /proc/PID/fd/N still on the object its edge points at (or closed since the frame)
          for (const { edge, object, text } of drawn.labels) {
            const [, pid, fd] = /^edge-(\d+)-(\d+)$/.exec(edge)!;
            expect(text).toMatch(new RegExp(`^fd ${fd} (r|w|rw)$`));
            const held = heldObject(Number(pid), Number(fd));
            if (held !== null && object.startsWith('unix:')) {
              expect(held, `${edge} at step ${step}`).toBe(object);
              labelled += 1;
            }
          }
          if (drawn.labels.some((l) => l.object.startsWith('unix:'))) await page.screenshot({ path: join(SHOTS, `${lesson}-lecture-step-${String(step).padStart(2, '0')}.png`) });
        }
        expect(labelled, 'labels on socket edges were checked').toBeGreaterThan(0);
        expect(covered).toEqual([]);
      } finally {
        await page.getByTestId('lesson-picker').selectOption('').catch(() => undefined);
        await page.close();
      }
    }, 300_000);
  }
});
