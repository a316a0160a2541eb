import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LessonSummary } from '../../native-bridge/model/frame-types';
import type { ManualClock } from '../clock/animation-clock';
import { renderApp, sentCommands } from '../fixtures/render-app';
import { freshRenderer } from '../fixtures/test-setup';
import { useAppStore } from '../store/app-store';

let clock: ManualClock;
let teardown: () => void;
beforeEach(() => ({ clock, teardown } = freshRenderer()));
afterEach(() => teardown());

const text = (en: string, zh = en) => ({ en, 'zh-Hans': zh, 'zh-Hant': zh });
const ECHO: LessonSummary = {
  id: 'echo-logger',
  title: text('TCP echo server with a logger'),
  summary: text('echo'),
  mechanism: 'socket',
  stepCount: 53,
  params: [
    { name: 'port', label: text('Port'), kind: 'int', min: 0, max: 65535, default: 0 },
    { name: 'line1', label: text('client1 sends', 'client1 发送'), kind: 'text', maxBytes: 48, default: 'hello from 1' },
  ],
};

describe('a lesson parameter the learner types', () => {
  it('is a text field with its default, bounded in length; what is typed is sent as it is', async () => {
    const { api } = await renderApp(clock);
    api.reply = (command) => (command.type === 'lessons.list' ? { ok: true, data: [ECHO] } : { ok: true });
    await act(async () => useAppStore.getState().loadLessons());
    const field = screen.getByTestId('param-echo-logger-line1') as HTMLInputElement;
    expect([field.type, field.value, field.maxLength]).toEqual(['text', 'hello from 1', 48]);
    fireEvent.change(field, { target: { value: '你好 <b>world</b>' } });
    await act(async () => fireEvent.click(screen.getByTestId('start-echo-logger')));
    expect(sentCommands(api)).toEqual([{ type: 'lesson.start', lesson: 'echo-logger', params: { port: 0, line1: '你好 <b>world</b>' } }]);
  });
});
