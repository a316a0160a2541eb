import type { Command, CommandResult } from '../../native-bridge/model/commands';
import type { Frame } from '../../native-bridge/model/frame-types';

/**
 * The API electron/preload exposes on `window.ipcscope` through
 * contextBridge: a small named surface, never ipcRenderer itself.
 * Shaped like ViewApi but not one: its onStatus passes on changes only and
 * never reports the current status to a new listener (electron-transport
 * adds that), and electron/window/preload.test.ts checks it against the shell's type.
 */
export interface IpcscopePreloadApi {
  send(command: Command): Promise<CommandResult>;
  onFrame(listener: (frame: Frame) => void): () => void;
  onStatus(listener: (status: string) => void): () => void;
}

declare global {
  interface Window {
    /** Present only inside the Electron shell. */
    ipcscope?: IpcscopePreloadApi;
  }
}
