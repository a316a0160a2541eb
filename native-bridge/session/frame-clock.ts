/**
 * The session's frames (session.ts): while at least one listener is
 * subscribed, a timer at the sampling rate emits a Frame; `emit()` also sends
 * one at once (after every syscall event, so a close or a return shows
 * without waiting for the timer). Syscall events wait here for the next
 * frame, bounded when no one listens.
 */
import { RATE_DEFAULT_HZ } from '../model/commands';
import type { Frame, SyscallEvent } from '../model/frame-types';
import type { RunnerEvent } from './lesson-runner';

/* events kept for a frame when no one listens, so memory stays bounded */
const MAX_QUEUED_EVENTS = 500;

/** Everything a frame carries but its sequence number, rate and events. */
export type FrameBody = Omit<Frame, 'seq' | 'rateHz' | 'events'>;

export class FrameClock {
  private rateHz = RATE_DEFAULT_HZ;
  private frameSeq = 0;
  private eventSeq = 0;
  private events: SyscallEvent[] = [];
  private readonly listeners = new Set<(frame: Frame) => void>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  /** `body` samples the kernel and says what the session shows, once per frame. */
  constructor(private readonly body: () => FrameBody) {}

  /** True while a listener is subscribed and the timer runs. */
  get sampling(): boolean {
    return this.timer !== null;
  }

  onFrame(listener: (frame: Frame) => void): () => void {
    this.listeners.add(listener);
    this.restartTimer();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopTimer();
    };
  }

  setRate(hz: number): void {
    this.rateHz = hz;
    this.restartTimer();
  }

  /** Numbers the event and keeps it for the next frame. */
  addEvent(event: RunnerEvent): void {
    this.events.push({ ...event, seq: ++this.eventSeq, time: Date.now() });
    if (this.events.length > MAX_QUEUED_EVENTS) this.events.splice(0, this.events.length - MAX_QUEUED_EVENTS);
  }

  emit(): void {
    if (this.listeners.size === 0 || this.closed) return;
    const frame: Frame = { ...this.body(), seq: ++this.frameSeq, rateHz: this.rateHz, events: this.events };
    this.events = [];
    for (const listener of this.listeners) listener(frame);
  }

  /** No frame after this. */
  close(): void {
    this.closed = true;
    this.stopTimer();
    this.listeners.clear();
  }

  private restartTimer(): void {
    this.stopTimer();
    if (this.listeners.size === 0 || this.closed) return;
    this.timer = setInterval(() => this.emit(), 1000 / this.rateHz);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
