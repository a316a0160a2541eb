import { ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { CALL_CHANNELS, EVENT_CHANNELS } from './ipc-channels';
import type { CallName, CallRequest, CallResponse, EventName, EventPayloads } from './ipc-channels';

/**
 * Typed wrappers over ipcRenderer for the preload. The only file on the page
 * side that imports ipcRenderer; the page itself never sees it.
 */
export function invoke<K extends CallName>(name: K, request: CallRequest<K>): Promise<CallResponse<K>> {
  return ipcRenderer.invoke(CALL_CHANNELS[name], request) as Promise<CallResponse<K>>;
}

/** Subscribes to a one-way event; returns the unsubscribe function. */
export function subscribe<K extends EventName>(name: K, listener: (payload: EventPayloads[K]) => void): () => void {
  const channel = EVENT_CHANNELS[name];
  /* the IpcRendererEvent is dropped: handing it to the page would leak ipcRenderer (event.sender) */
  const relay = (_event: IpcRendererEvent, payload: EventPayloads[K]): void => listener(payload);
  ipcRenderer.on(channel, relay);
  return () => {
    ipcRenderer.removeListener(channel, relay);
  };
}
