import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ManualClock } from '../clock/animation-clock';
import { pipeMoments } from '../fixtures/pipe-lesson-frames';
import { renderApp } from '../fixtures/render-app';
import { freshRenderer } from '../fixtures/test-setup';
import { toolkitMoments, withToolkit } from '../fixtures/toolkit-lesson-frames';

let clock: ManualClock;
let teardown: () => void;
beforeEach(() => ({ clock, teardown } = freshRenderer()));
afterEach(() => teardown());

const line = (n: number) => screen.getByTestId(`code-line-${n}`);

describe('the code pane', () => {
  it('highlights the executing line, greys the lines run, shows the result beside its line', async () => {
    const { emit } = await renderApp(clock);
    const { answeredBlocked } = toolkitMoments();
    emit(answeredBlocked);
    // Step 4 (child.c line 6) is blocked in read(): the pane shows the child's program, that line executing.
    expect(screen.getByTestId('code-lines').getAttribute('data-file')).toBe('child.c');
    expect(line(6).getAttribute('data-mark')).toBe('current');
    expect(line(6).getAttribute('aria-current')).toBe('step');
    // Step 2 (child.c line 5, close) is done: greyed, with its return value beside it.
    expect(line(5).getAttribute('data-mark')).toBe('done');
    expect(screen.getByTestId('code-result-5').textContent).toBe('= 0');
    expect(line(7).getAttribute('data-mark')).toBe('');
    expect(screen.queryByTestId('code-result-6')).toBeNull();
  });

  it('has a tab per program, follows the step being executed, and keeps a tab clicked', async () => {
    const { emit } = await renderApp(clock);
    const { beforeRead, answeredBlocked } = toolkitMoments();
    emit(beforeRead);
    expect(screen.getByTestId('code-tab-parent.c')).toBeTruthy();
    expect(screen.getByTestId('code-tab-child.c').getAttribute('aria-selected')).toBe('true');
    // Step 4 is the next step: its line is marked "next", not executing.
    expect(line(6).getAttribute('data-mark')).toBe('next');
    fireEvent.click(screen.getByTestId('code-tab-parent.c'));
    expect(screen.getByTestId('code-lines').getAttribute('data-file')).toBe('parent.c');
    expect(line(6).getAttribute('data-mark')).toBe('done');
    expect(screen.getByTestId('code-result-6').textContent).toBe('= 4101');
    emit({ ...answeredBlocked, seq: 90 });
    expect(screen.getByTestId('code-lines').getAttribute('data-file')).toBe('parent.c');
  });

  it('shows the comments in the UI language and copies that program', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { emit } = await renderApp(clock);
    emit(toolkitMoments().beforeRead);
    fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-Hans' } });
    expect(line(1).textContent).toContain('/* 子进程读 */');
    await act(async () => fireEvent.click(screen.getByTestId('code-copy')));
    expect(writeText).toHaveBeenCalledWith(expect.stringContaining('/* 子进程读 */'));
    expect(screen.getByTestId('code-copy').textContent).toBe('已复制');
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
  });

  it('says so when the clipboard refuses', async () => {
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    const { emit } = await renderApp(clock);
    emit(toolkitMoments().beforeRead);
    await act(async () => fireEvent.click(screen.getByTestId('code-copy')));
    expect(screen.getByText(/Copy failed/)).toBeTruthy();
  });

  it('is absent for a lesson without programs', async () => {
    const { emit } = await renderApp(clock);
    emit(pipeMoments().childBlocked);
    expect(screen.queryByTestId('code-pane')).toBeNull();
    emit({ ...pipeMoments().childBlocked, seq: 70, lesson: withToolkit(pipeMoments().childBlocked.lesson!) });
    expect(screen.getByTestId('code-pane')).toBeTruthy();
  });

  it('shows a step ended by a dying process, and the lesson error, in the chosen language', async () => {
    const { emit } = await renderApp(clock);
    const frame = toolkitMoments().beforeRead;
    const died = {
      en: 'no return: the process died: killed by signal 9 (SIGKILL)',
      'zh-Hans': '没有返回：进程已死，被信号 9（SIGKILL）终止',
      'zh-Hant': '沒有返回：行程已死，遭訊號 9（SIGKILL）終止',
    };
    const error = {
      en: 'the child process (PID 4101) died during close: killed by signal 9 (SIGKILL)',
      'zh-Hans': 'child 进程（PID 4101）在 close 调用中死亡，被信号 9（SIGKILL）终止',
      'zh-Hant': 'child 行程（PID 4101）在 close 呼叫中死亡，遭訊號 9（SIGKILL）終止',
    };
    const lesson = frame.lesson!;
    emit({
      ...frame,
      lesson: {
        ...lesson,
        error: error.en,
        errorText: error,
        steps: lesson.steps.map((step, i) => (i === 2 ? { ...step, status: 'failed' as const, result: died.en, resultText: died } : step)),
      },
    });
    expect(screen.getByTestId('code-result-5').textContent).toBe(died.en);
    expect(screen.getByTestId('lesson-banner').textContent).toContain(error.en);
    fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-Hans' } });
    expect(screen.getByTestId('code-result-5').textContent).toBe(died['zh-Hans']);
    expect(screen.getByTestId('lesson-banner').textContent).toContain(error['zh-Hans']);
    fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-Hant' } });
    expect(screen.getByTestId('code-result-5').textContent).toBe(died['zh-Hant']);
    expect(screen.getByTestId('lesson-banner').textContent).toContain(error['zh-Hant']);
  });
});
