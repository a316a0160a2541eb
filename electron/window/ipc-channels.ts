import type { Command, CommandResult } from '../../native-bridge/model/commands';
import type { Frame } from '../../native-bridge/model/frame-types';

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
} as const;

export type EventName = keyof typeof EVENT_CHANNELS;
export type CallName = keyof typeof CALL_CHANNELS;

/** What each one-way event carries. */
export interface EventPayloads {
  frame: Frame;
  /** Connection state of the engine: "open", "closed", or an error text. */
  status: string;
}

/** What each call sends and what it answers. */
export interface CallSignatures {
  command: { request: Command; response: CommandResult };
}

export type CallRequest<K extends CallName> = CallSignatures[K]['request'];
export type CallResponse<K extends CallName> = CallSignatures[K]['response'];

/** The API the preload puts on `window.ipcscope`, and nothing more. */
export interface IpcscopeBridge {
  send(command: Command): Promise<CommandResult>;
  onFrame(listener: (frame: Frame) => void): () => void;
  onStatus(listener: (status: string) => void): () => void;
}
