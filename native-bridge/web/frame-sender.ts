import type { Frame, SyscallEvent } from '../model/frame-types';

/**
 * Delivers frames to one client without queueing without bound. Frames come
 * at up to 60 Hz; when the client's socket still holds more than `highWater`
 * bytes, the frame is held back instead of queued. A newer frame replaces a
 * held one, but the held frame's events are carried into it: pictures may be
 * skipped, syscall events never are.
 */

/** The part of a ws WebSocket the sender needs (kept small for testing). */
export interface FrameSink {
  readonly bufferedAmount: number;
  send(data: string): void;
}

const DEFAULT_HIGH_WATER_BYTES = 512 * 1024;
/**
 * Events carried for a client that does not drain. Past this the client is
 * cut off (it reconnects and starts from a fresh frame) rather than losing
 * events silently or holding them without bound.
 */
const MAX_CARRIED_EVENTS = 5000;
const RETRY_MS = 20;

export class FrameSender {
  private held: Frame | null = null;
  private heldEncoded: string | null = null;
  private carriedEvents: SyscallEvent[] = [];
  private retry: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  /** Frames not sent because a newer one replaced them: counted so the tests can see the coalescing. */
  dropped = 0;

  constructor(
    private readonly sink: FrameSink,
    private readonly highWater = DEFAULT_HIGH_WATER_BYTES,
    private readonly onOverflow: () => void = () => undefined,
    private readonly maxCarriedEvents = MAX_CARRIED_EVENTS,
  ) {}

  /** Offers a frame; `encoded` is the shared JSON message when nothing was carried. */
  offer(frame: Frame, encoded: string): void {
    if (this.closed) return;
    if (this.held !== null) {
      this.dropped += 1;
      this.carriedEvents = mergeEvents(this.carriedEvents, this.held.events);
      if (this.carriedEvents.length > this.maxCarriedEvents) {
        this.close();
        this.onOverflow();
        return;
      }
    }
    this.held = frame;
    this.heldEncoded = encoded;
    this.flush();
  }

  private flush(): void {
    if (this.closed || this.held === null) return;
    if (this.sink.bufferedAmount > this.highWater) {
      this.retry ??= setTimeout(() => {
        this.retry = null;
        this.flush();
      }, RETRY_MS);
      return;
    }
    const frame = this.held;
    const message =
      this.carriedEvents.length === 0 && this.heldEncoded !== null
        ? this.heldEncoded
        : JSON.stringify({ type: 'frame', frame: { ...frame, events: mergeEvents(this.carriedEvents, frame.events) } });
    this.held = null;
    this.heldEncoded = null;
    this.carriedEvents = [];
    this.sink.send(message);
  }

  close(): void {
    this.closed = true;
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
    this.held = null;
    this.carriedEvents = [];
  }
}

const PHASE_ORDER: Record<SyscallEvent['phase'], number> = { call: 0, blocked: 1, return: 2 };

/**
 * Union of two event lists in seq order. The same event (seq and phase) sent
 * in two frames appears once, as its latest copy.
 */
export function mergeEvents(older: SyscallEvent[], newer: SyscallEvent[]): SyscallEvent[] {
  if (older.length === 0) return newer;
  const byKey = new Map<string, SyscallEvent>();
  for (const event of [...older, ...newer]) byKey.set(`${event.seq}:${event.phase}`, event);
  return [...byKey.values()].sort((a, b) => a.seq - b.seq || PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase]);
}
