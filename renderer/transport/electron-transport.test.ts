import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeFrameDelta } from '../../native-bridge/model/frame-delta';
import type { FrameUpdate } from '../../native-bridge/model/frame-delta-receiver';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { ProcessInfo } from '../../native-bridge/model/snapshot-types';
import { createElectronTransport } from './electron-transport';
import type { IpcscopePreloadApi } from './preload-global';

afterEach(() => vi.restoreAllMocks());

const sleeper: ProcessInfo = { pid: 10, ppid: 1, comm: 'sleep', state: 'S', blocked: null, fds: [], readable: true };
const cat: ProcessInfo = { pid: 11, ppid: 1, comm: 'cat', state: 'S', blocked: null, fds: [], readable: true };
const frame = (seq: number, processes: ProcessInfo[]): Frame => ({ seq, rateHz: 10, takenAt: seq, durationMs: 1, processes, objects: [], problems: [], events: [], lesson: null });

/** The preload as main drives it: the test sends what main would. */
function preloadDouble(): { preload: IpcscopePreloadApi; push(update: FrameUpdate): void; asked: number; subscribers(): number } {
  const listeners = new Set<(update: FrameUpdate) => void>();
  const double = {
    asked: 0,
    preload: {
      send: async () => ({ ok: true as const }),
      onFrame: (cb: (update: FrameUpdate) => void) => {
        listeners.add(cb);
        return () => listeners.delete(cb);
      },
      onStatus: () => () => undefined,
      askFullFrame: async () => {
        double.asked += 1;
        return { ok: true as const };
      },
    },
    push: (update: FrameUpdate) => listeners.forEach((cb) => cb(update)),
    subscribers: () => listeners.size,
  };
  return double;
}

describe('electron transport', () => {
  it('rebuilds full frames from deltas, once for every listener', () => {
    const main = preloadDouble();
    const transport = createElectronTransport(main.preload);
    const a: Frame[] = [];
    const b: Frame[] = [];
    transport.onFrame((f) => a.push(f));
    transport.onFrame((f) => b.push(f));
    expect(main.subscribers()).toBe(1);
    const [f1, f2, f3] = [frame(1, [sleeper]), frame(2, [sleeper, cat]), frame(3, [cat])];
    main.push({ type: 'frame', frame: f1 });
    main.push({ type: 'delta', delta: encodeFrameDelta(f1, f2) });
    main.push({ type: 'delta', delta: encodeFrameDelta(f2, f3) });
    expect(a).toEqual([f1, f2, f3]);
    expect(b).toEqual(a);
  });

  it('a delta that does not fit is refused aloud, a full frame asked for once, and later deltas dropped until it comes', () => {
    const main = preloadDouble();
    const transport = createElectronTransport(main.preload);
    const seen: number[] = [];
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const off = transport.onFrame((f) => seen.push(f.seq));
    const [f1, f2, f3] = [frame(1, [sleeper]), frame(2, [sleeper, cat]), frame(3, [cat])];
    /* the page subscribed after main sent frame 1 */
    main.push({ type: 'delta', delta: encodeFrameDelta(f1, f2) });
    main.push({ type: 'delta', delta: encodeFrameDelta(f2, f3) });
    expect(seen).toEqual([]);
    expect(main.asked).toBe(1);
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/before any full frame.*asking for a full frame/));
    main.push({ type: 'frame', frame: f3 });
    main.push({ type: 'delta', delta: encodeFrameDelta(f3, f2) });
    expect(seen).toEqual([3, 2]);
    /* the last listener leaves: frames it misses are not a base to build on */
    off();
    expect(main.subscribers()).toBe(0);
    transport.onFrame((f) => seen.push(f.seq));
    main.push({ type: 'delta', delta: encodeFrameDelta(f2, f1) });
    expect(seen).toEqual([3, 2]);
    expect(main.asked).toBe(2);
  });
});
