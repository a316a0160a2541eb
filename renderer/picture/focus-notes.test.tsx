import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import { CHILD, pipeMoments } from '../fixtures/pipe-lesson-frames';
import { frameFeed } from '../fixtures/frame-feed';
import { useAppStore } from '../store/app-store';
import { FocusNotes } from './focus-notes';
import { Picture } from './picture';

const { show } = frameFeed();

const NOTE = { en: 'The forgotten write end.', 'zh-Hans': '被遗忘的写端。', 'zh-Hant': '被遺忘的寫端。' };

/** The forked moment, with its fork step pointing at the child's write end (fd 4). */
function withFocus(frame: Frame, status: 'done' | 'pending'): Frame {
  const lesson = frame.lesson!;
  const steps = lesson.steps.map((step) => (step.index === 1 ? { ...step, status, focus: [{ role: 'child', pid: CHILD, fd: 4, note: NOTE }] } : step));
  return { ...frame, lesson: { ...lesson, steps } };
}

describe('a step that points at descriptors', () => {
  it('marks the descriptor in the picture with a number and says why under it, once the step has settled', () => {
    const { forked } = pipeMoments();
    render(
      <>
        <Picture />
        <FocusNotes />
      </>,
    );
    show(withFocus(forked, 'pending'));
    expect(screen.queryByTestId('focus-notes')).toBeNull();
    expect(screen.getByTestId(`edge-${CHILD}-4`).getAttribute('data-focus')).toBeNull();

    show(withFocus(forked, 'done'));
    expect(screen.getByTestId(`edge-${CHILD}-4`).getAttribute('data-focus')).toBe('1');
    expect(screen.getByTestId(`edge-${CHILD}-3`).getAttribute('data-focus')).toBeNull();
    expect(screen.getByTestId('focus-note-1').textContent).toContain('fd 4 of child');
    expect(screen.getByTestId('focus-note-1').textContent).toContain('The forgotten write end.');

    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(screen.getByTestId('focus-note-1').textContent).toContain('被遺忘的寫端。');
  });
});
