import type { Page } from 'playwright-core';

/**
 * Header controls a click cannot reach: for each button and select in the
 * header, the element at its centre must be itself (or inside it), and the
 * centre must be on screen. Returns "testid (label)" for each that fails.
 */
export async function unreachableHeaderControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const failed: string[] = [];
    for (const control of document.querySelectorAll<HTMLElement>('.app-header button, .app-header select')) {
      const r = control.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue; /* not shown (display: none) */
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      const hit = x >= 0 && y >= 0 && x < innerWidth && y < innerHeight ? document.elementFromPoint(x, y) : null;
      if (hit === null || !control.contains(hit)) {
        const name = control.dataset.testid ?? control.getAttribute('aria-label') ?? control.textContent?.trim() ?? '?';
        failed.push(`${name} (under ${hit?.closest('[data-testid]')?.getAttribute('data-testid') ?? hit?.tagName ?? 'off screen'})`);
      }
    }
    return failed;
  });
}
