import { afterEach, describe, expect, it, vi } from 'vitest';
import { FrameDeltaReceiver } from '../model/frame-delta-receiver';
import type { FrameUpdate } from '../model/frame-delta-receiver';
import type { Frame, SyscallEvent } from '../model/frame-types';
import type { ProcessInfo } from '../model/snapshot-types';
import { FrameMessages } from './frame-messages';
import { FrameSender, mergeEvents } from './frame-sender';
import type { FrameSink } from './frame-sender';

function event(seq: number, phase: SyscallEvent['phase'] = 'return'): SyscallEvent {
  return { seq, time: 0, pid: 1, role: 'parent', step: 0, syscall: 'write', phase, fd: 4, bytes: 12, result: 12, errno: null, data: null, text: `#${seq}` };
}

function process(pid: number, state: ProcessInfo['state'] = 'S'): ProcessInfo {
  return { pid, ppid: 1, comm: 'sleep', state, blocked: null, fds: [], readable: true };
}

/* the same descriptions from frame to frame, as the Sampler hands them out; pid 3 runs at frames 3 to 5 */
const idle = [process(1), process(2), process(3)];
const running = process(3, 'R');

function frame(seq: number, events: SyscallEvent[]): Frame {
  const processes = seq >= 3 && seq <= 5 ? [idle[0]!, idle[1]!, running] : idle;
  return { seq, rateHz: 60, takenAt: seq * 100, durationMs: 0, processes, objects: [], problems: [], events, lesson: null };
}

/** A client: rebuilds every frame it receives, as the renderer's transports do. */
class SlowSink implements FrameSink {
  bufferedAmount = 0;
  sent: Frame[] = [];
  types: FrameUpdate['type'][] = [];
  private readonly receiver = new FrameDeltaReceiver();
  send(data: string): void {
    const update = JSON.parse(data) as FrameUpdate;
    this.types.push(update.type);
    this.sent.push(this.receiver.receive(update));
  }
}

function offer(sender: FrameSender, f: Frame): void {
  sender.offer(new FrameMessages(f));
}

/** The frame as a client would get it in full. */
const asJson = (f: Frame): unknown => JSON.parse(JSON.stringify(f));

afterEach(() => vi.useRealTimers());

describe('FrameSender', () => {
  it('sends every frame to a client that keeps up: the first in full, then what changed', () => {
    const sink = new SlowSink();
    const sender = new FrameSender(sink, 1000);
    for (let seq = 1; seq <= 6; seq += 1) offer(sender, frame(seq, [event(seq)]));
    expect(sink.sent.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sink.types).toEqual(['frame', 'delta', 'delta', 'delta', 'delta', 'delta']);
    for (const [i, got] of sink.sent.entries()) expect(got).toEqual(asJson(frame(i + 1, [event(i + 1)])));
    expect(sender.dropped).toBe(0);
  });

  it('a delta is against the frame last sent, whatever was held and replaced in between', () => {
    vi.useFakeTimers();
    const sink = new SlowSink();
    const sender = new FrameSender(sink, 1000);
    offer(sender, frame(2, []));
    sink.bufferedAmount = 5000;
    /* frames 3 to 5 show pid 3 running; 6 shows it idle again, as in frame 2 */
    for (let seq = 3; seq <= 6; seq += 1) offer(sender, frame(seq, [event(seq)]));
    sink.bufferedAmount = 0;
    vi.advanceTimersByTime(25);
    expect(sink.sent.map((f) => f.seq)).toEqual([2, 6]);
    expect(sink.types).toEqual(['frame', 'delta']);
    expect(sink.sent[1]).toEqual(asJson({ ...frame(6, []), events: [3, 4, 5, 6].map((seq) => event(seq)) }));
    /* held again while pid 3 runs: the next delta is against frame 6 as sent, events and all */
    sink.bufferedAmount = 5000;
    offer(sender, frame(4, [event(7)]));
    offer(sender, frame(5, [event(8)]));
    sink.bufferedAmount = 0;
    vi.advanceTimersByTime(25);
    expect(sink.sent.at(-1)).toEqual(asJson({ ...frame(5, []), events: [event(7), event(8)] }));
    expect(sink.types.at(-1)).toBe('delta');
    sender.close();
  });

  it('clients in step share one encoding; one that joins starts in full, then shares theirs', () => {
    const a = new SlowSink();
    const b = new SlowSink();
    const texts: string[] = [];
    const senders = [new FrameSender(a, 1000), new FrameSender(b, 1000)];
    for (let seq = 1; seq <= 4; seq += 1) {
      const messages = new FrameMessages(frame(seq, []));
      const deltaFrom = messages.deltaFrom.bind(messages);
      messages.deltaFrom = (base) => {
        const text = deltaFrom(base);
        texts.push(text);
        return text;
      };
      for (const sender of senders) sender.offer(messages);
      if (seq === 2) senders.push(new FrameSender(new SlowSink(), 1000));
    }
    expect(a.sent).toEqual(b.sent);
    /* frames 2 to 4 each asked by a and b, frame 4 by the newcomer too: one text per frame */
    expect(texts.length).toBe(3 * 2 + 1);
    expect(new Set(texts).size).toBe(3);
    expect(senders[2]!.fullSent).toBe(1);
  });

  it('sends a full frame again every fullEvery frames, and when asked', () => {
    const sink = new SlowSink();
    const sender = new FrameSender(sink, 1000, () => undefined, 100, 3);
    for (let seq = 1; seq <= 9; seq += 1) offer(sender, frame(seq, []));
    expect(sink.types).toEqual(['frame', 'delta', 'delta', 'delta', 'frame', 'delta', 'delta', 'delta', 'frame']);
    sender.sendFullNext();
    offer(sender, frame(10, []));
    expect(sink.types.at(-1)).toBe('frame');
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
    expect(sink.types).toEqual(['frame']);
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
