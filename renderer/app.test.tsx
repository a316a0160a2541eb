import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../native-bridge/model/frame-types';
import { App } from './app';
import type { ManualClock } from './clock/animation-clock';
import { CHILD, PARENT, pipeMoments } from './fixtures/pipe-lesson-frames';
import { replayViewApi, type ReplayViewApi } from './fixtures/replay-view-api';
import { freshRenderer } from './fixtures/test-setup';

let clock: ManualClock;
let teardown: () => void;
let api: ReplayViewApi;
beforeEach(() => {
  ({ clock, teardown } = freshRenderer());
  api = replayViewApi();
  api.reply = (command) =>
    command.type === 'lessons.list'
      ? {
          ok: true,
          data: [
            {
              id: 'pipe-parent-child',
              title: { en: 'A pipe from parent to child', 'zh-Hans': '从父进程到子进程的管道', 'zh-Hant': '從父行程到子行程的管道' },
              summary: { en: 'pipe', 'zh-Hans': '管道', 'zh-Hant': '管道' },
            },
          ],
        }
      : { ok: true };
});
afterEach(() => teardown());

function emit(...frames: Frame[]) {
  act(() => frames.forEach((f) => api.emit(f)));
  act(() => clock.advance(16));
}

const sentTypes = () => api.sent.map((c) => c.type).filter((t) => t !== 'lessons.list');

describe('the app', () => {
  it('connects, lists lessons and shows the connection status', async () => {
    render(<App api={api} />);
    expect(screen.getByTestId('connection-status').getAttribute('data-status')).toBe('connecting');
    await act(async () => api.status('open'));
    expect(screen.getByTestId('connection-status').textContent).toContain('connected');
    const picker = screen.getByTestId('lesson-picker') as HTMLSelectElement;
    expect(within(picker).getByText('A pipe from parent to child')).toBeTruthy();
    await act(async () => fireEvent.change(picker, { target: { value: 'pipe-parent-child' } }));
    expect(api.sent.at(-1)).toEqual({ type: 'lesson.start', lesson: 'pipe-parent-child' });
    act(() => api.status('connect ECONNREFUSED 127.0.0.1:7777'));
    expect(screen.getByTestId('connection-status').getAttribute('data-status')).toBe('error');
  });

  it('sends the named command of each control', async () => {
    render(<App api={api} />);
    emit(pipeMoments().piped);
    await act(async () => fireEvent.click(screen.getByTestId('btn-play')));
    await act(async () => fireEvent.click(screen.getByTestId('btn-pause')));
    await act(async () => fireEvent.click(screen.getByTestId('btn-step')));
    await act(async () => fireEvent.change(screen.getByTestId('speed'), { target: { value: '0.25' } }));
    await act(async () => fireEvent.change(screen.getByTestId('rate'), { target: { value: '10' } }));
    expect(api.sent.filter((c) => c.type !== 'lessons.list')).toEqual([
      { type: 'play' },
      { type: 'pause' },
      { type: 'step' },
      { type: 'speed', value: 0.25 },
      { type: 'rate', hz: 10 },
    ]);
    expect(screen.getByTestId('btn-step').getAttribute('title')).toContain('→ / S');
    expect(screen.getByTestId('btn-play').getAttribute('title')).toContain('Space');
  });

  it('answers the keyboard shortcuts', async () => {
    render(<App api={api} />);
    const { piped } = pipeMoments();
    emit(piped);
    await act(async () => fireEvent.keyDown(window, { key: ' ' }));
    emit({ ...piped, seq: 40, lesson: { ...piped.lesson!, playing: true, speed: 0.5 } });
    await act(async () => fireEvent.keyDown(window, { key: ' ' }));
    await act(async () => fireEvent.keyDown(window, { key: 'ArrowRight' }));
    await act(async () => fireEvent.keyDown(window, { key: 's' }));
    await act(async () => fireEvent.keyDown(window, { key: '[' }));
    await act(async () => fireEvent.keyDown(window, { key: ']' }));
    await act(async () => fireEvent.keyDown(window, { key: 'r' }));
    expect(sentTypes()).toEqual(['play', 'pause', 'step', 'step', 'speed', 'speed', 'lesson.restart']);
    expect(api.sent.filter((c) => c.type === 'speed')).toEqual([
      { type: 'speed', value: 0.25 },
      { type: 'speed', value: 1 },
    ]);
  });

  it('lists the steps with status and explanation, the syscalls and what was printed', () => {
    render(<App api={api} />);
    const m = pipeMoments();
    emit(m.start, m.piped, m.forked, m.childBlocked);
    expect(screen.getByTestId('step-4').getAttribute('data-status')).toBe('blocked');
    expect(screen.getByTestId('step-5').textContent).toContain('write(fd[1], "hello world\\n", 12)');
    expect(screen.getByTestId('step-4').textContent).toContain('The pipe is empty');
    expect(screen.getByTestId('event-log').textContent).toContain(`${CHILD} child read(3, 64) … blocked`);
    expect(screen.getByTestId('stdout-panel').textContent).toContain('Nothing printed yet.');
    // The call line of a read that then blocked says nothing new: only "… blocked" stays.
    const logNow = [...screen.getByTestId('event-log').querySelectorAll('li')].map((li) => li.textContent);
    expect(logNow.filter((l) => l?.startsWith(`${CHILD} child read(3, 64)`))).toEqual([`${CHILD} child read(3, 64) … blocked`]);

    emit(m.dataQueued, m.afterClose);
    const lines = [...screen.getByTestId('event-log').querySelectorAll('li')].map((li) => li.textContent);
    expect(lines.at(-1)).toBe(`${CHILD} child read(3, 64) = 0  EOF`);
    expect(lines).toContain(`${PARENT} parent write(4, "hello world\\n", 12) = 12`);
    expect(screen.getByTestId('stdout-panel').textContent).toContain('child got: hello world');
    expect(screen.getByTestId('lesson-banner').textContent).toBe('Lesson finished.');
  });

  it('switches language, theme and lecture mode', () => {
    render(<App api={api} />);
    emit(pipeMoments().childBlocked);
    fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-Hant' } });
    expect(screen.getByTestId('btn-step').textContent).toContain('單步');
    expect(document.documentElement.lang).toBe('zh-Hant');
    fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-Hans' } });
    expect(screen.getByTestId('step-4').textContent).toContain('管道为空');
    act(() => clock.advance(16));
    expect(screen.getByTestId(`blocked-${CHILD}`).textContent).toContain('阻塞于 read(fd 3)');

    fireEvent.click(screen.getByTestId('theme'));
    expect(document.documentElement.dataset.theme).toBe('light');
    fireEvent.click(screen.getByTestId('lecture'));
    expect(document.documentElement.dataset.lecture).toBe('true');
    expect(JSON.parse(localStorage.getItem('ipcscope.view')!)).toMatchObject({ theme: 'light', locale: 'zh-Hans', lecture: true });
  });

  it('shows what the kernel says about a clicked process', () => {
    render(<App api={api} />);
    emit(pipeMoments().childBlocked);
    fireEvent.click(screen.getByTestId(`process-${CHILD}`));
    const details = screen.getByTestId('details-panel').textContent ?? '';
    expect(details).toContain('blocked in read(fd 3) on pipe 4614');
    expect(details).toContain('anon_pipe_read');
    expect(details).toContain('3 r  pipe:[4614]');
  });

  it('offers PNG export, and WebM only where MediaRecorder exists', () => {
    render(<App api={api} />);
    expect(screen.getByTestId('export-png')).toBeTruthy();
    // jsdom has no MediaRecorder: the button says why it cannot record.
    expect((screen.getByTestId('record-webm') as HTMLButtonElement).disabled).toBe(true);
  });
});
