import { FrameDeltaReceiver } from '../../native-bridge/model/frame-delta-receiver';
import type { FrameUpdate } from '../../native-bridge/model/frame-delta-receiver';
import type { Frame } from '../../native-bridge/model/frame-types';
import { EVENT_CHANNELS } from '../window/ipc-channels';

/** The frames a window was sent, rebuilt in order as its transport does (full frames and deltas). */
export function windowFramesSeen(sent: ReadonlyArray<{ channel: string; payload: unknown }>): Frame[] {
  const receiver = new FrameDeltaReceiver();
  return sent.filter((m) => m.channel === EVENT_CHANNELS.frame).map((m) => receiver.receive(m.payload as FrameUpdate));
}
