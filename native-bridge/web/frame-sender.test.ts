import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Frame, SyscallEvent } from '../model/frame-types';
import { FrameSender, mergeEvents } from './frame-sender';
import type { FrameSink } from './frame-sender';

function event(seq: number, phase: SyscallEvent['phase'] = 'return'): SyscallEvent {
  return { seq, time: 0, pid: 1, role: 'parent', step: 0, syscall: 'write', phase, fd: 4, bytes: 12, result: 12, errno: null, data: null, text: `#${seq}` };
}

function frame(seq: number, events: SyscallEvent[]): Frame {
  return { seq, rateHz: 60, takenAt: 0, durationMs: 0, processes: [], objects: [], problems: [], events, lesson: null };
}

class SlowSink implements FrameSink {
  bufferedAmount = 0;
  sent: Frame[] = [];
  send(data: string): void {
    this.sent.push((JSON.parse(data) as { frame: Frame }).frame);
  }
}

function offer(sender: FrameSender, f: Frame): void {
  sender.offer(f, JSON.stringify({ type: 'frame', frame: f }));
}

afterEach(() => vi.useRealTimers());

describe('FrameSender', () => {
  it('sends every frame to a client that keeps up', () => {
    const sink = new SlowSink();
    const sender = new FrameSender(sink, 1000);
    for (let seq = 1; seq <= 3; seq += 1) offer(sender, frame(seq, [event(seq)]));
    expect(sink.sent.map((f) => f.seq)).toEqual([1, 2, 3]);
    expect(sender.dropped).toBe(0);
  });

  it('drops intermediate frames for a slow client but carries all their events', () => {
    vi.useFakeTimers();
    const sink = new SlowSink();
    const sender = new FrameSender(sink, 1000);
    sink.bufferedAmount = 5000;
    offer(sender, frame(1, [event(1, 'call'), event(1, 'blocked')]));
    offer(sender, frame(2, [event(2)]));
    offer(sender, frame(3, [event(1, 'blocked'), event(3)]));
    vi.advanceTimersByTime(100);
    expect(sink.sent).toEqual([]);
    sink.bufferedAmount = 0;
    vi.advanceTimersByTime(25);
    expect(sink.sent.map((f) => f.seq)).toEqual([3]);
    expect(sink.sent[0]?.events.map((e) => `${e.seq}:${e.phase}`)).toEqual(['1:call', '1:blocked', '2:return', '3:return']);
    expect(sender.dropped).toBe(2);
    sender.close();
  });

  it('cuts off a client that never drains instead of holding events without bound', () => {
    vi.useFakeTimers();
    const sink = new SlowSink();
    let cut = 0;
    const sender = new FrameSender(sink, 10, () => (cut += 1), 100);
    sink.bufferedAmount = 1000;
    for (let seq = 1; seq <= 200; seq += 1) offer(sender, frame(seq, [event(seq)]));
    expect(cut).toBe(1);
    sink.bufferedAmount = 0;
    vi.advanceTimersByTime(1000);
    expect(sink.sent).toEqual([]);
  });

  it('stops retrying once closed', () => {
    vi.useFakeTimers();
    const sink = new SlowSink();
    const sender = new FrameSender(sink, 10);
    sink.bufferedAmount = 100;
    offer(sender, frame(1, []));
    sender.close();
    sink.bufferedAmount = 0;
    vi.advanceTimersByTime(1000);
    expect(sink.sent).toEqual([]);
  });
});

describe('mergeEvents', () => {
  it('keeps seq order and one copy of each (seq, phase)', () => {
    expect(mergeEvents([event(2), event(1, 'call')], [event(1, 'call'), event(3)]).map((e) => e.seq)).toEqual([1, 2, 3]);
  });
});
