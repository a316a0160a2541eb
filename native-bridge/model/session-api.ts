import type { Command, CommandResult } from './commands';
import type { Frame, LessonSummary } from './frame-types';

/**
 * What a shell (Electron utility process, web server, tests) needs from the
 * engine: send validated commands, receive frames. Implemented by
 * native-bridge/session/session.ts.
 */
export interface EngineSession {
  /** Runs one command; never throws: bad input gives { ok: false, error }. */
  handle(command: unknown): Promise<CommandResult>;
  onFrame(listener: (frame: Frame) => void): () => void;
  lessons(): LessonSummary[];
  /** Stops the lesson, kills and reaps its processes, removes its objects. */
  dispose(): Promise<void>;
}

/** The API a view (renderer) sees, whatever the transport. */
export interface ViewApi {
  send(command: Command): Promise<CommandResult>;
  onFrame(listener: (frame: Frame) => void): () => void;
  /**
   * Connection state ("connecting", "open", "closed", an error text): the
   * current one at once, to each listener as it subscribes, then every change.
   * A view that subscribes late still learns the door is open.
   */
  onStatus(listener: (status: string) => void): () => void;
}
