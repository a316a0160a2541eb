import type { IpcscopePreloadApi } from './preload-global';
import { STATUS_OPEN } from './transport';
import type { Command, CommandResult, Frame, ViewApi } from './transport';

/**
 * The Electron door: a thin wrapper over `window.ipcscope` (the preload API).
 * The preload is there as soon as the page runs, so the transport reports
 * "open" to each new status listener, then passes on what the shell reports.
 */
export function createElectronTransport(preload: IpcscopePreloadApi): ViewApi {
  return {
    async send(command: Command): Promise<CommandResult> {
      try {
        return await preload.send(command);
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
    onFrame(listener: (frame: Frame) => void): () => void {
      return preload.onFrame(listener);
    },
    onStatus(listener: (status: string) => void): () => void {
      const off = preload.onStatus(listener);
      listener(STATUS_OPEN);
      return off;
    },
  };
}
