import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../native-bridge/model/frame-types';
import type { InetSocketObject } from '../../../native-bridge/model/snapshot-types';
import captured from '../../fixtures/real-frames-tcp.json';
import { frameFeed } from '../../fixtures/frame-feed';
import { useAppStore } from '../../store/app-store';
import { layoutPicture } from '../layout';
import { Picture } from '../picture';

/*
 * Frames the engine sent while the echo-logger lesson ran
 * (native-bridge/lessons/testing/record-tcp-frames.ts): `pending` after both
 * clients connected and nobody accepted, `echoed` after child1 sent the echo
 * (client1 has not read it), `queued` after client2 sent before child2 reads,
 * `clientGone` after client1 closed and exited.
 */
const frames = captured as unknown as Record<'pending' | 'echoed' | 'queued' | 'clientGone', Frame>;
const text = (id: string) => screen.getByTestId(id).textContent ?? '';
const tcp = (frame: Frame): InetSocketObject[] => frame.objects.filter((o): o is InetSocketObject => o.kind === 'tcp');
const heldBy = (frame: Frame, role: string): InetSocketObject => {
  const pid = frame.lesson!.roles[role]!;
  const found = tcp(frame).find((o) => o.state !== 'LISTEN' && o.holders.some((h) => h.pid === pid));
  if (!found) throw new Error(`no socket of ${role}`);
  return found;
};

const { show } = frameFeed();

describe('the TCP connection picture, on frames of a real run', () => {
  it('a client still in the listener\'s queue is drawn as one end, the other side saying where its peer waits', () => {
    const frame = frames.pending;
    render(<Picture />);
    show(frame);
    const c1 = heldBy(frame, 'client1');
    expect(c1.peer).toBe(tcp(frame).find((o) => o.state === 'LISTEN')!.id);
    expect(screen.getByTestId(`object-${c1.id}`).getAttribute('data-kind')).toBe('tcp-connection');
    expect(text(`tcp-title-${c1.id}`)).toBe('TCP socket');
    expect(text(`tcp-local-${c1.id}`)).toBe(c1.local);
    expect(text(`tcp-holder-${c1.id}`)).toBe(`ESTAB · client1 fd ${c1.holders[0]!.fd}`);
    expect(screen.getAllByTestId('tcp-end-missing')[0]!.getAttribute('data-text')).toBe('waits in the listener\'s queue until accept()');
    expect(screen.getAllByTestId('tcp-end-missing')[0]!.textContent).not.toContain('…');
  });

  it('an accepted connection is drawn once with both ends: addresses, states, holders and the echo queued at the client', () => {
    const frame = frames.echoed;
    render(<Picture />);
    show(frame);
    const [c1, a1] = [heldBy(frame, 'client1'), heldBy(frame, 'child1')];
    expect([c1.peer, a1.peer]).toEqual([a1.id, c1.id]);
    // one glyph for the pair, from the end the lesson made first
    expect(screen.getByTestId(`object-${c1.id}`).getAttribute('data-peer')).toBe(a1.id);
    expect(screen.queryByTestId(`object-${a1.id}`)).toBeNull();
    expect(screen.queryByTestId(`gone-${a1.id}`)).toBeNull();
    expect(text(`tcp-title-${c1.id}`)).toBe('TCP connection on loopback');
    expect(text(`tcp-local-${a1.id}`)).toBe(a1.local);
    expect(a1.local).toBe(c1.remote);
    expect(text(`tcp-holder-${a1.id}`)).toBe(`ESTAB · child1 fd ${a1.holders[0]!.fd}`);
    expect(screen.getByTestId(`tcp-line-${a1.id}-${frame.lesson!.roles.child1}`)).toBeTruthy();
    // the echo waits in client1's receive queue, as ss -tn's Recv-Q says
    expect(c1.queued).toBe(13);
    expect(screen.getByTestId(`tcp-end-${c1.id}`).getAttribute('data-recvq')).toBe('13');
    expect(text(`tcp-recvq-${c1.id}`)).toBe('Recv-Q 13 B (not yet read)');
    expect(text(`tcp-end-${c1.id}`)).toContain('hello from 1\\n');
    expect(text(`tcp-recvq-${a1.id}`)).toBe('Recv-Q empty');
  });

  it('a line sent before the child reads waits at the child\'s end; each end sits on its holder\'s side', () => {
    const frame = frames.queued;
    render(<Picture />);
    show(frame);
    const [c2, a2] = [heldBy(frame, 'client2'), heldBy(frame, 'child2')];
    expect(text(`tcp-recvq-${a2.id}`)).toBe('Recv-Q 13 B (not yet read)');
    expect(text(`tcp-end-${a2.id}`)).toContain('hello from 2\\n');
    const placed = layoutPicture(frame, false).processes;
    const sideOf = (role: string) => placed.find((p) => p.pid === frame.lesson!.roles[role])!.side;
    const boxX = (id: string) => Number(screen.getByTestId(`tcp-end-${id}`).querySelector('rect')!.getAttribute('x'));
    expect(boxX(c2.id) < 0).toBe(sideOf('client2') === 'left');
    expect(boxX(a2.id) < 0).toBe(sideOf('child2') === 'left');
  });

  it('after the client left, the child\'s end is in CLOSE-WAIT with the FIN counted in Recv-Q; the pair takes one place', () => {
    const frame = frames.clientGone;
    render(<Picture />);
    show(frame);
    const a1 = heldBy(frame, 'child1');
    expect(a1.state).toBe('CLOSE-WAIT');
    expect(text(`tcp-recvq-${a1.id}`)).toBe('Recv-Q 1: the FIN, no data');
    expect(text(`tcp-end-${a1.id}`)).toContain('FIN');
    // the listener, the pipe, child1's end alone, client2's connection: four places, not six
    expect(layoutPicture(frame, false).objects).toHaveLength(4);
  });

  it('in Simplified Chinese', () => {
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    const frame = frames.echoed;
    render(<Picture />);
    show(frame);
    const c1 = heldBy(frame, 'client1');
    expect(text(`tcp-title-${c1.id}`)).toBe('回环上的 TCP 连接');
    expect(text(`tcp-recvq-${c1.id}`)).toBe('Recv-Q 13 字节（尚未读取）');
  });
});
