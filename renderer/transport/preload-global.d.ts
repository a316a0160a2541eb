import type { Command, CommandResult } from '../../native-bridge/model/commands';
import type { FrameUpdate } from '../../native-bridge/model/frame-delta-receiver';

/**
 * The API electron/preload exposes on `window.ipcscope` through
 * contextBridge: a small named surface, never ipcRenderer itself.
 * Shaped like ViewApi but not one: its onStatus passes on changes only and
 * never reports the current status to a new listener (electron-transport
 * adds that), and electron/window/preload.test.ts checks it against the shell's type.
 */
export interface IpcscopePreloadApi {
  send(command: Command): Promise<CommandResult>;
  /** Full frames and deltas, as main sends them: the transport rebuilds full frames. */
  onFrame(listener: (update: FrameUpdate) => void): () => void;
  /** The next frame comes in full (a delta did not fit the frame the transport holds). */
  askFullFrame(): Promise<CommandResult>;
  onStatus(listener: (status: string) => void): () => void;
}

declare global {
  interface Window {
    /** Present only inside the Electron shell. */
    ipcscope?: IpcscopePreloadApi;
  }
}
