import { encodeFrameDelta } from './frame-delta';
import type { FrameUpdate } from './frame-delta-receiver';
import type { Frame } from './frame-types';

/* at 10 Hz, a full frame every 10 s */
const DEFAULT_FULL_EVERY = 100;

/**
 * The sending end of a lossless, in-order frame stream (the desktop engine's
 * port to main): the first frame in full, then deltas against the frame sent
 * before, and one in `fullEvery` in full again. A receiver that lost its
 * base asks for a full frame: `sendFullNext()`. (The WebSocket, which may
 * skip frames, has its own: web/frame-sender.ts.)
 */
export class FrameDeltaStream {
  private last: Frame | null = null;
  private sinceFull = 0;

  constructor(private readonly fullEvery = DEFAULT_FULL_EVERY) {}

  next(frame: Frame): FrameUpdate {
    const base = this.sinceFull >= this.fullEvery ? null : this.last;
    this.last = frame;
    if (base === null) {
      this.sinceFull = 0;
      return { type: 'frame', frame };
    }
    this.sinceFull += 1;
    return { type: 'delta', delta: encodeFrameDelta(base, frame) };
  }

  sendFullNext(): void {
    this.last = null;
  }
}
