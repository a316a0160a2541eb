import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../clock/animation-clock';
import { pipeMoments } from '../fixtures/pipe-lesson-frames';
import { renderApp, sentCommands } from '../fixtures/render-app';
import { freshRenderer } from '../fixtures/test-setup';
import { toolkitMoments } from '../fixtures/toolkit-lesson-frames';

let clock: ManualClock;
let teardown: () => void;
beforeEach(() => ({ clock, teardown } = freshRenderer()));
afterEach(() => teardown());

const key = (k: string) => act(async () => fireEvent.keyDown(window, { key: k }));

describe('shortcuts overlay and step back', () => {
  it('"?" lists every shortcut from the actions table; Esc closes it', async () => {
    await renderApp(clock);
    await key('?');
    const overlay = screen.getByTestId('help-overlay');
    expect(screen.getByTestId('shortcut-step').textContent).toBe('→ / SStep');
    expect(screen.getByTestId('shortcut-stepBack').textContent).toBe('← / BStep back');
    expect(screen.getByTestId('shortcut-togglePlay').textContent).toBe('SpacePlay / Pause');
    expect(screen.getByTestId('shortcut-questions').textContent).toBe('QAsk predictions');
    expect(overlay.textContent).toContain('1–4');
    await key('Escape');
    expect(screen.queryByTestId('help-overlay')).toBeNull();
    fireEvent.click(screen.getByTestId('btn-help'));
    expect(screen.getByTestId('help-overlay')).toBeTruthy();
  });

  it('step back sends step.back to the step before the next one, and shows what was re-run', async () => {
    const { api, emit } = await renderApp(clock);
    const { childBlocked, start } = pipeMoments();
    emit(start);
    expect((screen.getByTestId('btn-step-back') as HTMLButtonElement).disabled).toBe(true);
    await key('ArrowLeft');
    expect(sentCommands(api)).toEqual([]);
    emit(childBlocked); // next = 5
    await key('ArrowLeft');
    await act(async () => fireEvent.click(screen.getByTestId('btn-step-back')));
    expect(sentCommands(api)).toEqual([
      { type: 'step.back', step: 4 },
      { type: 'step.back', step: 4 },
    ]);
    emit(toolkitMoments().replayed);
    expect(screen.getByTestId('replayed-banner').textContent).toBe('Stepped back: re-ran steps 1–4 on new processes');
    fireEvent.change(screen.getByTestId('language'), { target: { value: 'zh-Hans' } });
    expect(screen.getByTestId('replayed-banner').textContent).toBe('已后退：在新进程上重新执行了第 1–4 步');
  });
});
