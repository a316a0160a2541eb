import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FrameUpdate } from '../../native-bridge/model/frame-delta-receiver';
import type { Frame } from '../../native-bridge/model/frame-types';
import { connectTransport } from './index';
import type { IpcscopePreloadApi } from './preload-global';

afterEach(() => {
  delete window.ipcscope;
  vi.unstubAllGlobals();
});

describe('connectTransport', () => {
  it('uses the preload when Electron exposed window.ipcscope', async () => {
    const frameListeners: ((update: FrameUpdate) => void)[] = [];
    const preload: IpcscopePreloadApi = {
      send: vi.fn(async () => ({ ok: true as const })),
      onFrame: (cb) => {
        frameListeners.push(cb);
        return () => undefined;
      },
      onStatus: () => () => undefined,
      askFullFrame: async () => ({ ok: true }),
    };
    window.ipcscope = preload;
    const socketMade = vi.fn();
    vi.stubGlobal('WebSocket', socketMade);
    const api = connectTransport();
    expect(await api.send({ type: 'play' })).toEqual({ ok: true });
    expect(preload.send).toHaveBeenCalledWith({ type: 'play' });
    const statuses: string[] = [];
    api.onStatus((s) => statuses.push(s));
    expect(statuses).toEqual(['open']);
    const seqs: number[] = [];
    api.onFrame((f) => seqs.push(f.seq));
    frameListeners[0]?.({ type: 'frame', frame: { seq: 3 } as Frame });
    expect(seqs).toEqual([3]);
    expect(socketMade).not.toHaveBeenCalled();
  });

  it('a preload that throws gives { ok: false }', async () => {
    window.ipcscope = {
      send: async () => {
        throw new Error('utility process gone');
      },
      onFrame: () => () => undefined,
      onStatus: () => () => undefined,
      askFullFrame: async () => ({ ok: true }),
    };
    expect(await connectTransport().send({ type: 'play' })).toEqual({ ok: false, error: 'utility process gone' });
  });

  it('falls back to the WebSocket in a browser', () => {
    const urls: string[] = [];
    class FakeSocket {
      constructor(url: string) {
        urls.push(url);
      }
      close(): void {}
    }
    vi.stubGlobal('WebSocket', FakeSocket);
    window.history.replaceState(null, '', '/?token=abc');
    connectTransport();
    expect(urls).toEqual([`ws://${location.host}/ws?token=abc`]);
  });
});
