import { encodeFrameDelta } from '../model/frame-delta';
import type { Frame } from '../model/frame-types';
import type { ServerMessage } from './wire-protocol';

/**
 * One frame's WebSocket messages, each encoded at most once and shared by
 * every client: the full frame, and the delta against each frame some client
 * last received (clients that keep up all last received the same one).
 */
export class FrameMessages {
  private fullText: string | null = null;
  private readonly deltaTexts = new Map<Frame, string>();

  constructor(readonly frame: Frame) {}

  full(): string {
    this.fullText ??= fullMessage(this.frame);
    return this.fullText;
  }

  deltaFrom(base: Frame): string {
    let text = this.deltaTexts.get(base);
    if (text === undefined) {
      text = deltaMessage(base, this.frame);
      this.deltaTexts.set(base, text);
    }
    return text;
  }
}

export function fullMessage(frame: Frame): string {
  return JSON.stringify({ type: 'frame', frame } satisfies ServerMessage);
}

export function deltaMessage(base: Frame, frame: Frame): string {
  return JSON.stringify({ type: 'delta', delta: encodeFrameDelta(base, frame) } satisfies ServerMessage);
}
