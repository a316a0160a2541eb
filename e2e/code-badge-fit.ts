import type { Page } from 'playwright-core';

/**
 * The code pane's value badges ("= 200") measured in the browser: a badge may
 * sit at the end of its line's row only when the whole code of the line is
 * shown there; otherwise it goes to a row of its own under the code. Returns
 * "line N: why" for each badge that overlaps its code or takes room from it
 * (the code cut with an ellipsis while the badge sits beside it).
 */
export async function badgesOverCode(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const failed: string[] = [];
    for (const badge of document.querySelectorAll<HTMLElement>('[data-testid^="code-result-"]')) {
      const line = badge.closest('[data-testid^="code-line-"]');
      const code = line?.querySelector<HTMLElement>('.code-text');
      if (!line || !code) continue;
      const name = line.getAttribute('data-testid')!.replace('code-line-', 'line ');
      const b = badge.getBoundingClientRect();
      const c = code.getBoundingClientRect();
      const sameRow = b.top < c.bottom - 1 && c.top < b.bottom - 1;
      if (sameRow && b.left < c.right - 1 && c.left < b.right - 1) failed.push(`${name}: "${badge.textContent}" overlaps its code`);
      else if (sameRow && code.scrollWidth > code.clientWidth + 1) {
        failed.push(`${name}: "${badge.textContent}" beside code cut to ${code.clientWidth} of ${code.scrollWidth} px`);
      }
    }
    return failed;
  });
}
