import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import { CHILD, PARENT, PIPE_ID, pipeLessonFrames, pipeMoments } from '../fixtures/pipe-lesson-frames';
import { replayViewApi } from '../fixtures/replay-view-api';
import { freshRenderer } from '../fixtures/test-setup';
import type { ManualClock } from '../clock/animation-clock';
import { useAppStore } from './app-store';
import { selectLesson, selectPlaying, selectSpeed, selectSteps } from './selectors';
import { EVENT_CAP, mergeEvents } from './timeline-slice';

let clock: ManualClock;
let teardown: () => void;
beforeEach(() => ({ clock, teardown } = freshRenderer()));
afterEach(() => teardown());

describe('graph + timeline slices', () => {
  it('keeps the latest frame as sent and appends its events', () => {
    const frames = pipeLessonFrames();
    for (const frame of frames) useAppStore.getState().ingestFrame(frame);
    const state = useAppStore.getState();
    expect(state.frame).toBe(frames[frames.length - 1]);
    const all = frames.flatMap((f) => f.events);
    expect(state.events.map((e) => e.event.seq)).toEqual(all.map((e) => e.seq));
    expect(selectLesson(state)?.roles).toEqual({ parent: PARENT, child: CHILD });
    expect(selectSteps(state).every((s) => s.status === 'done')).toBe(true);
  });

  it('does not repeat an event a frame sends twice', () => {
    const { childBlocked } = pipeMoments();
    useAppStore.getState().ingestFrame(childBlocked);
    useAppStore.getState().ingestFrame({ ...childBlocked, seq: childBlocked.seq + 1 });
    expect(useAppStore.getState().events).toHaveLength(childBlocked.events.length);
  });

  it('caps the timeline, dropping the oldest events', () => {
    const { dataQueued } = pipeMoments();
    const template = dataQueued.events[0]!;
    const events = Array.from({ length: EVENT_CAP + 50 }, (_, i) => ({ ...template, seq: 1000 + i }));
    const merged = mergeEvents({ events: [], stdout: [] }, { ...dataQueued, events });
    expect(merged.events).toHaveLength(EVENT_CAP);
    expect(merged.events[0]!.event.seq).toBe(1050);
    expect(merged.events.at(-1)!.event.seq).toBe(1000 + EVENT_CAP + 49);
  });

  it('stamps events with the animation clock and collects writes to fd 1 as stdout', () => {
    clock.advance(500);
    const { afterClose } = pipeMoments();
    useAppStore.getState().ingestFrame(afterClose);
    const { events, stdout } = useAppStore.getState();
    expect(events.every((e) => e.receivedAt === 500)).toBe(true);
    expect(stdout).toHaveLength(1);
    expect(atob(stdout[0]!.event.data!)).toBe('child got: hello world\n');
  });

  it('forgets old syscalls when the lesson restarts with new processes', () => {
    const frames = pipeLessonFrames();
    for (const frame of frames) useAppStore.getState().ingestFrame(frame);
    const restarted: Frame = { ...frames[0]!, seq: 100, lesson: { ...frames[0]!.lesson!, roles: { parent: 5200 } }, events: [] };
    useAppStore.getState().ingestFrame(restarted);
    expect(useAppStore.getState().events).toEqual([]);
  });

  it('reads playing and speed from the frame, never from what was asked', async () => {
    const api = replayViewApi();
    useAppStore.getState().connect(api);
    const { piped } = pipeMoments();
    api.emit(piped);
    await useAppStore.getState().send({ type: 'speed', value: 2 });
    expect(selectSpeed(useAppStore.getState())).toBe(1);
    api.emit({ ...piped, seq: piped.seq + 1, lesson: { ...piped.lesson!, speed: 2, playing: true } });
    expect(selectSpeed(useAppStore.getState())).toBe(2);
    expect(selectPlaying(useAppStore.getState())).toBe(true);
  });
});

describe('session slice', () => {
  it('follows the transport status and loads the lesson list when open', async () => {
    const api = replayViewApi();
    api.reply = (command) =>
      command.type === 'lessons.list'
        ? { ok: true, data: [{ id: 'pipe-parent-child', title: { en: 'A pipe', 'zh-Hans': '管道', 'zh-Hant': '管道' }, summary: { en: '', 'zh-Hans': '', 'zh-Hant': '' } }, { bogus: 1 }] }
        : { ok: true };
    const disconnect = useAppStore.getState().connect(api);
    expect(useAppStore.getState().status).toBe('connecting');
    api.status('open');
    await Promise.resolve();
    await Promise.resolve();
    expect(useAppStore.getState().status).toBe('open');
    expect(useAppStore.getState().lessons.map((l) => l.id)).toEqual(['pipe-parent-child']);
    api.status('ECONNREFUSED');
    expect(useAppStore.getState().status).toBe('ECONNREFUSED');
    disconnect();
    api.emit(pipeMoments().piped);
    expect(useAppStore.getState().frame).toBeNull();
  });

  it('remembers the engine\'s refusal of a command', async () => {
    const api = replayViewApi();
    api.reply = () => ({ ok: false, error: 'speed 9 is out of range (0.1 to 4)' });
    useAppStore.getState().connect(api);
    const result = await useAppStore.getState().send({ type: 'speed', value: 4 });
    expect(result.ok).toBe(false);
    expect(useAppStore.getState().commandError).toMatch(/out of range/);
  });

  it('clears the timeline when a lesson is (re)started', async () => {
    const api = replayViewApi();
    useAppStore.getState().connect(api);
    api.emit(pipeMoments().childBlocked);
    expect(useAppStore.getState().events.length).toBeGreaterThan(0);
    await useAppStore.getState().send({ type: 'lesson.restart' });
    expect(useAppStore.getState().events).toEqual([]);
    expect(api.sent.at(-1)).toEqual({ type: 'lesson.restart' });
  });

  it('holds the pipe exactly as the frame describes it', () => {
    useAppStore.getState().ingestFrame(pipeMoments().dataQueued);
    const pipe = useAppStore.getState().frame!.objects.find((o) => o.id === PIPE_ID)!;
    expect(pipe.queued).toBe(12);
  });
});
