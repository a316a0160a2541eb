import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { IpcObject } from '../../native-bridge/model/snapshot-types';
import captured from '../fixtures/real-frames-observe.json';
import { frameFeed } from '../fixtures/frame-feed';
import { MapReasonNote } from '../map/map-reason';
import { MIN_PICTURE_TEXT_PX, mapObjectCount, mapReason, pictureTextPx, selectShowsMap } from '../map/map-selectors';
import shmSnapshot from '../fixtures/real-snapshot-shm.json';
import sockpair from '../fixtures/real-frames-sockpair.json';
import { useAppStore } from '../store/app-store';
import { MAX_OBJECTS, pictureObjectCount } from './layout';
import { Picture } from './picture';

/*
 * Frames of real python3 processes observed as `ipcscope web --pid PID --tree`
 * observes them, with no peek (native-bridge/diagnose/testing/record-observe-frames.ts):
 * `fullPipe` a writer asleep on a full pipe; `sockets` a socketpair across a
 * fork and a listener (backlog 1) with two clients nobody accepted;
 * `manyPipes` one process holding 8 pipes.
 */
const frames = captured as unknown as Record<'fullPipe' | 'sockets' | 'manyPipes', Frame>;
const text = (id: string) => screen.getByTestId(id).textContent ?? '';
const find = (frame: Frame, test: (o: IpcObject) => boolean): IpcObject => {
  const found = frame.objects.find(test);
  if (!found) throw new Error('no such object in the frame');
  return found;
};

const { show } = frameFeed();

describe('an observation drawn on the picture, on frames of real processes', () => {
  it('a full pipe says its bytes are queued (the count) and their contents not read, never "(empty)"; an empty one says "(empty)"', () => {
    const frame = frames.fullPipe;
    const full = find(frame, (o) => o.kind === 'pipe' && o.queued === 65536);
    /* the pipe the reader sleeps on: the kernel says 0 bytes */
    const reader = frame.processes.find((p) => p.blocked?.op === 'read')!;
    const idle = find(frame, (o) => o.id === reader.blocked!.object);
    expect(full.peek).toBeNull();
    expect(idle.queued).toBe(0);
    render(<Picture />);
    show(frame);
    expect(text(`fill-${full.id}`)).toBe('65536 / 65536 bytes');
    expect(text(`peek-${full.id}`)).toBe('(contents not read)');
    expect(text(`peek-${idle.id}`)).toBe('(empty)');
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(text(`peek-${full.id}`)).toBe('（内容未读取）');
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(text(`peek-${full.id}`)).toBe('（內容未讀取）');
    expect(text(`peek-${idle.id}`)).toBe('（空）');
  });

  it('draws a socketpair once, and the clients waiting in a listener in its queue with an edge from each client to it', () => {
    const frame = frames.sockets;
    const listener = find(frame, (o) => o.kind === 'unix' && o.state === 'LISTEN');
    const waiting = frame.objects.filter((o) => o.kind === 'unix' && o.peer === listener.id);
    expect(waiting).toHaveLength(2);
    render(<Picture />);
    show(frame);
    /* every end drawn once: a pair's glyph carries both, no end gets a glyph of its own next to it */
    const ends = frame.objects.filter((o) => o.kind === 'unix' && o.peer !== null && o.peer !== listener.id);
    /* the socketpair across the fork and the stdout pair: 4 ends */
    expect(ends.length).toBeGreaterThanOrEqual(4);
    for (const o of ends) {
      const glyphs = [o.id, (o as { peer: string }).peer].filter((id) => screen.queryByTestId(`object-${id}`) !== null);
      expect(glyphs).toHaveLength(1);
      expect(screen.getByTestId(`object-${glyphs[0]}`).getAttribute('data-kind')).toBe('unix-pair');
    }
    /* the queued clients: no pair with the listener, a filled place each in its queue */
    for (const client of waiting) expect(screen.queryByTestId(`object-${client.id}`)).toBeNull();
    expect(screen.getByTestId(`listener-queue-${listener.id}`).getAttribute('data-pending')).toBe('2');
    expect(text(`listener-waiting-${listener.id}`)).toContain('python3');
    for (const client of waiting) {
      const holder = client.holders[0]!;
      expect(screen.getByTestId(`process-${holder.pid}`)).toBeTruthy();
      expect(screen.getByTestId(`edge-${holder.pid}-${holder.fd}`).getAttribute('data-object')).toBe(client.id);
    }
    /* nothing left out: the picture draws everything */
    expect(screen.queryByTestId('picture-hidden')).toBeNull();
    expect(pictureObjectCount(frame)).toBeLessThanOrEqual(MAX_OBJECTS);
  });
});

describe('an observation with more objects than the picture draws legibly', () => {
  it('goes to the map by itself and says why; the small ones stay on the picture', () => {
    const many = frames.manyPipes;
    expect(pictureObjectCount(many)).toBeGreaterThan(MAX_OBJECTS);
    /* the count the map's summary gives too (map-view.test.tsx) */
    const n = mapObjectCount(many);
    expect(mapReason(many)).toEqual({ why: 'objects', n });
    expect(mapReason(frames.sockets)).toBeNull();
    expect(mapReason(frames.fullPipe)).toBeNull();
    render(<MapReasonNote />);
    show(many);
    expect(selectShowsMap(useAppStore.getState())).toBe(true);
    expect(text('map-reason')).toBe('more than 6 objects: shown on the map');
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(text('map-reason')).toBe('超过 6 个对象：用全景图显示');
    /* the user's own choice wins, and needs no reason */
    act(() => useAppStore.getState().setStageView('picture'));
    expect(selectShowsMap(useAppStore.getState())).toBe(false);
    expect(screen.queryByTestId('map-reason')).toBeNull();
  });
});

/* The picture's stage at 1280x720 while observing (the .picture-frame in the review's screenshots), and at 1920x1080. */
const STAGE_1280 = { width: 846, height: 610 };
const STAGE_1920 = { width: 1360, height: 950 };

describe('an observation whose picture would be too small to read at the stage', () => {
  it('goes to the map when the picture\'s text would fall below the limit there, and says why with the size', () => {
    /* 4 real processes, 2 pipes, 2 socket pairs and a listener, stacked: 1640 units tall */
    const sockets = frames.sockets;
    const fit = { box: STAGE_1280, scale: 1, showAll: false };
    const px = pictureTextPx(sockets, fit);
    expect(px).toBeLessThan(MIN_PICTURE_TEXT_PX);
    expect(pictureObjectCount(sockets)).toBeLessThanOrEqual(MAX_OBJECTS);
    const n = mapObjectCount(sockets);
    expect(mapReason(sockets, fit)).toEqual({ why: 'small-text', n, px: Math.round(px) });
    /* not measured yet (jsdom, the first render): the object count alone decides */
    expect(mapReason(sockets, null)).toBeNull();
    render(<MapReasonNote />);
    act(() => useAppStore.getState().setStageBox(STAGE_1280));
    show(sockets);
    expect(selectShowsMap(useAppStore.getState())).toBe(true);
    expect(text('map-reason')).toBe(`the picture's text would be ${Math.round(px)} px here: shown on the map`);
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(text('map-reason')).toBe(`图示文字在这里只有 ${Math.round(px)} 像素：用全景图显示`);
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(text('map-reason')).toBe(`圖示文字在這裡只有 ${Math.round(px)} 像素：用全景圖顯示`);
    /* a stage tall enough for it keeps the picture */
    act(() => useAppStore.getState().setStageBox({ width: 1800, height: 1500 }));
    expect(selectShowsMap(useAppStore.getState())).toBe(false);
  });

  it('keeps the picture for two objects at 1280x720 and 1920x1080, and lessons keep theirs at any size', () => {
    /* `ipcscope snapshot` of two real processes sharing a pipe and a System V segment, as an observation of them */
    const snapshot = shmSnapshot as unknown as Record<string, Frame>;
    const live = snapshot.live!;
    const observed: Frame = { ...live, observing: { pids: live.processes.map((p) => p.pid), tree: false, gone: [] } };
    for (const box of [STAGE_1280, STAGE_1920]) {
      for (const scale of [1, 1.2]) {
        expect(pictureTextPx(observed, { box, scale, showAll: false })).toBeGreaterThanOrEqual(MIN_PICTURE_TEXT_PX);
        expect(mapReason(observed, { box, scale, showAll: false })).toBeNull();
      }
    }
    const lesson = Object.values(sockpair as unknown as Record<string, Frame>)[0]!;
    expect(mapReason(lesson, { box: { width: 300, height: 200 }, scale: 1, showAll: false })).toBeNull();
  });
});
