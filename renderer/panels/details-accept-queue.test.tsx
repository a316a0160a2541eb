import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../native-bridge/model/frame-types';
import type { InetSocketObject } from '../../native-bridge/model/snapshot-types';
import captured from '../fixtures/real-objects-tcp-accept-queue.json';
import { freshRenderer } from '../fixtures/test-setup';
import { useAppStore } from '../store/app-store';
import { inspect } from './testing/inspector';

/*
 * The TCP objects the probe reported for a real listener (backlog 8) that
 * never accepts and two clients connected to it (probe/kinds/sockets/testing/
 * capture-accept-queue.ts); the kernel's side of it is checked against ss in
 * inet-accept-queue.test.ts. The server side of each connection waits in the
 * accept queue, held by no process.
 */
const { listener, objects } = captured as unknown as { listener: string; objects: InetSocketObject[] };
const frame: Frame = { seq: 1, rateHz: 30, takenAt: 1, durationMs: 1, processes: [], objects, problems: [], events: [], lesson: null };
const clients = objects.filter((o) => o.id !== listener).map((o) => o.id);
const label = (id: string) => id.replace(':', ' ');

let teardown: () => void;
beforeEach(() => ({ teardown } = freshRenderer()));
afterEach(() => teardown());

describe('the inspector on a listener\'s accept queue', () => {
  it('the listener lists its queued connections, held by no process', () => {
    inspect(frame, listener);
    expect(screen.getByTestId('facts-pending').textContent).toBe('2 · backlog 8');
    const queue = screen.getByTestId('facts-accept-queue');
    expect(queue.textContent).toBe(`${clients.map(label).join(', ')}Connected by the kernel, not yet taken by accept(): the server side of each is held by no process.`);
    fireEvent.click(screen.getByRole('button', { name: label(clients[0]!) }));
    expect(useAppStore.getState().selection).toBe(clients[0]);
  });

  it('a client says its other end waits in the listener\'s accept queue, not in a process, in three languages', () => {
    inspect(frame, clients[0]!);
    const peer = () => screen.getByTestId('facts-peer');
    expect(peer().getAttribute('data-queued')).toBe('true');
    expect(peer().textContent).toBe(`waits in the accept queue of ${label(listener)}: no process holds the other end yet`);
    act(() => useAppStore.getState().setLocale('zh-Hans'));
    expect(peer().textContent).toBe(`在 ${label(listener)} 的 accept 队列中等待：另一端还没有任何进程持有`);
    act(() => useAppStore.getState().setLocale('zh-Hant'));
    expect(peer().textContent).toBe(`在 ${label(listener)} 的 accept 佇列中等待：另一端還沒有任何行程持有`);
    fireEvent.click(screen.getByRole('button', { name: label(listener) }));
    expect(useAppStore.getState().selection).toBe(listener);
  });
});
