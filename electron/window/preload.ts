import { contextBridge } from 'electron';
import type { Command, CommandResult } from '../../native-bridge/model/commands';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { IpcscopeBridge } from './ipc-channels';
import { invoke, subscribe } from './ipc-renderer';

/**
 * Runs sandboxed, before the page. Puts exactly three functions on
 * `window.ipcscope`: never ipcRenderer itself and never a send-anything. Main
 * validates every command again; nothing here is trusted by the engine.
 */
const ipcscopeBridge: IpcscopeBridge = {
  send: (command: Command): Promise<CommandResult> => invoke('command', command),
  onFrame: (listener: (frame: Frame) => void): (() => void) => subscribe('frame', listener),
  onStatus: (listener: (status: string) => void): (() => void) => subscribe('status', listener),
};

contextBridge.exposeInMainWorld('ipcscope', ipcscopeBridge);
