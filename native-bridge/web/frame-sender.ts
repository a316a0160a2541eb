import type { Frame, SyscallEvent } from '../model/frame-types';
import { deltaMessage, fullMessage } from './frame-messages';
import type { FrameMessages } from './frame-messages';

/**
 * Delivers frames to one client without queueing without bound. Frames come
 * at up to 60 Hz; when the client's socket still holds more than `highWater`
 * bytes, the frame is held back instead of queued. A newer frame replaces a
 * held one, but the held frame's events are carried into it: pictures may be
 * skipped, syscall events never are.
 *
 * The first frame goes in full, then deltas against the frame last SENT to
 * this client (model/frame-delta.ts), whatever was held and replaced in
 * between; one in `fullEvery` goes in full again, so a client whose copy
 * went wrong somehow is mended within that many frames.
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
/* at 10 Hz, a full frame every 10 s: ~400 KiB once in a hundred frames of a few KiB */
const DEFAULT_FULL_EVERY = 100;

export class FrameSender {
  private held: FrameMessages | null = null;
  private carriedEvents: SyscallEvent[] = [];
  /** The frame this client last received, the base of the next delta: null until the first is sent. */
  private lastSent: Frame | null = null;
  /** Deltas sent since the last full frame. */
  private sinceFull = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  /** Frames not sent because a newer one replaced them: counted so the tests can see the coalescing. */
  dropped = 0;
  /** Frames sent in full and as deltas: counted so the tests can see which went. */
  fullSent = 0;
  deltasSent = 0;

  constructor(
    private readonly sink: FrameSink,
    private readonly highWater = DEFAULT_HIGH_WATER_BYTES,
    private readonly onOverflow: () => void = () => undefined,
    private readonly maxCarriedEvents = MAX_CARRIED_EVENTS,
    private readonly fullEvery = DEFAULT_FULL_EVERY,
  ) {}

  /** Offers a frame; `messages` holds its encodings shared by every client (used when nothing was carried). */
  offer(messages: FrameMessages): void {
    if (this.closed) return;
    if (this.held !== null) {
      this.dropped += 1;
      this.carriedEvents = mergeEvents(this.carriedEvents, this.held.frame.events);
      if (this.carriedEvents.length > this.maxCarriedEvents) {
        this.close();
        this.onOverflow();
        return;
      }
    }
    this.held = messages;
    this.flush();
  }

  /** The next frame goes in full (the client asked for one). */
  sendFullNext(): void {
    this.lastSent = null;
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
    const held = this.held;
    const shared = this.carriedEvents.length === 0;
    const frame = shared ? held.frame : { ...held.frame, events: mergeEvents(this.carriedEvents, held.frame.events) };
    const base = this.sinceFull >= this.fullEvery ? null : this.lastSent;
    let message: string;
    if (base === null) {
      message = shared ? held.full() : fullMessage(frame);
      this.sinceFull = 0;
      this.fullSent += 1;
    } else {
      message = shared ? held.deltaFrom(base) : deltaMessage(base, frame);
      this.sinceFull += 1;
      this.deltasSent += 1;
    }
    this.held = null;
    this.carriedEvents = [];
    this.lastSent = frame;
    this.sink.send(message);
  }

  close(): void {
    this.closed = true;
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
    this.held = null;
    this.carriedEvents = [];
    this.lastSent = null;
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
