import { createElectronTransport } from './electron-transport';
import type { ViewApi } from './transport';
import { createWebSocketTransport } from './websocket-transport';

/** Electron when the preload exposed `window.ipcscope`, else the browser-mode WebSocket. */
export function connectTransport(): ViewApi {
  const preload = window.ipcscope;
  return preload ? createElectronTransport(preload) : createWebSocketTransport();
}
