import { applyFrameDelta, FrameDeltaMismatch } from './frame-delta';
import type { FrameDelta } from './frame-delta';
import type { Frame } from './frame-types';

/** What a view receives: a full frame, or what changed since the last frame it received. */
export type FrameUpdate = { type: 'frame'; frame: Frame } | { type: 'delta'; delta: FrameDelta };

/**
 * A view's end of a frame stream (the renderer's transports, tests that
 * watch a server): keeps the last frame and rebuilds each delta against it,
 * so whatever listens gets full frames. A delta made against another frame
 * than the one held (none yet, a frame missed) throws FrameDeltaMismatch:
 * the caller must get a full frame (reconnect, ask for one), never draw it.
 */
export class FrameDeltaReceiver {
  private last: Frame | null = null;

  /** The full frame `update` stands for; throws FrameDeltaMismatch for a delta that does not fit. */
  receive(update: FrameUpdate): Frame {
    if (update.type === 'frame') {
      this.last = update.frame;
      return update.frame;
    }
    const base = this.last;
    if (base === null) throw new FrameDeltaMismatch(`a delta against frame ${update.delta.base} arrived before any full frame`);
    try {
      this.last = applyFrameDelta(base, update.delta);
    } catch (error) {
      /* nothing drawn from here on until a full frame comes */
      this.last = null;
      throw error;
    }
    return this.last;
  }

  /** Forgets the last frame (the stream was cut): only a full frame is taken next. */
  reset(): void {
    this.last = null;
  }

  get lastSeq(): number | null {
    return this.last?.seq ?? null;
  }
}
