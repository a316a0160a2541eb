import { contextBridge } from 'electron';
import type { Command, CommandResult } from '../../native-bridge/model/commands';
import type { FrameUpdate } from '../../native-bridge/model/frame-delta-receiver';
import type { IpcscopeBridge } from './ipc-channels';
import { invoke, subscribe } from './ipc-renderer';

/**
 * Runs sandboxed, before the page. Puts exactly four functions on
 * `window.ipcscope`: never ipcRenderer itself and never a send-anything. Main
 * validates every command again; nothing here is trusted by the engine.
 */
const ipcscopeBridge: IpcscopeBridge = {
  send: (command: Command): Promise<CommandResult> => invoke('command', command),
  onFrame: (listener: (update: FrameUpdate) => void): (() => void) => subscribe('frame', listener),
  askFullFrame: (): Promise<CommandResult> => invoke('fullFrame', null),
  onStatus: (listener: (status: string) => void): (() => void) => subscribe('status', listener),
};

contextBridge.exposeInMainWorld('ipcscope', ipcscopeBridge);
