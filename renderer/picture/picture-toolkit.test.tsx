import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame, SyscallEvent } from '../../native-bridge/model/frame-types';
import type { PipeObject } from '../../native-bridge/model/snapshot-types';
import { CHILD, PARENT, PIPE_ID, pipeMoments } from '../fixtures/pipe-lesson-frames';
import { frameFeed } from '../fixtures/frame-feed';
import { useAppStore } from '../store/app-store';
import { FLIGHT_MS } from './motion/byte-flight';
import { Picture } from './picture';

/* frames arrive through the store; the picture draws on the next animation frame */
const { show, advance: advanceClock } = frameFeed();

/** ms of animation, one 16 ms frame at a time (each frame may start or land a flight) */
function advance(ms: number) {
  for (let t = 0; t < ms; t += 16) advanceClock(16);
}

const translate = (el: Element | null): [number, number] => {
  const m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(el?.getAttribute('transform') ?? '');
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
};

const slot0 = () => Number(screen.getByTestId(`slot-${PIPE_ID}-0`).getAttribute('data-fill'));

describe('the picture and the lesson toolkit', () => {
  it('labels a role the engine lists as idle "paused by ipcscope between steps", with the kernel\'s call and wchan', () => {
    const { childBlocked } = pipeMoments();
    const idle = { op: 'poll' as const, syscall: 'epoll_wait', syscallNr: 232, fd: null, wchan: 'do_epoll_wait', object: null };
    render(<Picture />);
    show({
      ...childBlocked,
      processes: childBlocked.processes.map((p) => (p.pid === PARENT ? { ...p, blocked: idle } : p)),
      lesson: { ...childBlocked.lesson!, idleRoles: ['parent'] },
    });
    expect(screen.getByTestId(`blocked-${PARENT}`).textContent).toBe('paused by ipcscope between steps');
    expect(screen.getByTestId(`wchan-${PARENT}`).textContent).toBe('poll() · wchan do_epoll_wait');
    // The child waits on the lesson's pipe: that stays the loud badge.
    expect(screen.getByTestId(`blocked-${CHILD}`).textContent).toBe('blocked in read(fd 3) on pipe 4614');
  });

  it('keeps a long blocked badge off the ring (a FIFO path, Chinese)', () => {
    useAppStore.getState().setLocale('zh-Hans');
    const { childBlocked } = pipeMoments();
    const fifo = 'fifo:/tmp/ipcscope-lesson-a-rather-long-directory-name/requests.fifo';
    const blocked = { op: 'read' as const, syscall: 'read', syscallNr: 0, fd: 3, wchan: 'anon_pipe_read', object: fifo };
    const pipe = childBlocked.objects[0] as PipeObject;
    render(<Picture />);
    show({
      ...childBlocked,
      objects: [{ ...pipe, id: fifo, kind: 'fifo', path: '/tmp/ipcscope-lesson-a-rather-long-directory-name/requests.fifo' }],
      processes: childBlocked.processes.map((p) => (p.pid === CHILD ? { ...p, blocked } : p)),
      lesson: { ...childBlocked.lesson!, objects: [fifo] },
    });
    const node = screen.getByTestId(`process-${CHILD}`);
    const badgeText = screen.getByTestId(`blocked-${CHILD}`);
    const badge = badgeText.parentElement!;
    const rect = badge.querySelector('rect')!;
    const [nodeX] = translate(node);
    const [shift] = translate(badge);
    const badgeLeft = nodeX + shift + Number(rect.getAttribute('x'));
    const ring = screen.getByTestId(`object-${fifo}`);
    const [ringX] = translate(ring);
    const ringRight = ringX + Number(ring.querySelector('circle')!.getAttribute('r'));
    expect(badgeLeft).toBeGreaterThan(ringRight);
    // The sentence is narrowed to the badge rather than spilling out of it.
    expect(Number(badgeText.getAttribute('textLength'))).toBeLessThan(Number(rect.getAttribute('width')));
  });

  it('says a freed pipe is gone without writing "no IPC objects" over it', () => {
    const { afterClose } = pipeMoments();
    render(<Picture />);
    show({ ...afterClose, objects: [], processes: afterClose.processes.map((p) => ({ ...p, fds: p.fds.filter((fd) => fd.object !== PIPE_ID) })) });
    expect(screen.getByTestId(`gone-${PIPE_ID}`).textContent).toContain('pipe 4614 is gone');
    expect(screen.queryByText('No IPC objects in this frame.')).toBeNull();
  });

  it('shows bytes entering the ring and then leaving it, even when the sleeping reader took them before the sample', () => {
    const { dataQueued, afterClose } = pipeMoments();
    const write = dataQueued.events[0]!;
    const read: SyscallEvent = afterClose.events[0]!;
    // The reader was asleep in read(): the kernel hands it the bytes at once, the sample sees an empty pipe.
    const pipe = { ...(dataQueued.objects[0] as PipeObject), queued: 0, peek: null };
    const frame: Frame = { ...dataQueued, objects: [pipe], events: [write, read] };
    render(<Picture />);
    show(pipeMoments().childBlocked);
    show(frame);
    expect(slot0()).toBe(0); // the write is still flying to the pipe
    expect(screen.getByTestId(`flight-${write.seq}`)).toBeTruthy();
    expect(screen.queryByTestId(`flight-${read.seq}`)).toBeNull();
    advance(FLIGHT_MS + 120);
    expect(slot0()).toBeGreaterThan(0); // landed: the 12 bytes sit in the ring
    expect(screen.queryByTestId(`flight-${read.seq}`)).toBeNull();
    expect(screen.getByTestId(`fill-${PIPE_ID}`).textContent).toBe('0 / 65536 bytes'); // the number stays the kernel's
    advance(FLIGHT_MS * 0.5);
    expect(screen.getByTestId(`flight-${read.seq}`)).toBeTruthy(); // then they leave for the reader
    advance(FLIGHT_MS);
    expect(slot0()).toBe(0);
  });
});
