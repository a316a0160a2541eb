import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { PipeObject } from '../../native-bridge/model/snapshot-types';
import { CHILD, PARENT, PIPE_ID, pipeMoments } from '../fixtures/pipe-lesson-frames';
import { frameFeed } from '../fixtures/frame-feed';
import { useAppStore } from '../store/app-store';
import { Picture } from './picture';

/* frames arrive through the store; the picture draws on the next animation frame */
const { show, advance } = frameFeed();

function frames(): ReturnType<typeof pipeMoments> {
  return pipeMoments();
}

describe('the pipe picture', () => {
  it('waits for the first frame', () => {
    render(<Picture />);
    expect(screen.getByTestId('picture-waiting')).toBeTruthy();
  });

  it('shows a blocked reader with the syscall, the fd, the pipe and the wchan', () => {
    const { childBlocked } = frames();
    render(<Picture />);
    show(childBlocked);
    const child = screen.getByTestId(`process-${CHILD}`);
    expect(child.getAttribute('data-blocked')).toBe('true');
    expect(child.textContent).toContain(`PID ${CHILD}`);
    expect(child.textContent).toContain('child');
    expect(screen.getByTestId(`blocked-${CHILD}`).textContent).toBe('blocked in read(fd 3) on pipe 4614');
    expect(screen.getByTestId(`wchan-${CHILD}`).textContent).toBe('wchan anon_pipe_read');
    expect(screen.getByTestId(`process-${PARENT}`).getAttribute('data-blocked')).toBe('false');
    expect(screen.queryByTestId(`blocked-${PARENT}`)).toBeNull();
  });

  it('draws a sleep that is not on a lesson object quietly, still with the kernel\'s words', () => {
    const { childBlocked } = frames();
    const idle = { op: 'poll' as const, syscall: 'epoll_wait', syscallNr: 232, fd: null, wchan: 'do_epoll_wait', object: null };
    const frame = { ...childBlocked, processes: childBlocked.processes.map((p) => (p.pid === PARENT ? { ...p, blocked: idle } : p)) };
    render(<Picture />);
    show(frame);
    expect(screen.getByTestId(`process-${PARENT}`).getAttribute('data-blocked')).toBe('true');
    // the parent has no step in flight: its sleep is the actor's loop waiting for the next step
    expect(screen.getByTestId(`blocked-${PARENT}`).textContent).toBe('between steps: idle in poll()');
    expect(screen.getByTestId(`wchan-${PARENT}`).textContent).toBe('wchan do_epoll_wait');
    expect(screen.getByTestId(`process-${CHILD}`).getAttribute('data-waits-on')).toBe(PIPE_ID);
  });

  it('draws the pipe as 16 page slots with the fill and the queued bytes from the frame', () => {
    const { childBlocked, dataQueued } = frames();
    render(<Picture />);
    show(childBlocked);
    expect(screen.getByTestId(`fill-${PIPE_ID}`).textContent).toBe('0 / 65536 bytes');
    expect(screen.getByTestId(`peek-${PIPE_ID}`).textContent).toBe('(empty)');
    const slots = screen.getByTestId(`object-${PIPE_ID}`).querySelectorAll('[data-testid^="slot-"]');
    expect(slots).toHaveLength(16);

    show(dataQueued);
    expect(screen.getByTestId(`fill-${PIPE_ID}`).textContent).toBe('12 / 65536 bytes');
    expect(screen.getByTestId(`peek-${PIPE_ID}`).textContent).toBe('hello world\\n');
    // The written bytes fly to the ring first (FLIGHT_MS); then the ring eases to the kernel's fill.
    for (let i = 0; i < 100; i++) advance(16);
    expect(Number(screen.getByTestId(`slot-${PIPE_ID}-0`).getAttribute('data-fill'))).toBeGreaterThan(0);
    expect(Number(screen.getByTestId(`slot-${PIPE_ID}-1`).getAttribute('data-fill'))).toBe(0);
  });

  it('labels each descriptor edge with its fd and access, and drops the write end once closed', () => {
    const { forked, afterClose } = frames();
    render(<Picture />);
    show(forked);
    for (const pid of [PARENT, CHILD]) {
      expect(screen.getByTestId(`edge-${pid}-3`).textContent).toBe('fd 3 r');
      expect(screen.getByTestId(`edge-${pid}-4`).textContent).toBe('fd 4 w');
      expect(screen.getByTestId(`edge-${pid}-4`).getAttribute('data-object')).toBe(PIPE_ID);
    }
    show(afterClose);
    expect(screen.queryByTestId(`edge-${PARENT}-4`)).toBeNull();
    expect(screen.queryByTestId(`edge-${PARENT}-3`)).toBeNull();
    expect(screen.getByTestId(`edge-${CHILD}-3`).getAttribute('data-access')).toBe('r');
    expect(screen.getByTestId(`fill-${PIPE_ID}`).textContent).toBe('0 / 65536 bytes');
    expect(screen.getByTestId(`object-${PIPE_ID}`).textContent).toContain('1 reader · 0 writers');
  });

  it('says when a lesson object is no longer in the kernel', () => {
    const { afterClose } = frames();
    render(<Picture />);
    show({ ...afterClose, seq: 99, objects: [], processes: [] });
    expect(screen.getByTestId(`gone-${PIPE_ID}`).textContent).toContain('pipe 4614 is gone');
    expect(screen.getByTestId(`process-${CHILD}`).getAttribute('data-state')).toBe('gone');
  });

  it('without a lesson draws every process holding an object, up to a readable limit', () => {
    const { forked } = frames();
    const many: Frame = {
      ...forked,
      seq: 200,
      lesson: null,
      events: [],
      processes: Array.from({ length: 20 }, (_, i) => ({ ...forked.processes[0]!, pid: 7000 + i, fds: [{ fd: 3, object: PIPE_ID, access: 'r' as const, target: 'pipe:[4614]' }] })),
      objects: [{ ...(forked.objects[0] as PipeObject), holders: Array.from({ length: 20 }, (_, i) => ({ pid: 7000 + i, fd: 3, access: 'r' as const })) }],
    };
    render(<Picture />);
    show(many);
    expect(screen.getAllByTestId(/^process-/)).toHaveLength(12);
    expect(screen.getByTestId('process-7000')).toBeTruthy();
    expect(screen.getByTestId('picture-hidden').textContent).toContain('+8 processes');
  });

  it('shows the read that returned 0 as EOF', () => {
    const all = frames();
    render(<Picture />);
    show(all.childBlocked, all.dataQueued, all.afterClose);
    expect(screen.getByTestId(`last-call-${CHILD}`).textContent).toBe('read(3, 64) = 0  EOF');
    expect(screen.getByTestId(`last-call-${PARENT}`).textContent).toBe('close(4) = 0');
  });

  it('redraws at most once per animation frame, with the newest frame', () => {
    const { piped, forked, childBlocked } = frames();
    render(<Picture />);
    show(piped);
    expect(screen.getByTestId('picture').getAttribute('data-frame-seq')).toBe(String(piped.seq));
    act(() => {
      useAppStore.getState().ingestFrame(forked);
      useAppStore.getState().ingestFrame(childBlocked);
    });
    expect(screen.getByTestId('picture').getAttribute('data-frame-seq')).toBe(String(piped.seq));
    advance(16);
    expect(screen.getByTestId('picture').getAttribute('data-frame-seq')).toBe(String(childBlocked.seq));
  });

  it('keeps every node where it was when frames change', () => {
    const { forked, childBlocked } = frames();
    render(<Picture />);
    show(forked);
    const before = [PARENT, CHILD].map((pid) => screen.getByTestId(`process-${pid}`).getAttribute('transform'));
    const pipeBefore = screen.getByTestId(`object-${PIPE_ID}`).getAttribute('transform');
    show(childBlocked);
    expect([PARENT, CHILD].map((pid) => screen.getByTestId(`process-${pid}`).getAttribute('transform'))).toEqual(before);
    expect(screen.getByTestId(`object-${PIPE_ID}`).getAttribute('transform')).toBe(pipeBefore);
  });

  it('flies the written bytes from the writer to the pipe, driven by the write event', () => {
    const { childBlocked, dataQueued } = frames();
    render(<Picture />);
    show(childBlocked);
    show(dataQueued);
    const write = dataQueued.events[0]!;
    advance(300);
    const flight = screen.getByTestId(`flight-${write.seq}`);
    expect(flight.textContent).toBe('hello world\\n');
    for (let i = 0; i < 20; i++) advance(100);
    expect(screen.queryByTestId(`flight-${write.seq}`)).toBeNull();
  });

  it('shows stdio and control descriptors only when asked', () => {
    const { childBlocked } = frames();
    render(<Picture />);
    show(childBlocked);
    expect(screen.queryByTestId(`fd-${PARENT}-5`)).toBeNull();
    act(() => useAppStore.getState().setShowAll(true));
    expect(screen.getByTestId(`fd-${PARENT}-5`).textContent).toContain('socket:[9001]');
    expect(screen.getByTestId(`fd-${CHILD}-1`).textContent).toContain('fd 1 w');
  });

  it('lists at most 8 other descriptors under a node and counts the rest', () => {
    const { childBlocked } = frames();
    const extra = Array.from({ length: 8 }, (_, i) => ({ fd: 20 + i, object: 'file:/dev/null', access: 'r' as const, target: '/dev/null' }));
    const frame = { ...childBlocked, processes: childBlocked.processes.map((p) => (p.pid === PARENT ? { ...p, fds: [...p.fds, ...extra] } : p)) };
    render(<Picture />);
    act(() => useAppStore.getState().setShowAll(true));
    show(frame);
    const node = screen.getByTestId(`process-${PARENT}`);
    expect(node.querySelectorAll('[data-testid^="fd-"]')).toHaveLength(8);
    expect(node.textContent).toContain('+4 more');
  });

  it('speaks the chosen language', () => {
    const { childBlocked } = frames();
    render(<Picture />);
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    show(childBlocked);
    expect(screen.getByTestId(`blocked-${CHILD}`).textContent).toBe('阻塞于 read(fd 3)，等待 pipe 4614');
    expect(screen.getByTestId(`fill-${PIPE_ID}`).textContent).toBe('0 / 65536 字节');
  });
});
