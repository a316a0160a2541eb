import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../native-bridge/model/frame-types';
import type { UnixSocketObject } from '../../../native-bridge/model/snapshot-types';
import captured from '../../fixtures/real-frames-sockpair.json';
import capturedServer from '../../fixtures/real-frames-unix-server.json';
import { frameFeed } from '../../fixtures/frame-feed';
import { useAppStore } from '../../store/app-store';
import { Picture } from '../picture';

/*
 * Frames the engine sent while the stream-vs-datagram lesson ran
 * (native-bridge/lessons/testing/record-sockpair-frames.ts): `queued` after
 * "one", "two", "three" were sent on each pair, `streamRead` after the child's
 * 256-byte recv on s[1], `dgramRead` after its first recv on d[1], `blocked`
 * with the child asleep in recv on the empty stream.
 */
const frames = captured as unknown as Record<'closed' | 'queued' | 'streamRead' | 'dgramRead' | 'blocked', Frame>;
const unix = (frame: Frame, type: 'stream' | 'dgram', made: boolean): UnixSocketObject => {
  const ends = frame.objects.filter((o): o is UnixSocketObject => o.kind === 'unix' && o.type === type);
  const found = ends.find((o) => frame.lesson!.objects.includes(o.id) === made);
  if (!found) throw new Error(`no ${type} end`);
  return found;
};
const text = (id: string) => screen.getByTestId(id).textContent ?? '';

const { show } = frameFeed();

describe('the socket pair picture, on frames of a real run', () => {
  it('draws each pair once, both ends joined, the parent\'s end on its side and the child\'s on the other with its fd', () => {
    const frame = frames.closed;
    render(<Picture />);
    show(frame);
    const [s0, s1] = [unix(frame, 'stream', true), unix(frame, 'stream', false)];
    expect(s1.peer).toBe(s0.id);
    expect(screen.getByTestId(`object-${s0.id}`).getAttribute('data-kind')).toBe('unix-pair');
    expect(screen.queryByTestId(`object-${s1.id}`)).toBeNull();
    expect(text(`pair-title-${s0.id}`)).toBe('stream pair (SOCK_STREAM)');
    expect(text(`pair-title-${unix(frame, 'dgram', true).id}`)).toBe('datagram pair (SOCK_DGRAM)');
    expect(screen.getByTestId(`pair-end-${s0.id}`).getAttribute('data-side')).toBe('left');
    expect(screen.getByTestId(`pair-end-${s1.id}`).getAttribute('data-side')).toBe('right');
    const child = frame.lesson!.roles.child!;
    expect(text(`pair-holder-${s1.id}`)).toBe(`ESTAB · child fd ${s1.holders[0]!.fd}`);
    expect(screen.getByTestId(`pair-line-${s1.id}-${child}`)).toBeTruthy();
    expect(screen.getByTestId(`pair-queue-${s1.id}`).getAttribute('data-queued')).toBe('0');
  });

  it('the stream end holds the three sends as one run of 11 bytes; the datagram end shows the next datagram as a parcel', () => {
    const frame = frames.queued;
    render(<Picture />);
    show(frame);
    const [s1, d1] = [unix(frame, 'stream', false), unix(frame, 'dgram', false)];
    expect(s1.queued).toBe(11);
    expect(screen.getByTestId(`pair-queue-${s1.id}`).textContent).toContain('onetwothree');
    expect(screen.getByTestId(`pair-queue-${s1.id}`).textContent).toContain('11 B queued, no boundaries');
    expect(screen.queryByTestId(`pair-parcel-${s1.id}`)).toBeNull();
    /* unix_inq_len: a datagram socket reports its next datagram (3 bytes), not the 11 queued */
    expect(d1.queued).toBe(3);
    expect(screen.queryByTestId(`pair-bytes-${d1.id}`)).toBeNull();
    expect(screen.getByTestId(`pair-parcel-${d1.id}`)).toBeTruthy();
    expect(text(`pair-queue-${d1.id}`)).toContain('one');
    expect(text(`pair-queue-${d1.id}`)).toContain('next datagram: 3 B');
  });

  it('after the reads: the stream end is empty at once, the datagram end moves on to "two"', () => {
    render(<Picture />);
    show(frames.streamRead);
    const s1 = unix(frames.streamRead, 'stream', false);
    expect(screen.getByTestId(`pair-queue-${s1.id}`).getAttribute('data-queued')).toBe('0');
    expect(text(`pair-queue-${unix(frames.streamRead, 'dgram', false).id}`)).toContain('one');
    show(frames.dgramRead);
    expect(text(`pair-queue-${unix(frames.dgramRead, 'dgram', false).id}`)).toMatch(/^two/);
  });

  it('a child asleep in recv on the other end of a shown pair does not draw that pair a second time', () => {
    const frame = frames.blocked;
    const s1 = unix(frame, 'stream', false);
    const child = frame.processes.find((p) => p.pid === frame.lesson!.roles.child)!;
    expect(child.blocked).toMatchObject({ syscall: 'recvfrom', wchan: 'unix_stream_read_generic', object: s1.id });
    render(<Picture />);
    show(frame);
    expect(screen.getAllByTestId(`pair-end-${s1.id}`)).toHaveLength(1);
    expect(screen.queryByTestId(`object-${s1.id}`)).toBeNull();
  });

  it('in Chinese, the captions are translated', () => {
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    render(<Picture />);
    show(frames.queued);
    expect(text(`pair-title-${unix(frames.queued, 'stream', true).id}`)).toBe('串流通訊端對（SOCK_STREAM）');
    expect(text(`pair-queue-${unix(frames.queued, 'dgram', false).id}`)).toContain('下一個資料報：3 位元組');
  });
});

/*
 * Frames of a real unix-stream-server run (native-bridge/lessons/testing/
 * record-unix-server-frames.ts): `pending` once both clients connect()ed and
 * nobody accepted (the listener's Recv-Q 2), `accepted` after accept4() took
 * the first. A waiting client's socket is ESTAB and the probe names the
 * listener as its peer (found in the listener's queue): there is no socket on
 * the other side yet, so it is no pair.
 */
const server = capturedServer as unknown as Record<'pending' | 'accepted', Frame>;
const sockets = (frame: Frame) => frame.objects.filter((o): o is UnixSocketObject => o.kind === 'unix');
const listenerIn = (frame: Frame) => sockets(frame).find((o) => o.state === 'LISTEN')!;
const socketOf = (frame: Frame, role: string) => sockets(frame).find((o) => o.state !== 'LISTEN' && o.holders.some((h) => h.pid === frame.lesson!.roles[role]))!;

describe('a client connected but not yet accepted, on frames of a real run', () => {
  it('is drawn waiting in the listener\'s queue, never as a pair with the listener', () => {
    const frame = server.pending;
    const listener = listenerIn(frame);
    expect([listener.pending, listener.backlog]).toEqual([2, 5]);
    render(<Picture />);
    show(frame);
    for (const role of ['client1', 'client2']) {
      const client = socketOf(frame, role);
      /* what the probe reports for it: connected, its peer the listener it waits in */
      expect([client.state, client.peer]).toEqual(['ESTAB', listener.id]);
      const glyph = screen.getByTestId(`object-${client.id}`);
      expect(glyph.getAttribute('data-kind')).toBe('unix-queued');
      expect(glyph.getAttribute('data-queued-in')).toBe(listener.id);
      expect(text(`pair-title-${client.id}`)).toBe('stream socket: connected, not accepted yet');
      expect(screen.getByTestId(`pair-missing-${client.id}`).getAttribute('data-text')).toBe("none yet: waits in echo.sock's queue until accept()");
    }
    /* the listener is drawn once, by its own glyph with its queue, and is nobody's end of a pair */
    expect(screen.queryByTestId(`pair-end-${listener.id}`)).toBeNull();
    expect(screen.getByTestId(`object-${listener.id}`).getAttribute('data-listener')).toBe('true');
    expect(screen.getByTestId(`listener-queue-${listener.id}`).getAttribute('data-pending')).toBe('2');
    expect(screen.queryByTestId(`pair-line-${listener.id}-${frame.lesson!.roles.server}`)).toBeNull();
  });

  it('after accept4(): the first client is a pair with the accepted socket, the second still waits; Chinese too', () => {
    const frame = server.accepted;
    const listener = listenerIn(frame);
    const [first, second] = [socketOf(frame, 'client1'), socketOf(frame, 'client2')];
    const accepted = sockets(frame).find((o) => o.peer === first.id)!;
    expect(accepted.holders.map((h) => h.pid)).toEqual([frame.lesson!.roles.server]);
    render(<Picture />);
    show(frame);
    const firstGlyph = screen.getAllByTestId(/^object-unix:/).find((g) => g.querySelector(`[data-testid="pair-end-${first.id}"]`))!;
    expect(firstGlyph.getAttribute('data-kind')).toBe('unix-pair');
    expect(screen.getByTestId(`pair-end-${accepted.id}`)).toBeTruthy();
    expect(screen.getByTestId(`object-${second.id}`).getAttribute('data-kind')).toBe('unix-queued');
    expect(screen.getByTestId(`listener-queue-${listener.id}`).getAttribute('data-pending')).toBe('1');
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(text(`pair-title-${second.id}`)).toBe('stream 通訊端：已連線，尚未被 accept');
    expect(screen.getByTestId(`pair-missing-${second.id}`).getAttribute('data-text')).toBe('還沒有：在 echo.sock 的佇列裡等待 accept()');
  });
});
