import type { Command, CommandResult } from '../../native-bridge/model/commands';
import type { FrameUpdate } from '../../native-bridge/model/frame-delta-receiver';

/**
 * The one channel map both sides of the window share. Two kinds of channel:
 * one-way events (main -> window) and request/response calls (window -> main,
 * answered with a Promise). Only ipc-main.ts and ipc-renderer.ts touch
 * Electron's ipcMain / ipcRenderer; everything else goes through them.
 */
export const EVENT_CHANNELS = {
  frame: 'ipcscope:frame',
  status: 'ipcscope:status',
} as const;

export const CALL_CHANNELS = {
  command: 'ipcscope:command',
  fullFrame: 'ipcscope:full-frame',
} as const;

export type EventName = keyof typeof EVENT_CHANNELS;
export type CallName = keyof typeof CALL_CHANNELS;

/** What each one-way event carries. */
export interface EventPayloads {
  /**
   * A full frame, or what changed since the frame sent before it
   * (model/frame-delta.ts): the window's transport rebuilds the full frame,
   * and asks for one (`fullFrame`) when a delta does not fit what it holds.
   */
  frame: FrameUpdate;
  /** Connection state of the engine: "open", "closed", or an error text. */
  status: string;
}

/** What each call sends and what it answers. */
export interface CallSignatures {
  command: { request: Command; response: CommandResult };
  /** The next frame goes to the window in full. */
  fullFrame: { request: null; response: CommandResult };
}

export type CallRequest<K extends CallName> = CallSignatures[K]['request'];
export type CallResponse<K extends CallName> = CallSignatures[K]['response'];

/** The API the preload puts on `window.ipcscope`, and nothing more. */
export interface IpcscopeBridge {
  send(command: Command): Promise<CommandResult>;
  onFrame(listener: (update: FrameUpdate) => void): () => void;
  /** Asks for the next frame in full (the transport holds no frame a delta fits). */
  askFullFrame(): Promise<CommandResult>;
  onStatus(listener: (status: string) => void): () => void;
}
