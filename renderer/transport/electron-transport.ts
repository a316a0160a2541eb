import { FrameDeltaReceiver } from '../../native-bridge/model/frame-delta-receiver';
import type { FrameUpdate } from '../../native-bridge/model/frame-delta-receiver';
import type { IpcscopePreloadApi } from './preload-global';
import { STATUS_OPEN } from './transport';
import type { Command, CommandResult, Frame, ViewApi } from './transport';

/**
 * The Electron door: a thin wrapper over `window.ipcscope` (the preload API).
 * The preload is there as soon as the page runs, so the transport reports
 * "open" to each new status listener, then passes on what the shell reports.
 * Frames come in full or as deltas (what changed since the frame before):
 * rebuilt here, so listeners get full frames. A delta that does not fit the
 * frame held (the page subscribed late, a reload) is refused aloud and a
 * full frame asked for; deltas until it comes are dropped, never drawn.
 */
export function createElectronTransport(preload: IpcscopePreloadApi): ViewApi {
  const frameListeners = new Set<(frame: Frame) => void>();
  const receiver = new FrameDeltaReceiver();
  let awaitingFull = false;
  let unsubscribe: (() => void) | null = null;

  function onUpdate(update: FrameUpdate): void {
    if (update.type === 'frame') awaitingFull = false;
    else if (awaitingFull) return;
    let frame: Frame;
    try {
      frame = receiver.receive(update);
    } catch (error) {
      console.error(`ipcscope: ${error instanceof Error ? error.message : String(error)}; asking for a full frame`);
      awaitingFull = true;
      void preload.askFullFrame().catch(() => undefined);
      return;
    }
    for (const listener of frameListeners) listener(frame);
  }

  return {
    async send(command: Command): Promise<CommandResult> {
      try {
        return await preload.send(command);
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
    onFrame(listener: (frame: Frame) => void): () => void {
      frameListeners.add(listener);
      unsubscribe ??= preload.onFrame(onUpdate);
      return () => {
        frameListeners.delete(listener);
        if (frameListeners.size > 0 || unsubscribe === null) return;
        unsubscribe();
        unsubscribe = null;
        /* frames missed while no one listened: the next one taken must be full */
        receiver.reset();
      };
    },
    onStatus(listener: (status: string) => void): () => void {
      const off = preload.onStatus(listener);
      listener(STATUS_OPEN);
      return off;
    },
  };
}
