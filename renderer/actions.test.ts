import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS, actionForKey, fasterSpeed, runAction, slowerSpeed } from './actions';
import { pipeMoments } from './fixtures/pipe-lesson-frames';
import { replayViewApi, type ReplayViewApi } from './fixtures/replay-view-api';
import { freshRenderer } from './fixtures/test-setup';
import { useAppStore } from './store/app-store';

let api: ReplayViewApi;
let teardown: () => void;
beforeEach(() => {
  ({ teardown } = freshRenderer());
  api = replayViewApi();
  useAppStore.getState().connect(api);
});
afterEach(() => teardown());

function key(k: string, extra: Partial<KeyboardEvent> = {}) {
  return { key: k, ctrlKey: false, metaKey: false, altKey: false, target: document.body, ...extra };
}

describe('actions', () => {
  it('map keys to actions', () => {
    expect(actionForKey(key(' '))).toBe('togglePlay');
    expect(actionForKey(key('ArrowRight'))).toBe('step');
    expect(actionForKey(key('s'))).toBe('step');
    expect(actionForKey(key('S'))).toBe('step');
    expect(actionForKey(key('['))).toBe('slower');
    expect(actionForKey(key(']'))).toBe('faster');
    expect(actionForKey(key('r'))).toBe('restart');
    expect(actionForKey(key('r', { ctrlKey: true }))).toBeNull();
    expect(actionForKey(key('x'))).toBeNull();
    expect(actionForKey(key(' ', { target: document.createElement('select') }))).toBeNull();
    const text = document.createElement('input');
    expect(actionForKey(key('s', { target: text }))).toBeNull();
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    expect(actionForKey(key('ArrowRight', { target: checkbox }))).toBe('step');
    expect(actionForKey(key(' ', { target: checkbox }))).toBeNull();
  });

  it('walk the speed presets within 0.1..4', () => {
    expect(slowerSpeed(1)).toBe(0.5);
    expect(slowerSpeed(0.25)).toBe(0.1);
    expect(slowerSpeed(0.1)).toBe(0.1);
    expect(fasterSpeed(1)).toBe(2);
    expect(fasterSpeed(4)).toBe(4);
    expect(fasterSpeed(0.3)).toBe(0.5);
  });

  it('send play or pause depending on what the frame says', async () => {
    const { piped } = pipeMoments();
    api.emit(piped);
    await runAction('togglePlay');
    api.emit({ ...piped, seq: 50, lesson: { ...piped.lesson!, playing: true } });
    await runAction('togglePlay');
    await runAction('step');
    await runAction('faster');
    await runAction('restart');
    expect(api.sent.filter((c) => c.type !== 'lessons.list')).toEqual([
      { type: 'play' },
      { type: 'pause' },
      { type: 'step' },
      { type: 'speed', value: 2 },
      { type: 'lesson.restart' },
    ]);
  });

  it('restart means nothing without a lesson', () => {
    expect(runAction('restart')).toBeNull();
    expect(ACTIONS.restart.command({ playing: false, speed: null, lessonId: null, next: 0, questionsOn: true, pending: null })).toBeNull();
  });
});
