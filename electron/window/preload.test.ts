import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import * as electron from '../fake-electron';
import { CALL_CHANNELS, EVENT_CHANNELS } from './ipc-channels';
import type { IpcscopeBridge } from './ipc-channels';
import type { IpcscopePreloadApi } from '../../renderer/transport/preload-global';

vi.mock('electron', async () => await import('../fake-electron'));

describe('preload', () => {
  let bridge: IpcscopeBridge;
  beforeAll(async () => {
    electron.resetFakeElectron();
    /* the preload exposes its API as a side effect of being loaded, as Electron runs it */
    await import('./preload');
    bridge = electron.contextBridge.exposed.get('ipcscope') as IpcscopeBridge;
  });
  beforeEach(() => {
    electron.ipcRenderer.removeAllListeners();
    electron.ipcRenderer.invoked.length = 0;
  });

  it('exposes window.ipcscope and nothing else, with exactly send, onFrame, onStatus, askFullFrame', () => {
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['ipcscope']);
    expect(Object.keys(bridge).sort()).toEqual(['askFullFrame', 'onFrame', 'onStatus', 'send']);
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
    /* ipcRenderer itself must not leak through any property */
    expect(Object.values(bridge)).not.toContain(electron.ipcRenderer);
    /* type-checked: the shape is what the renderer's Electron transport expects, both ways */
    const asRenderer: IpcscopePreloadApi = bridge;
    const _asShell: IpcscopeBridge = asRenderer;
  });

  it('send() invokes the command channel with the command alone and returns its answer', async () => {
    electron.ipcRenderer.answer = { ok: true, data: ['pipe-basics'] };
    const answer = await bridge.send({ type: 'lessons.list' });
    expect(electron.ipcRenderer.invoked).toEqual([{ channel: CALL_CHANNELS.command, args: [{ type: 'lessons.list' }] }]);
    expect(answer).toEqual({ ok: true, data: ['pipe-basics'] });
  });

  it('onFrame() listens on the frame channel, hands over only the frame, and unsubscribes', () => {
    const frames: unknown[] = [];
    const unsubscribe = bridge.onFrame((frame) => frames.push(frame));
    expect(electron.ipcRenderer.listenerCount(EVENT_CHANNELS.frame)).toBe(1);
    const frame = { seq: 7 } as unknown as Frame;
    electron.ipcRenderer.emit(EVENT_CHANNELS.frame, { sender: electron.ipcRenderer }, frame);
    electron.ipcRenderer.emit(EVENT_CHANNELS.status, { sender: electron.ipcRenderer }, 'open');
    expect(frames).toEqual([frame]);
    unsubscribe();
    expect(electron.ipcRenderer.listenerCount(EVENT_CHANNELS.frame)).toBe(0);
    electron.ipcRenderer.emit(EVENT_CHANNELS.frame, {}, frame);
    expect(frames).toHaveLength(1);
  });

  it('askFullFrame() invokes the full-frame channel with nothing the page chose', async () => {
    electron.ipcRenderer.answer = { ok: true };
    expect(await bridge.askFullFrame()).toEqual({ ok: true });
    expect(electron.ipcRenderer.invoked).toEqual([{ channel: CALL_CHANNELS.fullFrame, args: [null] }]);
  });

  it('onStatus() listens on the status channel only, and unsubscribes', () => {
    const statuses: unknown[] = [];
    const unsubscribe = bridge.onStatus((status) => statuses.push(status));
    electron.ipcRenderer.emit(EVENT_CHANNELS.status, {}, 'open');
    electron.ipcRenderer.emit(EVENT_CHANNELS.frame, {}, { seq: 1 });
    expect(statuses).toEqual(['open']);
    unsubscribe();
    expect(electron.ipcRenderer.listenerCount(EVENT_CHANNELS.status)).toBe(0);
  });
});
