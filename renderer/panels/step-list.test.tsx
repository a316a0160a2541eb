import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ManualClock } from '../clock/animation-clock';
import { pipeMoments } from '../fixtures/pipe-lesson-frames';
import { renderApp } from '../fixtures/render-app';
import { freshRenderer } from '../fixtures/test-setup';

/* jsdom lays nothing out: record which element the list asks to show */
const scrolled = vi.hoisted(() => [] as string[]);
vi.mock('./scroll-within', () => ({
  scrollWithin: (item: HTMLElement | null) => {
    if (item?.dataset.testid?.startsWith('step-')) scrolled.push(item.dataset.testid);
  },
}));

let clock: ManualClock;
let teardown: () => void;
beforeEach(() => ({ clock, teardown } = freshRenderer()));
afterEach(() => {
  teardown();
  scrolled.length = 0;
});

describe('the step list', () => {
  it('follows the lesson: the next step is scrolled into view as it moves, never with scrollIntoView (it scrolls the page too)', async () => {
    /* jsdom has no scrollIntoView: a recorder stands in for the browser's */
    const original = Element.prototype.scrollIntoView;
    const spy = vi.fn();
    Element.prototype.scrollIntoView = spy;
    try {
      const { emit } = await renderApp(clock);
      const m = pipeMoments();
      emit(m.piped);
      expect(scrolled.at(-1)).toBe('step-1');
      emit(m.childBlocked);
      expect(scrolled.at(-1)).toBe('step-5');
      expect(screen.getByTestId('step-5').className).toContain('next');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      Element.prototype.scrollIntoView = original;
    }
  });
});
