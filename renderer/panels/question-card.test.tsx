import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../clock/animation-clock';
import { renderApp, sentCommands } from '../fixtures/render-app';
import { freshRenderer } from '../fixtures/test-setup';
import { READ_QUESTION_STEP, readQuestion, SLEEPS_VERDICT, toolkitMoments } from '../fixtures/toolkit-lesson-frames';

let clock: ManualClock;
let teardown: () => void;
beforeEach(() => ({ clock, teardown } = freshRenderer()));
afterEach(() => teardown());

const key = (k: string) => act(async () => fireEvent.keyDown(window, { key: k }));

describe('predict, then reveal', () => {
  it('asks before the step runs; key 2 sends the answer, then the step', async () => {
    const { api, emit } = await renderApp(clock);
    emit(toolkitMoments().beforeRead);
    const card = screen.getByTestId('question-card');
    expect(card.getAttribute('data-step')).toBe(String(READ_QUESTION_STEP));
    expect(screen.getByTestId('question-prompt').textContent).toContain('What does the child\'s read() do?');
    expect(screen.getByTestId('choice-3').textContent).toContain('EAGAIN');
    expect(screen.queryByTestId('choice-4')).toBeNull();
    // Step is held back while the question waits: the answer runs it.
    expect((screen.getByTestId('btn-step') as HTMLButtonElement).disabled).toBe(true);
    await key('ArrowRight');
    expect(sentCommands(api)).toEqual([]);
    await key('4'); // there is no fourth answer
    expect(sentCommands(api)).toEqual([]);
    await key('2');
    expect(sentCommands(api)).toEqual([{ type: 'answer', step: READ_QUESTION_STEP, choice: 'sleeps' }, { type: 'step' }]);
  });

  it('answers on a click too, and does not send the step when the engine refuses the answer', async () => {
    const { api, emit } = await renderApp(clock);
    api.reply = (command) => (command.type === 'answer' ? { ok: false, error: 'step 4 has already run' } : { ok: true });
    emit(toolkitMoments().beforeRead);
    await act(async () => fireEvent.click(screen.getByTestId('choice-1')));
    expect(sentCommands(api)).toEqual([{ type: 'answer', step: READ_QUESTION_STEP, choice: 'returns-0' }]);
    expect(screen.getByTestId('lesson-banner').textContent).toContain('step 4 has already run');
  });

  it('shows the verdict the frame carries, with the kernel\'s evidence', async () => {
    const { emit } = await renderApp(clock);
    const { beforeRead, answeredBlocked } = toolkitMoments();
    // Answered, step not settled yet: no verdict in the frame, the card waits for the kernel.
    const lesson = beforeRead.lesson!;
    const waiting = { ...beforeRead, seq: 80, lesson: { ...lesson, steps: lesson.steps.map((s, i) => (i === READ_QUESTION_STEP ? { ...s, status: 'running' as const, question: readQuestion('returns-0', null) } : s)) } };
    emit(waiting);
    expect(screen.getByTestId('verdict-card').getAttribute('data-outcome')).toBe('waiting');
    expect(screen.getByTestId('verdict-card').textContent).toContain('Your answer: returns 0 (end of file)');
    emit(answeredBlocked);
    const card = screen.getByTestId('verdict-card');
    expect(card.getAttribute('data-outcome')).toBe('wrong');
    expect(screen.getByTestId('verdict-line').textContent).toBe('Not this time: the kernel shows “sleeps in the kernel until bytes arrive”.');
    expect(screen.getByTestId('verdict-evidence').textContent).toContain('anon_pipe_read');
    // Right, in Traditional Chinese.
    const lessonRight = answeredBlocked.lesson!;
    const right = { ...answeredBlocked, seq: 91, lesson: { ...lessonRight, steps: lessonRight.steps.map((s, i) => (i === READ_QUESTION_STEP ? { ...s, question: readQuestion('sleeps', SLEEPS_VERDICT) } : s)) } };
    emit(right);
    fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-Hant' } });
    expect(screen.getByTestId('verdict-card').getAttribute('data-outcome')).toBe('right');
    expect(screen.getByTestId('verdict-line').textContent).toBe('答對了：核心的狀態與你的預測一致。');
    fireEvent.click(screen.getByTestId('verdict-dismiss'));
    expect(screen.queryByTestId('verdict-card')).toBeNull();
  });

  it('asks nothing with questions off, and Q turns them back on', async () => {
    const { api, emit } = await renderApp(clock);
    emit(toolkitMoments().lessonsOff);
    expect(screen.queryByTestId('question-card')).toBeNull();
    expect(screen.getByTestId('btn-questions').getAttribute('aria-pressed')).toBe('false');
    await key('ArrowRight');
    await key('q');
    expect(sentCommands(api)).toEqual([{ type: 'step' }, { type: 'questions', on: true }]);
    emit(toolkitMoments().beforeRead);
    await act(async () => fireEvent.click(screen.getByTestId('btn-questions')));
    expect(sentCommands(api).at(-1)).toEqual({ type: 'questions', on: false });
  });
});
