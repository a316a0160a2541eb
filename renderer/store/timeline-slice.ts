import type { StateCreator } from 'zustand';
import type { Frame, SyscallEvent } from '../../native-bridge/model/frame-types';
import { animationClock } from '../clock/animation-clock';
import type { AppStore } from './app-store';

/** How many syscall events the log keeps; older ones fall off the top. */
export const EVENT_CAP = 500;
export const STDOUT_CAP = 200;

export interface TimelineEntry {
  event: SyscallEvent;
  /** Animation-clock time the frame carrying this event arrived (drives byte flights). */
  receivedAt: number;
}

export interface TimelineSlice {
  events: TimelineEntry[];
  /** Writes to fd 1 that returned with data: what the processes printed. */
  stdout: TimelineEntry[];
  clearTimeline(): void;
}

export const timelineInitial = { events: [] as TimelineEntry[], stdout: [] as TimelineEntry[] };

export const createTimelineSlice: StateCreator<AppStore, [], [], TimelineSlice> = (set) => ({
  ...timelineInitial,
  clearTimeline: () => set({ events: [], stdout: [] }),
});

function isStdoutWrite(event: SyscallEvent): boolean {
  return event.syscall === 'write' && event.fd === 1 && event.phase === 'return' && (event.result ?? 0) > 0 && !!event.data;
}

/**
 * Adds a frame's events to the timeline. Frames may repeat an event the view
 * already has (a reconnect, a resent frame); an event is known by seq + phase.
 */
export function mergeEvents(state: Pick<TimelineSlice, 'events' | 'stdout'>, frame: Frame): Pick<TimelineSlice, 'events' | 'stdout'> {
  const unchanged = { events: state.events, stdout: state.stdout };
  if (frame.events.length === 0) return unchanged;
  const known = new Set(state.events.map((e) => `${e.event.seq}/${e.event.phase}`));
  const receivedAt = animationClock().now();
  const fresh: TimelineEntry[] = [];
  for (const event of frame.events) {
    const key = `${event.seq}/${event.phase}`;
    if (known.has(key)) continue;
    known.add(key);
    fresh.push({ event, receivedAt });
  }
  if (fresh.length === 0) return unchanged;
  const events = [...state.events, ...fresh].slice(-EVENT_CAP);
  const printed = fresh.filter((e) => isStdoutWrite(e.event));
  const stdout = printed.length ? [...state.stdout, ...printed].slice(-STDOUT_CAP) : state.stdout;
  return { events, stdout };
}
