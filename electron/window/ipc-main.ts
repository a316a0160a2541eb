import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { CALL_CHANNELS, EVENT_CHANNELS } from './ipc-channels';
import type { CallName, CallResponse, EventName, EventPayloads } from './ipc-channels';

/**
 * Typed wrappers over ipcMain. The only file in main that imports ipcMain.
 * Every call passes the sender check before its handler sees the request,
 * and the handler gets the request as `unknown`: it must validate it.
 */
export class UntrustedSenderError extends Error {
  override name = 'UntrustedSenderError';
}

export function handleCall<K extends CallName>(
  name: K,
  isTrusted: (event: IpcMainInvokeEvent) => boolean,
  handler: (request: unknown, event: IpcMainInvokeEvent) => Promise<CallResponse<K>>,
): () => void {
  const channel = CALL_CHANNELS[name];
  ipcMain.handle(channel, (event, ...args: unknown[]) => {
    if (!isTrusted(event)) {
      console.warn(`ipcscope: refused "${channel}" from ${event.senderFrame?.url ?? 'a frame that has gone'}`);
      throw new UntrustedSenderError(`"${channel}" is only answered for the ipcscope window`);
    }
    return handler(args.length === 1 ? args[0] : args, event);
  });
  return () => ipcMain.removeHandler(channel);
}

export function sendEvent<K extends EventName>(contents: WebContents, name: K, payload: EventPayloads[K]): void {
  if (contents.isDestroyed()) return;
  contents.send(EVENT_CHANNELS[name], payload);
}
