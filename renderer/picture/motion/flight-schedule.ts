import type { SyscallEvent } from '../../../native-bridge/model/frame-types';
import type { TimelineEntry } from '../../store/timeline-slice';
import type { EdgeGeometry } from '../layout';

/** Flights of one batch take off this fraction of a flight apart. */
const STAGGER = 0.6;
/** Written bytes rest in the ring this fraction of a flight before a reader takes them: long enough to be seen. */
const DWELL = 0.35;

export interface ScheduledFlight {
  event: SyscallEvent;
  edge: EdgeGeometry | null;
  /** Animation-clock time the flight leaves (a write: the writer's fd; a read: the object). */
  start: number;
}

export function movesBytes(event: SyscallEvent): boolean {
  if (event.phase !== 'return' || event.fd === null || event.errno) return false;
  if (event.syscall === 'write') return (event.result ?? 0) > 0;
  return event.syscall === 'read' && event.result !== null && event.result >= 0;
}

function rank(event: SyscallEvent): number {
  return event.syscall === 'write' ? 0 : 1;
}

/**
 * When each byte-moving call flies. Cause before effect: writes of a frame go
 * before its reads, flights of a batch follow one another, and a read never
 * leaves an object before the last write into it has landed there, even when
 * the reader was already asleep and its read returned in the same frame (or
 * the next one) as the write that woke it.
 */
export function scheduleFlights(entries: TimelineEntry[], edges: EdgeGeometry[], durationMs: number): ScheduledFlight[] {
  const ordered = entries
    .filter((e) => movesBytes(e.event))
    .sort((a, b) => a.receivedAt - b.receivedAt || rank(a.event) - rank(b.event) || a.event.seq - b.event.seq);
  const scheduled: ScheduledFlight[] = [];
  let previousStart = -Infinity;
  const writeLands = new Map<string, number>();
  for (const { event, receivedAt } of ordered) {
    const edge = edges.find((e) => e.pid === event.pid && e.holder.fd === event.fd) ?? null;
    let start = Math.max(receivedAt, previousStart + durationMs * STAGGER);
    if (edge && event.syscall === 'read') start = Math.max(start, writeLands.get(edge.objectId) ?? -Infinity);
    if (edge && event.syscall === 'write') writeLands.set(edge.objectId, start + durationMs * (1 + DWELL));
    previousStart = start;
    scheduled.push({ event, edge, start });
  }
  return scheduled;
}

/**
 * Bytes the ring shows at `now`: the kernel's queued count, plus what readers
 * took out whose flight has not left the ring yet, minus what writers put in
 * whose flight has not landed yet. Between flights it is the kernel's number.
 */
export function ringBytes(objectId: string, queued: number, flights: ScheduledFlight[], now: number, durationMs: number): number {
  let bytes = queued;
  for (const { event, edge, start } of flights) {
    if (edge?.objectId !== objectId) continue;
    const moved = event.result ?? 0;
    if (event.syscall === 'read' && now < start) bytes += moved;
    if (event.syscall === 'write' && now < start + durationMs) bytes -= moved;
  }
  return Math.max(0, bytes);
}

/** Whether any flight is still to leave or land at `now` (the picture keeps its clock running). */
export function flightsPending(flights: ScheduledFlight[], now: number, durationMs: number): boolean {
  return flights.some((f) => now <= f.start + durationMs);
}
