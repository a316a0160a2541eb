import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../clock/animation-clock';
import { pipeMoments } from '../fixtures/pipe-lesson-frames';
import { renderApp, sentCommands } from '../fixtures/render-app';
import { freshRenderer } from '../fixtures/test-setup';
import { useAppStore } from '../store/app-store';

let clock: ManualClock;
let teardown: () => void;
beforeEach(() => ({ clock, teardown } = freshRenderer()));
afterEach(() => teardown());

describe('the lesson chooser', () => {
  it('is the first screen: every lesson with its mechanism and length', async () => {
    await renderApp(clock);
    const chooser = screen.getByTestId('lesson-chooser');
    expect(chooser.textContent).toContain('Watch Linux IPC as it really happens');
    expect(screen.getByTestId('lesson-card-pipe-parent-child').textContent).toContain('Pipe');
    expect(screen.getByTestId('lesson-card-pipe-parent-child').textContent).toContain('8 steps');
    expect(screen.getByTestId('lesson-card-fifo-race').textContent).toContain('FIFO');
    expect(screen.getByTestId('lesson-card-fifo-race').textContent).toContain('11 steps');
    expect(screen.queryByTestId('picture')).toBeNull();
  });

  it('starts a lesson with the parameters chosen, and one without params plainly', async () => {
    const { api } = await renderApp(clock);
    fireEvent.change(screen.getByTestId('param-fifo-race-order'), { target: { value: 'unlucky' } });
    fireEvent.change(screen.getByTestId('param-fifo-race-bytes'), { target: { value: '100' } });
    await act(async () => fireEvent.click(screen.getByTestId('start-fifo-race')));
    await act(async () => fireEvent.click(screen.getByTestId('start-pipe-parent-child')));
    expect(sentCommands(api)).toEqual([
      { type: 'lesson.start', lesson: 'fifo-race', params: { order: 'unlucky', bytes: 100 } },
      { type: 'lesson.start', lesson: 'pipe-parent-child' },
    ]);
  });

  it('a lesson started over the details of a process opens at its steps', async () => {
    const { emit } = await renderApp(clock);
    const { childBlocked } = pipeMoments();
    emit(childBlocked);
    act(() => useAppStore.getState().select(`process:${childBlocked.processes[0]!.pid}`));
    expect(screen.getByTestId('tab-details').getAttribute('aria-selected')).toBe('true');
    fireEvent.click(screen.getByTestId('btn-lessons'));
    await act(async () => fireEvent.click(screen.getByTestId('start-fifo-race')));
    emit(childBlocked);
    expect(screen.getByTestId('tab-steps').getAttribute('aria-selected')).toBe('true');
    /* the same from the header's picker */
    act(() => useAppStore.getState().select(`process:${childBlocked.processes[0]!.pid}`));
    await act(async () => fireEvent.change(screen.getByTestId('lesson-picker'), { target: { value: 'pipe-parent-child' } }));
    emit(childBlocked);
    expect(screen.getByTestId('tab-steps').getAttribute('aria-selected')).toBe('true');
  });

  it('opens over a running lesson from the header, in the chosen language, and closes', async () => {
    const { emit } = await renderApp(clock);
    emit(pipeMoments().childBlocked);
    expect(screen.queryByTestId('lesson-chooser')).toBeNull();
    expect(screen.getByTestId('picture')).toBeTruthy();
    fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-Hans' } });
    fireEvent.click(screen.getByTestId('btn-lessons'));
    expect(screen.getByTestId('lesson-card-fifo-race').textContent).toContain('两个写者，一个 FIFO');
    expect(screen.getByTestId('lesson-card-fifo-race').textContent).toContain('11 步');
    expect(screen.getByTestId('lesson-card-fifo-race').textContent).toContain('顺序');
    fireEvent.click(screen.getByTestId('chooser-close'));
    expect(screen.queryByTestId('lesson-chooser')).toBeNull();
  });

  it('shows the parameters the run was started with beside the title', async () => {
    const { emit } = await renderApp(clock);
    const { childBlocked } = pipeMoments();
    emit({ ...childBlocked, lesson: { ...childBlocked.lesson!, id: 'fifo-race', params: { order: 'unlucky', bytes: 100 } } });
    expect(screen.getAllByTestId('param-chip').map((c) => c.textContent)).toEqual(['Order: unlucky', 'Bytes per write: 100']);
    fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-Hans' } });
    expect(screen.getAllByTestId('param-chip')[0]!.textContent).toBe('顺序: unlucky');
  });

  it('names a mechanism it has no words for as the engine does, without failing', async () => {
    const { api } = await renderApp(clock);
    api.reply = () => ({ ok: true, data: [{ id: 'x-new', title: { en: 'New', 'zh-Hans': '新', 'zh-Hant': '新' }, summary: { en: '', 'zh-Hans': '', 'zh-Hant': '' }, mechanism: 'futex', stepCount: 3, params: [] }] });
    await act(async () => useAppStore.getState().loadLessons());
    expect(screen.getByTestId('lesson-card-x-new').textContent).toContain('futex');
  });
});
