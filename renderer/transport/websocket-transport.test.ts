import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeFrameDelta } from '../../native-bridge/model/frame-delta';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { ProcessInfo } from '../../native-bridge/model/snapshot-types';
import { createWebSocketTransport, tokenFromLocation } from './websocket-transport';
import type { WebSocketConstructor } from './websocket-transport';

/** A stand-in for the browser's WebSocket: the test plays the server. */
class ScriptedSocket {
  static made: ScriptedSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    ScriptedSocket.made.push(this);
  }
  send(text: string): void {
    this.sent.push(text);
  }
  close(): void {
    this.drop();
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.();
  }
  serve(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  lastRequest(): { id: number; command: unknown } {
    return JSON.parse(this.sent.at(-1) ?? 'null') as { id: number; command: unknown };
  }
}

const Impl = ScriptedSocket as unknown as WebSocketConstructor;

beforeEach(() => {
  ScriptedSocket.made = [];
  vi.useFakeTimers();
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('websocket transport', () => {
  it('reads the token from the page URL', () => {
    expect(tokenFromLocation('?token=abc-_1')).toBe('abc-_1');
    expect(tokenFromLocation('?x=1')).toBeNull();
    window.history.replaceState(null, '', '/?token=t0k3n');
    const transport = createWebSocketTransport({ WebSocketImpl: Impl });
    expect(ScriptedSocket.made[0]?.url).toBe(`ws://${location.host}/ws?token=t0k3n`);
    transport.close();
  });

  it('without a token it says so and never connects', async () => {
    const transport = createWebSocketTransport({ WebSocketImpl: Impl, token: null, url: 'ws://h/ws' });
    const statuses: string[] = [];
    transport.onStatus((s) => statuses.push(s));
    expect(statuses[0]).toMatch(/no token/);
    expect(ScriptedSocket.made).toHaveLength(0);
    expect(await transport.send({ type: 'play' })).toMatchObject({ ok: false });
  });

  it('queues commands until open, matches results by id, delivers frames', async () => {
    const transport = createWebSocketTransport({ WebSocketImpl: Impl, token: 'k', url: 'ws://h/ws' });
    const statuses: string[] = [];
    const frames: number[] = [];
    transport.onStatus((s) => statuses.push(s));
    transport.onFrame((f: Frame) => frames.push(f.seq));
    const first = transport.send({ type: 'lessons.list' });
    const socket = ScriptedSocket.made[0]!;
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(statuses).toEqual(['connecting', 'open']);
    const request = socket.lastRequest();
    expect(request.command).toEqual({ type: 'lessons.list' });
    const second = transport.send({ type: 'step' });
    const stepId = socket.lastRequest().id;
    socket.serve({ type: 'result', id: stepId, result: { ok: false, error: 'no lesson' } });
    socket.serve({ type: 'result', id: request.id, result: { ok: true, data: [] } });
    expect(await first).toEqual({ ok: true, data: [] });
    expect(await second).toEqual({ ok: false, error: 'no lesson' });
    socket.serve({ type: 'frame', frame: { seq: 7 } });
    socket.serve('not json at all');
    expect(frames).toEqual([7]);
    transport.close();
  });

  it('answers commands in flight when the socket drops, then reconnects with backoff', async () => {
    const transport = createWebSocketTransport({ WebSocketImpl: Impl, token: 'k', url: 'ws://h/ws', initialBackoffMs: 100, maxBackoffMs: 400 });
    const statuses: string[] = [];
    transport.onStatus((s) => statuses.push(s));
    ScriptedSocket.made[0]!.open();
    const inFlight = transport.send({ type: 'play' });
    ScriptedSocket.made[0]!.drop();
    expect(await inFlight).toEqual({ ok: false, error: 'connection to ipcscope lost' });
    expect(statuses.at(-1)).toBe('closed');
    for (const delay of [100, 200, 400, 400]) {
      const before = ScriptedSocket.made.length;
      vi.advanceTimersByTime(delay - 1);
      expect(ScriptedSocket.made).toHaveLength(before);
      vi.advanceTimersByTime(1);
      expect(ScriptedSocket.made).toHaveLength(before + 1);
      ScriptedSocket.made.at(-1)!.drop();
    }
    vi.advanceTimersByTime(400);
    const last = ScriptedSocket.made.at(-1)!;
    last.open();
    expect(statuses.at(-1)).toBe('open');
    transport.close();
    vi.advanceTimersByTime(10_000);
    expect(ScriptedSocket.made.at(-1)).toBe(last);
  });

  it('rebuilds full frames from deltas; a delta that does not fit is refused and the socket reconnected', () => {
    const transport = createWebSocketTransport({ WebSocketImpl: Impl, token: 'k', url: 'ws://h/ws', initialBackoffMs: 100 });
    const frames: Frame[] = [];
    transport.onFrame((f) => frames.push(f));
    const socket = ScriptedSocket.made[0]!;
    socket.open();
    const sleeper: ProcessInfo = { pid: 10, ppid: 1, comm: 'sleep', state: 'S', blocked: null, fds: [], readable: true };
    const cat: ProcessInfo = { pid: 11, ppid: 1, comm: 'cat', state: 'S', blocked: null, fds: [], readable: true };
    const frame = (seq: number, processes: ProcessInfo[]): Frame => ({ seq, rateHz: 10, takenAt: seq, durationMs: 1, processes, objects: [], problems: [], events: [], lesson: null });
    const f1 = frame(1, [sleeper]);
    const f2 = frame(2, [sleeper, cat]);
    const f3 = frame(3, [cat]);
    socket.serve({ type: 'frame', frame: f1 });
    socket.serve({ type: 'delta', delta: encodeFrameDelta(f1, f2) });
    socket.serve({ type: 'delta', delta: encodeFrameDelta(f2, f3) });
    expect(frames).toEqual([f1, f2, f3]);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    /* a delta against frame 1 while frame 3 is held: not drawn, and nothing more from this socket */
    socket.serve({ type: 'delta', delta: encodeFrameDelta(f1, f2) });
    socket.serve({ type: 'frame', frame: f1 });
    expect(frames).toHaveLength(3);
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/against frame 1 .* last frame held is 3.*reconnecting/));
    expect(socket.readyState).toBe(3);
    vi.advanceTimersByTime(100);
    const again = ScriptedSocket.made[1]!;
    again.open();
    /* a new connection must start from a full frame */
    again.serve({ type: 'delta', delta: encodeFrameDelta(f2, f3) });
    expect(frames).toHaveLength(3);
    vi.advanceTimersByTime(200);
    const third = ScriptedSocket.made[2]!;
    third.open();
    third.serve({ type: 'frame', frame: f2 });
    third.serve({ type: 'delta', delta: encodeFrameDelta(f2, f3) });
    expect(frames.map((f) => f.seq)).toEqual([1, 2, 3, 2, 3]);
    transport.close();
  });

  it('gives up on a command nobody answers', async () => {
    const transport = createWebSocketTransport({ WebSocketImpl: Impl, token: 'k', url: 'ws://h/ws', requestTimeoutMs: 1000 });
    ScriptedSocket.made[0]!.open();
    const result = transport.send({ type: 'pause' });
    vi.advanceTimersByTime(1000);
    expect(await result).toMatchObject({ ok: false, error: expect.stringMatching(/did not answer/) });
    transport.close();
  });
});
