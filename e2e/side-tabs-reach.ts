import type { Page } from 'playwright-core';

/**
 * Side tabs a learner cannot see whole: each tab of the side column's tab bar
 * must lie inside the bar (not cut at its right edge, not pushed past it by a
 * longer label such as "Diagnoses (1, checking…)"). Returns "testid: why".
 */
export async function sideTabsCut(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const failed: string[] = [];
    for (const bar of document.querySelectorAll<HTMLElement>('.side-tabs .tab-bar')) {
      const b = bar.getBoundingClientRect();
      for (const tab of bar.querySelectorAll<HTMLElement>('[role="tab"]')) {
        const r = tab.getBoundingClientRect();
        if (r.right > b.right + 1 || r.left < b.left - 1) failed.push(`${tab.dataset.testid ?? tab.textContent}: ${Math.round(r.left)}–${Math.round(r.right)} outside the bar's ${Math.round(b.left)}–${Math.round(b.right)}`);
      }
    }
    return failed;
  });
}
