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
}

export async function measureFit(page: Page): Promise<FitReport> {
  return page.evaluate(() => {
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
    return {
      headerRows: tops.size,
      headerHeight: box(header).height,
      pictureArea: p ? p.width * p.height : 0,
      largestPanelArea: Math.max(0, ...panels),
      pictureWidth: p ? p.width : 0,
      overlaps,
      clipped,
    };
  });
}
