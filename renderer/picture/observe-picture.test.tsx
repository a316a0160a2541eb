import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { IpcObject } from '../../native-bridge/model/snapshot-types';
import captured from '../fixtures/real-frames-observe.json';
import { frameFeed } from '../fixtures/frame-feed';
import { MapReasonNote } from '../map/map-reason';
import { mapReason, selectShowsMap } from '../map/map-selectors';
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
    const n = pictureObjectCount(many);
    expect(n).toBeGreaterThan(MAX_OBJECTS);
    expect(mapReason(many)).toEqual({ why: 'objects', n });
    expect(mapReason(frames.sockets)).toBeNull();
    expect(mapReason(frames.fullPipe)).toBeNull();
    render(<MapReasonNote />);
    show(many);
    expect(selectShowsMap(useAppStore.getState())).toBe(true);
    expect(text('map-reason')).toBe(`${n} objects: shown on the map`);
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(text('map-reason')).toBe(`${n} 个对象：用全景图显示`);
    /* the user's own choice wins, and needs no reason */
    act(() => useAppStore.getState().setStageView('picture'));
    expect(selectShowsMap(useAppStore.getState())).toBe(false);
    expect(screen.queryByTestId('map-reason')).toBeNull();
  });
});
