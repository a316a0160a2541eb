import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import recorded from '../fixtures/real-frames-signals.json';
import { frameFeed } from '../fixtures/frame-feed';
import { useAppStore } from '../store/app-store';
import { FLIGHT_MS } from './motion/byte-flight';
import { Picture } from './picture';
import { landingOf, signalNameOf } from './motion/signal-flight';
import { fitChips, MARK_ROWS, shortSignal } from './signal-marks';

/*
 * Frames the engine streamed while running the signals lesson
 * (native-bridge/lessons/testing/record-signal-frames.ts), trimmed of the
 * program text, the questions and the objects the lesson did not make:
 * `usr2` and `usr1` the frames sampled right after the child's
 * kill(parent, SIGUSR2 / SIGUSR1) returned; `blocked` after
 * sigprocmask(SIG_BLOCK, {SIGUSR1}); `twice` after the second SIGUSR1;
 * `exit` the frame sampled right after the child's exit, `zombie` once it
 * settled; `unblocked` after sigprocmask(SIG_UNBLOCK). This recording's
 * `usr2` frame caught SIGUSR2 in ShdPnd while the parent was running (R),
 * between kill() and the delivery: drawn as the kernel gave it.
 */
const frames = recorded as unknown as Record<'blocked' | 'usr2' | 'usr1' | 'twice' | 'exit' | 'unblocked' | 'zombie', Frame>;

const { show, advance } = frameFeed();

const parentOf = (frame: Frame) => frame.processes.find((p) => p.pid === frame.lesson!.roles.parent)!;

describe('the signal picture, against recorded frames', () => {
  it('each process shows exactly the masks of its /proc/PID/status in the frame, in every frame', () => {
    render(<Picture />);
    let seq = 1;
    for (const frame of Object.values(frames)) {
      show({ ...frame, seq: seq++, events: [] });
      for (const process of frame.processes) {
        if (process.state === 'Z') continue;
        for (const { mask, testId } of MARK_ROWS) {
          const row = screen.getByTestId(`signal-${testId}-${process.pid}`);
          expect(row.getAttribute('data-signals')).toBe(process.signals![mask].join(' '));
          /* every signal of the mask is a chip, or counted in the row's "+N" */
          const chips = process.signals![mask].filter((name) => screen.queryByTestId(`signal-chip-${testId}-${process.pid}-${name}`) !== null);
          const more = Number(/\+(\d+)$/.exec(row.textContent ?? '')?.[1] ?? 0);
          expect(chips.length + more).toBe(process.signals![mask].length);
          expect(chips).toEqual(process.signals![mask].slice(0, chips.length));
        }
      }
    }
    /* seven frames through jsdom: slow on a machine eight helpers share */
  }, 60_000);

  it('a blocked SIGUSR1 sent by kill lands as a pending mark on the whole process, drawn while blocked', () => {
    const frame = frames.usr1;
    const parent = parentOf(frame);
    expect(parent.signals).toMatchObject({ sharedPending: ['SIGUSR1'], blocked: ['SIGUSR1'] });
    render(<Picture />);
    show(frame);
    const kill = frame.events.find((e) => e.syscall === 'kill')!;
    expect(screen.getByTestId(`signal-chip-shared-${parent.pid}-SIGUSR1`).textContent).toBe('USR1');
    expect(screen.getByTestId(`signal-chip-blocked-${parent.pid}-SIGUSR1`)).toBeTruthy();
    expect(screen.queryByTestId(`signal-chip-pending-${parent.pid}-SIGUSR1`)).toBeNull();
    const flight = screen.getByTestId(`signal-flight-${kill.seq}`);
    expect(flight.getAttribute('data-landing')).toBe('held');
    expect(flight.textContent).toContain('USR1');
    advance(FLIGHT_MS + 50);
    expect(screen.getByTestId(`signal-landing-${kill.seq}`).textContent).toBe('held: pending');
    advance(3 * FLIGHT_MS);
    expect(screen.queryByTestId(`signal-flight-${kill.seq}`)).toBeNull();
    /* the mark stays: it is the kernel's state, not the flight */
    expect(screen.getByTestId(`signal-chip-shared-${parent.pid}-SIGUSR1`)).toBeTruthy();
  });

  it('SIGUSR2, not blocked, lands as the frame shows it (pending for an instant, or handled); unblocking empties the pending row', () => {
    const frame = frames.usr2;
    const parent = parentOf(frame);
    render(<Picture />);
    show(frame);
    const kill = frame.events.find((e) => e.syscall === 'kill')!;
    const stillPending = parent.signals!.sharedPending.includes('SIGUSR2');
    expect(screen.getByTestId(`signal-flight-${kill.seq}`).getAttribute('data-landing')).toBe(stillPending ? 'held' : 'handled');
    expect(screen.getByTestId(`signal-shared-${parent.pid}`).getAttribute('data-signals')).toBe(stillPending ? 'SIGUSR2' : '');
    expect(screen.getByTestId(`signal-chip-caught-${parent.pid}-SIGUSR2`)).toBeTruthy();
    show({ ...frames.unblocked, seq: frame.seq + 1 });
    expect(screen.getByTestId(`signal-shared-${parent.pid}`).getAttribute('data-signals')).toBe('');
    expect(screen.getByTestId(`signal-blocked-${parent.pid}`).getAttribute('data-signals')).toBe('');
  });

  it('the child\'s exit sends SIGCHLD to its parent, drawn caught by the parent\'s handler while SIGUSR1 stays pending', () => {
    const frame = frames.exit;
    const parent = parentOf(frame);
    const child = frame.processes.find((p) => p.pid === frame.lesson!.roles.child)!;
    expect(child.state).toBe('Z');
    expect(child.ppid).toBe(parent.pid);
    render(<Picture />);
    show(frame);
    const exit = frame.events.find((e) => e.syscall === 'exit')!;
    const flight = screen.getByTestId(`signal-flight-${exit.seq}`);
    expect(flight.textContent).toBe('CHLD');
    expect(flight.getAttribute('data-landing')).toBe(parent.signals!.sharedPending.includes('SIGCHLD') ? 'held' : 'handled');
    expect(screen.getByTestId(`signal-chip-shared-${parent.pid}-SIGUSR1`)).toBeTruthy();
  });

  it('no flight without a kill that returned 0, and none the frame does not show landing', () => {
    const frame = frames.usr1;
    render(<Picture />);
    const kill = frame.events.find((e) => e.syscall === 'kill')!;
    show({ ...frame, events: [{ ...kill, result: -1, errno: 'ESRCH' }] });
    expect(screen.queryByTestId(`signal-flight-${kill.seq}`)).toBeNull();
    const parent = parentOf(frame);
    expect(landingOf('SIGUSR1', { ...parent.signals!, sharedPending: [], caught: [] }, false)).toBeNull();
  });

  it('names and chips: short names, "+N" when the row is full, Chinese labels', () => {
    expect(signalNameOf(10)).toBe('SIGUSR1');
    expect(signalNameOf(17)).toBe('SIGCHLD');
    expect(shortSignal('SIGCHLD')).toBe('CHLD');
    const many = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGTERM', 'SIGCHLD', 'SIGCONT'];
    const { shown, more } = fitChips(many, 120, 11.5);
    expect(shown.length + more).toBe(many.length);
    expect(more).toBeGreaterThan(0);
    render(<Picture />);
    show(frames.usr1);
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    const parent = parentOf(frames.usr1);
    expect(screen.getByTestId(`signal-shared-${parent.pid}`).textContent).toContain('未决（进程）');
  });
});
