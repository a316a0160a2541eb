import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../clock/animation-clock';
import { pipeMoments } from '../fixtures/pipe-lesson-frames';
import { renderApp } from '../fixtures/render-app';
import { freshRenderer } from '../fixtures/test-setup';

let clock: ManualClock;
let teardown: () => void;
beforeEach(() => ({ clock, teardown } = freshRenderer()));
const original = Element.prototype.scrollIntoView;
afterEach(() => {
  teardown();
  Element.prototype.scrollIntoView = original;
});

describe('the step list', () => {
  it('follows the lesson: the next step is scrolled into view as it moves', async () => {
    const scrolled: string[] = [];
    // jsdom lays nothing out: record which element asked to be scrolled into view.
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this.getAttribute('data-testid') ?? '');
    };
    const { emit } = await renderApp(clock);
    const m = pipeMoments();
    emit(m.piped);
    expect(scrolled.at(-1)).toBe('step-1');
    emit(m.childBlocked);
    expect(scrolled.at(-1)).toBe('step-5');
    expect(screen.getByTestId('step-5').className).toContain('next');
  });
});
