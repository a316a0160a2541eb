/**
 * The JSON spoken over the browser-mode WebSocket. Both sides use these types:
 * the server (native-bridge/web) and renderer/transport/websocket-transport.ts
 * (which imports them as types only).
 */
import type { CommandResult } from '../model/commands';
import type { Frame, LessonSummary } from '../model/frame-types';

/** Path of the WebSocket endpoint; the token travels as `?token=`. */
export const WS_PATH = '/ws';

/** Largest client message accepted, in bytes; ws closes the socket (1009) above it. */
export const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

/** Client -> server: one command, answered by a `result` with the same id. */
export interface ClientRequest {
  id: number | string;
  /** Untrusted: validated by the session (parseCommand). */
  command: unknown;
}

export type ServerMessage =
  | { type: 'result'; id: number | string; result: CommandResult }
  | { type: 'frame'; frame: Frame }
  | { type: 'status'; status: 'open'; lessons: LessonSummary[] }
  | { type: 'status'; status: 'closing' }
  /** A message the server could not take (not JSON, no id); the connection stays open. */
  | { type: 'error'; error: string };
