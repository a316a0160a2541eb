import type { Page } from 'playwright-core';

/** Boxes the page draws, measured in the browser: what a lecturer's projector shows. */
export interface FitReport {
  /** Top of every header control, rounded: one value means one row. */
  headerRows: number;
  headerHeight: number;
  pictureArea: number;
  /** Largest area of any other panel. */
  largestPanelArea: number;
  pictureWidth: number;
  /** Pairs of drawn things whose boxes intersect (badges, rings, nodes, the freed-object lines, any object glyph under a gone line). */
  overlaps: string[];
  /** Freed-object lines that run past the picture's edges. */
  clipped: string[];
  /** Header controls side by side with less than HEADER_GAP px between them (or overlapping), or past the header's right end. */
  headerCrowded: string[];
}

/** Least room between two header controls, in CSS px. */
export const HEADER_GAP = 4;

export async function measureFit(page: Page): Promise<FitReport> {
  return page.evaluate((gap) => {
    const box = (el: Element) => el.getBoundingClientRect();
    const header = document.querySelector('.app-header')!;
    const tops = new Set([...header.children].map((c) => Math.round(box(c).top + box(c).height / 2)));
    const picture = document.querySelector('[data-testid="picture"]');
    const p = picture ? box(picture) : null;
    const panels = [...document.querySelectorAll('.panel')].map((el) => box(el).width * box(el).height);
    // The drawn shapes of the picture that must not cover one another.
    const shapes: { name: string; r: DOMRect }[] = [];
    for (const g of document.querySelectorAll('[data-testid^="object-"]')) {
      const ring = g.querySelector('circle');
      if (ring) shapes.push({ name: g.getAttribute('data-testid')!, r: box(ring) });
    }
    for (const g of document.querySelectorAll('[data-testid^="process-"]')) {
      shapes.push({ name: g.getAttribute('data-testid')!, r: box(g.querySelector('rect')!) });
      const badge = g.querySelector('[data-testid^="blocked-"]')?.parentElement?.querySelector('rect');
      if (badge) shapes.push({ name: `badge of ${g.getAttribute('data-testid')}`, r: box(badge) });
    }
    for (const t of document.querySelectorAll('[data-testid^="gone-"]')) shapes.push({ name: t.getAttribute('data-testid')!, r: box(t) });
    const overlaps: string[] = [];
    const hit = (a: DOMRect, b: DOMRect) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    for (let i = 0; i < shapes.length; i += 1) {
      for (let j = i + 1; j < shapes.length; j += 1) {
        const [a, b] = [shapes[i]!, shapes[j]!];
        // A process's own badge hangs under its own node.
        if (b.name === `badge of ${a.name}` || a.name === `badge of ${b.name}`) continue;
        if (hit(a.r, b.r)) overlaps.push(`${a.name} / ${b.name}`);
      }
    }
    // a gone line may also run over any object's glyph: its box (the ring, else its first rectangle)
    const goneLines = [...document.querySelectorAll('[data-testid^="gone-"]')].map((el) => ({ name: el.getAttribute('data-testid')!, r: box(el) }));
    for (const g of document.querySelectorAll('[data-testid^="object-"]')) {
      const shape = g.querySelector('circle') ? null : g.querySelector('rect');
      if (!shape) continue;
      for (const line of goneLines) if (hit(line.r, box(shape))) overlaps.push(`${line.name} / ${g.getAttribute('data-testid')}`);
    }
    const clipped = p ? goneLines.filter(({ r }) => r.left < p.left - 1 || r.right > p.right + 1 || r.top < p.top - 1 || r.bottom > p.bottom + 1).map(({ name }) => name) : [];
    // the header's controls: the children of its groups (a group's own gap is not ours to judge), left to right
    const groups = new Set(['brand', 'header-lesson', 'playback', 'header-settings']);
    const controls = [...header.children]
      .flatMap((c) => ([...c.classList].some((k) => groups.has(k)) ? [...c.children] : [c]))
      .map((el) => ({ name: el.getAttribute('data-testid') ?? el.className, r: box(el) }))
      .filter(({ r }) => r.width > 0)
      .sort((a, b) => a.r.left - b.r.left);
    const headerBox = box(header);
    const headerCrowded: string[] = [];
    for (let i = 0; i + 1 < controls.length; i += 1) {
      const [a, b] = [controls[i]!, controls[i + 1]!];
      if (b.r.left - a.r.right < gap) headerCrowded.push(`${a.name} / ${b.name}: ${Math.round(b.r.left - a.r.right)} px apart`);
    }
    for (const c of controls) if (c.r.right > headerBox.right) headerCrowded.push(`${c.name} past the header's end`);
    return {
      headerRows: tops.size,
      headerHeight: box(header).height,
      pictureArea: p ? p.width * p.height : 0,
      largestPanelArea: Math.max(0, ...panels),
      pictureWidth: p ? p.width : 0,
      overlaps,
      clipped,
      headerCrowded,
    };
  }, HEADER_GAP);
}
