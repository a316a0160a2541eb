import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../native-bridge/model/frame-types';
import type { IpcObject, Snapshot, UnixSocketObject } from '../../../native-bridge/model/snapshot-types';
import captured from '../../fixtures/real-snapshot-listener.json';
import capturedTcp from '../../fixtures/real-snapshot-tcp-listener.json';
import { pipeMoments } from '../../fixtures/pipe-lesson-frames';
import { frameFeed } from '../../fixtures/frame-feed';
import { useAppStore } from '../../store/app-store';
import { MAX_DRAWN_PLACES, isListener, shortName, waitingClients } from './listener-glyph';
import { Picture } from '../picture';

/*
 * Two snapshots the engine took (`ipcscope snapshot --pid S,C1,C2 --json`)
 * of the unix-stream-server lesson's real processes: `pending` after both
 * clients connected and before the server accepted (listener Recv-Q 2,
 * Send-Q 5 as ss -xl showed in the engine test; each client's socket has
 * the listener as its peer), `accepted` after one accept() and the first
 * client's "hello\n" (Recv-Q 1; the accepted socket is ESTAB with the first
 * client as its peer).
 */
const { pending, accepted } = captured as unknown as { pending: Snapshot; accepted: Snapshot };
const processOf = (s: Snapshot, comm: string) => s.processes.find((p) => p.comm === comm)!.pid;
const listenerOf = (s: Snapshot) => s.objects.find((o): o is UnixSocketObject => o.kind === 'unix' && o.state === 'LISTEN')!;

/** A lesson frame showing the listener and the clients' sockets, as the lesson view lists its objects. */
function lessonFrame(s: Snapshot, seq: number): Frame {
  const { childBlocked } = pipeMoments();
  const listener = listenerOf(s);
  const server = processOf(s, 'server');
  /* the lesson's own sockets: the actors keep their control channels below fd 20 */
  const objects = s.objects.filter((o) => o.id === listener.id || (o.kind === 'unix' && o.holders.some((h) => h.fd >= 20)));
  const roles = { server, client1: processOf(s, 'client1'), client2: processOf(s, 'client2') };
  return { ...s, seq, rateHz: 30, events: [], lesson: { ...childBlocked.lesson!, roles, objects: objects.map((o) => o.id) } };
}

const { show } = frameFeed();

describe('the listening-socket picture', () => {
  it('draws the recorded listener before accept: its path, backlog 5 as five places, two of them filled by the waiting clients', () => {
    const listener = listenerOf(pending);
    expect([listener.pending, listener.backlog]).toEqual([2, 5]);
    render(<Picture />);
    show(lessonFrame(pending, 1));
    const id = listener.id;
    expect(screen.getByTestId(`object-${id}`).getAttribute('data-listener')).toBe('true');
    expect(screen.getByTestId(`listener-title-${id}`).textContent).toBe('listener · unix stream');
    expect(screen.getByTestId(`listener-name-${id}`).getAttribute('data-name')).toBe(listener.path);
    expect(screen.getByTestId(`listener-name-${id}`).textContent).toBe('echo.sock');
    const queue = screen.getByTestId(`listener-queue-${id}`);
    expect([queue.getAttribute('data-pending'), queue.getAttribute('data-backlog')]).toEqual(['2', '5']);
    const filled = Array.from({ length: 5 }, (_, i) => screen.getByTestId(`listener-place-${id}-${i}`).getAttribute('data-filled'));
    expect(filled).toEqual(['true', 'true', 'false', 'false', 'false']);
    expect(screen.getByTestId(`listener-count-${id}`).textContent).toBe('2 waiting · backlog 5');
    const [c1, c2] = [processOf(pending, 'client1'), processOf(pending, 'client2')];
    /* the names on the process nodes; the pids in the tooltip */
    expect(screen.getByTestId(`listener-waiting-${id}`).textContent).toBe(`client1 (${c1})\nclient2 (${c2})waiting: client1 · client2`);
  });

  it('after accept: one place filled, only the second client waits; the accepted socket is a pair, not in the queue; Chinese too', () => {
    const listener = listenerOf(accepted);
    render(<Picture />);
    show(lessonFrame(accepted, 2));
    const id = listener.id;
    expect(screen.getByTestId(`listener-queue-${id}`).getAttribute('data-pending')).toBe('1');
    expect(screen.getByTestId(`listener-place-${id}-0`).getAttribute('data-filled')).toBe('true');
    expect(screen.getByTestId(`listener-place-${id}-1`).getAttribute('data-filled')).toBe('false');
    const c2 = processOf(accepted, 'client2');
    expect(screen.getByTestId(`listener-waiting-${id}`).textContent).toBe(`client2 (${c2})waiting: client2`);
    /* the accepted socket: ESTAB, peer = the first client's socket */
    const server = processOf(accepted, 'server');
    const acceptedSocket = accepted.objects.find((o): o is UnixSocketObject => o.kind === 'unix' && o.state === 'ESTAB' && o.path === listener.path)!;
    expect(acceptedSocket.holders[0]!.pid).toBe(server);
    expect(screen.queryByTestId(`listener-queue-${acceptedSocket.id}`)).toBeNull();
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(screen.getByTestId(`listener-count-${id}`).textContent).toBe('1 个等待 · backlog 5');
    expect(screen.getByTestId(`listener-title-${id}`).textContent).toBe('监听套接字 · unix stream');
  });

  it('a recorded TCP listener on 127.0.0.1 (backlog 3, two connections not accepted): address:port as its name, two of three places filled', () => {
    /* one process (`node`) made the listener and connected twice to it; ipcscope snapshot --pid of it, TCP objects kept */
    const { pending: tcp, port } = capturedTcp as unknown as { pending: Snapshot; port: number };
    const listener = tcp.objects.find((o) => o.kind === 'tcp' && o.state === 'LISTEN')!;
    const { childBlocked } = pipeMoments();
    const pid = tcp.processes[0]!.pid;
    render(<Picture />);
    show({ ...tcp, seq: 4, rateHz: 30, events: [], lesson: { ...childBlocked.lesson!, roles: { node: pid }, objects: tcp.objects.map((o) => o.id) } });
    const id = listener.id;
    expect(screen.getByTestId(`listener-title-${id}`).textContent).toBe('listener · tcp');
    expect(screen.getByTestId(`listener-name-${id}`).textContent).toBe(`127.0.0.1:${port}`);
    expect([screen.getByTestId(`listener-queue-${id}`).getAttribute('data-pending'), screen.getByTestId(`listener-queue-${id}`).getAttribute('data-backlog')]).toEqual(['2', '3']);
    expect(Array.from({ length: 3 }, (_, i) => screen.getByTestId(`listener-place-${id}-${i}`).getAttribute('data-filled'))).toEqual(['true', 'true', 'false']);
    expect(screen.getByTestId(`listener-waiting-${id}`).textContent).toContain('waiting: node');
  });

  it('helpers: only LISTEN sockets with a queue are listeners; names; a big backlog is drawn as a few places', () => {
    const listener = listenerOf(pending);
    expect(isListener(listener)).toBe(true);
    const client = pending.objects.find((o) => o.kind === 'unix' && o.peer === listener.id) as IpcObject;
    expect(isListener(client)).toBe(false);
    expect(shortName('/tmp/x/echo.sock')).toBe('echo.sock');
    expect(shortName('@abstract')).toBe('@abstract');
    expect(waitingClients(listener as Parameters<typeof waitingClients>[0], null)).toEqual([]);
    render(<Picture />);
    const big = { ...listener, backlog: 4096 };
    const frame = lessonFrame(pending, 3);
    show({ ...frame, objects: frame.objects.map((o) => (o.id === listener.id ? big : o)) });
    expect(screen.getByTestId(`listener-place-${listener.id}-${MAX_DRAWN_PLACES - 1}`)).toBeTruthy();
    expect(screen.queryByTestId(`listener-place-${listener.id}-${MAX_DRAWN_PLACES}`)).toBeNull();
    expect(screen.getByTestId(`listener-queue-${listener.id}`).textContent).toBe(`+${4096 - MAX_DRAWN_PLACES} more places`);
  });
});
