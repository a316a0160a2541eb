/**
 * The JSON spoken over the browser-mode WebSocket. Both sides use these types:
 * the server (native-bridge/web) and renderer/transport/websocket-transport.ts
 * (which imports them as types only).
 */
import type { Command, CommandResult } from '../model/commands';
import type { FrameDelta } from '../model/frame-delta';
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
  /** A full frame: the first a client receives, and one now and then after (FrameSender's fullEvery). */
  | { type: 'frame'; frame: Frame }
  /**
   * What changed since the frame this client last received (model/frame-delta.ts):
   * `delta.base` is that frame's seq. Apply it to that frame to get the next one
   * (model/frame-delta-receiver.ts); a client holding another frame must not draw
   * it, and reconnects instead (the first message after a connect is a full frame).
   * Its `frame.fields.events` are the events since the last frame sent, as in a full one.
   */
  | { type: 'delta'; delta: FrameDelta }
  | { type: 'status'; status: 'open'; lessons: LessonSummary[] }
  | { type: 'status'; status: 'closing' }
  /** A message the server could not take (not JSON, no id); the connection stays open. */
  | { type: 'error'; error: string }
  | SharedEngineMessage;

/**
 * Browser mode lets several windows (tabs, browsers) connect to one engine,
 * and they share its one lesson or observation. Each window is told how many
 * are connected and its own number when it connects and whenever the count
 * changes, and the others are told what a window did to the shared session.
 */
export interface ClientsMessage {
  type: 'clients';
  /** Windows connected now, this one included. */
  count: number;
  /** This window's number (1, 2, ... in order of connection, never reused while the server runs). */
  you: number;
}

/** What another window's command (one that succeeded and changes the shared session) did. */
export interface PeerAction {
  command: Command['type'];
  /** lesson.start: the lesson's id. */
  lesson?: string;
  /** step.back: the step gone back to. */
  step?: number;
  /** observe: the scope. */
  pids?: number[];
  tree?: boolean;
  all?: boolean;
}

export interface PeerActionMessage {
  type: 'peer-action';
  /** The number of the window that acted. */
  client: number;
  action: PeerAction;
}

/** The shared-engine notices, appended to ServerMessage. */
export type SharedEngineMessage = ClientsMessage | PeerActionMessage;
