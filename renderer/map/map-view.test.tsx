import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ManualClock } from '../clock/animation-clock';
import { renderApp } from '../fixtures/render-app';
import { freshRenderer } from '../fixtures/test-setup';
import { useAppStore } from '../store/app-store';
import { pipeMoments } from '../fixtures/pipe-lesson-frames';
import observed from '../fixtures/real-frames-observe.json';
import type { Frame } from '../../native-bridge/model/frame-types';
import { selectShowsMap } from './map-selectors';
import { poolFrame, withPair } from './testing/pool-frame';

/*
 * The map in jsdom: jsdom has no 2D canvas, so these tests read the model the
 * map keeps beside its canvas (the hidden list of groups, the search, the
 * store's selection), never pixels. Pixels are judged in e2e/system-map.e2e.ts.
 */

let clock: ManualClock;
let teardown: () => void;
beforeEach(() => {
  ({ clock, teardown } = freshRenderer());
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});
afterEach(() => {
  vi.restoreAllMocks();
  teardown();
});

describe('the system map in the app', () => {
  it('is chosen while observing, shows the fan with its counts, and opens it on a click', async () => {
    const { emit } = await renderApp(clock);
    emit(withPair(poolFrame({ workers: 200, running: 1, queued: 2 }), 7001, 7002, 91));
    expect(screen.getByTestId('system-map')).toBeTruthy();
    expect(screen.getByTestId('view-map').getAttribute('aria-pressed')).toBe('true');
    const fan = await screen.findByTestId('map-fan-fan:100:worker');
    expect(fan.dataset).toMatchObject({ total: '200', blockedRead: '199', running: '1', queued: '2', expanded: 'false' });
    expect(fan.textContent).toContain('200 × worker — 199 blocked in read, 1 running, 2 holding queued bytes; each holds only its own read end (200 pipe)');
    expect(screen.getByTestId('map-summary').textContent).toBe('203 processes · 201 objects · 1 group');
    fireEvent.click(within(fan).getByRole('button'));
    await waitFor(() => expect(screen.getByTestId('map-fan-fan:100:worker').dataset.expanded).toBe('true'));
  });

  it('finds a PID, opens its fan, selects it and shows it in the inspector', async () => {
    const { emit } = await renderApp(clock);
    emit(poolFrame({ workers: 50 }));
    await screen.findByTestId('map-fan-fan:100:worker');
    fireEvent.change(screen.getByTestId('map-search'), { target: { value: '1042' } });
    fireEvent.click(screen.getByTestId('map-match-1042'));
    expect(useAppStore.getState().selection).toBe('process:1042');
    await waitFor(() => expect(screen.getByTestId('map-fan-fan:100:worker').dataset.expanded).toBe('true'));
    const details = screen.getByTestId('details-panel');
    expect(details.textContent).toContain('1042 (ppid 100) worker');
    expect(details.textContent).toContain('anon_pipe_read');
    // The pick closes the match list (it stayed over the map); typing opens it again.
    expect(screen.queryByTestId('map-matches')).toBeNull();
    fireEvent.change(screen.getByTestId('map-search'), { target: { value: 'nosuch' } });
    expect(screen.getByTestId('map-matches').textContent).toContain('no process matches');
  });

  it('hides a kind on its filter button, and M switches back to the picture', async () => {
    const { emit } = await renderApp(clock);
    emit(withPair(poolFrame({ workers: 20 }), 7001, 7002, 91));
    const pipe = await screen.findByTestId('map-kind-pipe');
    expect(screen.getByTestId('map-summary').textContent).toBe('23 processes · 21 objects · 1 group');
    fireEvent.click(pipe);
    expect(pipe.getAttribute('aria-pressed')).toBe('false');
    // Hiding a kind changes the object count the summary gives.
    expect(screen.getByTestId('map-summary').textContent).toBe('23 processes · 0 objects shown, 21 hidden · 1 group');
    act(() => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'm' }));
    });
    expect(useAppStore.getState().stageView).toBe('picture');
    expect(screen.queryByTestId('system-map')).toBeNull();
  });
});

describe('selectShowsMap', () => {
  it('follows the frame unless the user chose', () => {
    const lessonFrame = pipeMoments().forked;
    useAppStore.setState({ frame: lessonFrame });
    expect(selectShowsMap(useAppStore.getState())).toBe(false);
    // A small observation (a pipeline) keeps the picture; more processes than it draws get the map.
    useAppStore.setState({ frame: poolFrame({ workers: 3 }) });
    expect(selectShowsMap(useAppStore.getState())).toBe(false);
    useAppStore.setState({ frame: poolFrame({ workers: 20 }) });
    expect(selectShowsMap(useAppStore.getState())).toBe(true);
    useAppStore.getState().setStageView('picture');
    expect(selectShowsMap(useAppStore.getState())).toBe(false);
    // A lesson with more roles than the picture's 12 gets the map.
    const big = { ...lessonFrame, lesson: { ...lessonFrame.lesson!, roles: Object.fromEntries([...Array(13).keys()].map((i) => [`w${i}`, 2000 + i])) } };
    useAppStore.setState({ frame: big, stageView: 'auto' });
    expect(selectShowsMap(useAppStore.getState())).toBe(true);
  });
});

describe('the map chosen for small text', () => {
  it('gives the object count once: in the summary (each socket of a pair on its own), not again in the reason line', async () => {
    /* real python3 processes observed: 2 pipes, a socket pair and a listener with 2 queued clients (fixtures/real-frames-observe.json) */
    const sockets = (observed as unknown as Record<string, Frame>).sockets!;
    const { emit } = await renderApp(clock);
    act(() => useAppStore.getState().setStageBox({ width: 846, height: 610 }));
    emit(sockets);
    const reason = screen.getByTestId('map-reason');
    expect(reason.dataset.why).toBe('small-text');
    expect(reason.textContent).not.toMatch(/objects?\b/);
    await waitFor(() => expect(/· (\d+) objects ·/.exec(screen.getByTestId('map-summary').textContent ?? '')?.[1]).toBe(`${sockets.objects.length}`));
  });
});
