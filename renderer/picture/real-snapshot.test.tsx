import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { Snapshot } from '../../native-bridge/model/snapshot-types';
import type { ManualClock } from '../clock/animation-clock';
import { freshRenderer } from '../fixtures/test-setup';
import captured from '../fixtures/real-snapshot-two-pipes.json';
import { useAppStore } from '../store/app-store';
import { Picture } from './picture';

/*
 * A snapshot the engine took of real processes on this machine
 * (`ipcscope snapshot --pid ... --json`) of two shell pipelines:
 *   sleep 30 | cat                                        cat (6020) asleep in read(0), wchan anon_pipe_read
 *   sh -c 'printf "hello pipe\n"; exec sleep 30' | sleep 30   11 bytes left queued in pipe 1101731
 * Drawn without a lesson, as the browser mode shows a plain snapshot.
 */
const snapshot = captured as unknown as Snapshot;
const frame: Frame = { ...snapshot, seq: 1, rateHz: 30, events: [], lesson: null };

let clock: ManualClock;
let teardown: () => void;
beforeEach(() => ({ clock, teardown } = freshRenderer()));
afterEach(() => teardown());

function show() {
  render(<Picture />);
  act(() => useAppStore.getState().ingestFrame(frame));
  act(() => clock.advance(16));
}

describe('a snapshot captured from the engine', () => {
  it('shows cat blocked in read on the pipe the kernel names', () => {
    show();
    const cat = screen.getByTestId('process-6020');
    expect(cat.getAttribute('data-waits-on')).toBe('pipe:1101730');
    expect(screen.getByTestId('blocked-6020').textContent).toBe('blocked in read(fd 0) on pipe 1101730');
    expect(screen.getByTestId('wchan-6020').textContent).toBe('wchan anon_pipe_read');
    // sleep is asleep too, but on a timer, not on an IPC object: drawn quietly.
    expect(screen.getByTestId('blocked-6019').textContent).toBe('waiting in sleep()');
  });

  it('shows the 11 bytes left in the second pipe, and who holds which end', () => {
    show();
    expect(screen.getByTestId('fill-pipe:1101731').textContent).toBe('11 / 65536 bytes');
    expect(screen.getByTestId('peek-pipe:1101731').textContent).toBe('hello pipe\\n');
    expect(screen.getByTestId('edge-6021-1').textContent).toBe('fd 1 w');
    expect(screen.getByTestId('edge-6022-0').textContent).toBe('fd 0 r');
    expect(screen.getByTestId('edge-6019-1').getAttribute('data-object')).toBe('pipe:1101730');
  });
});
