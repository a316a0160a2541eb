import type { FrameUpdate } from '../../native-bridge/model/frame-delta-receiver';
import type { Frame } from '../../native-bridge/model/frame-types';

/**
 * What main sends the window of each engine frame: the engine's delta as it
 * came when the window holds the frame it was made against, else the full
 * frame (main rebuilt it: engine-client.ts). The window holds nothing after
 * a load, or when its transport says a delta did not fit (`sendFullNext`).
 */
export class WindowFrames {
  /** seq of the frame last sent to the window; null: it holds none we can count on. */
  private sentSeq: number | null = null;

  constructor(private readonly send: (update: FrameUpdate) => void) {}

  forward(frame: Frame, update: FrameUpdate): void {
    const fits = update.type === 'frame' || (this.sentSeq !== null && update.delta.base === this.sentSeq);
    this.send(fits ? update : { type: 'frame', frame });
    this.sentSeq = frame.seq;
  }

  sendFullNext(): void {
    this.sentSeq = null;
  }
}
