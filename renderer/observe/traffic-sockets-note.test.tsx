import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import observed from '../fixtures/real-frames-observe.json';
import { freshRenderer } from '../fixtures/test-setup';
import { useAppStore } from '../store/app-store';
import { ObserveSide } from './observe-side';

/* frames of a real observation: `sockets` has processes holding Unix sockets */
const frames = observed as unknown as Record<'fullPipe' | 'sockets' | 'manyPipes', Frame>;

let teardown: () => void;
beforeEach(() => ({ teardown } = freshRenderer()));
afterEach(() => teardown());

describe('the traffic panel says send()/recv() are not in /proc/PID/io', () => {
  it('while the observed processes hold sockets, in three languages', () => {
    render(<ObserveSide />);
    act(() => useAppStore.getState().ingestFrame(frames.sockets));
    const note = () => screen.getByTestId('traffic-sockets');
    expect(note().textContent).toBe('send() and recv() on sockets are not counted here: see the sockets’ queues.');
    expect(note().getAttribute('title')).toContain('rchar and wchar count only what goes through read() and write()');
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(note().textContent).toBe('套接字上的 send() 和 recv() 不计入这里：请看套接字的队列。');
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(note().textContent).toBe('通訊端上的 send() 和 recv() 不計入這裡：請看通訊端的佇列。');
  });

  it('not when they hold none', () => {
    render(<ObserveSide />);
    const noSockets: Frame = { ...frames.sockets, objects: frames.sockets.objects.filter((o) => o.kind !== 'unix') };
    act(() => useAppStore.getState().ingestFrame(noSockets));
    expect(screen.queryByTestId('traffic-sockets')).toBeNull();
  });
});
