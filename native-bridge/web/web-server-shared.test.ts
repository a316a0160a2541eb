import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../cli/wait-for';
import { sendCommand, useServedEngine, type EngineClient } from './testing/engine-clients';
import type { ClientsMessage, PeerActionMessage } from './wire-protocol';

/*
 * Two windows on one `ipcscope web` share its one session. Two real WebSocket
 * clients: each is told how many windows are connected and its own number;
 * a lesson one of them starts (real processes, read in /proc) is announced to
 * the other with the number of the window that started it, never echoed to
 * itself; read-only commands are not announced; a window that leaves lowers
 * the count the others see.
 */

const engine = useServedEngine('ipcscope-web-shared-');

const lastClients = (c: EngineClient): ClientsMessage | undefined => c.messages.filter((m): m is ClientsMessage => m.type === 'clients').at(-1);
const peerActions = (c: EngineClient): PeerActionMessage[] => c.messages.filter((m): m is PeerActionMessage => m.type === 'peer-action');
const comm = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

describe('two windows on one engine', () => {
  it('each knows how many share it and its own number; a lesson one starts is announced to the other, by number', async () => {
    const { server } = await engine.start();
    const a = await engine.connect(server);
    await waitFor('window 1 told it is alone', () => lastClients(a)?.count === 1, 10_000);
    const b = await engine.connect(server);
    await waitFor('both told there are two', () => lastClients(a)?.count === 2 && lastClients(b)?.count === 2, 10_000);
    const one = lastClients(a)!.you;
    const two = lastClients(b)!.you;
    expect(one).not.toBe(two);

    // read-only: not announced
    expect(await sendCommand(b, { type: 'lessons.list' })).toMatchObject({ ok: true });
    const start = await sendCommand(a, { type: 'lesson.start', lesson: 'pipe-parent-child' });
    expect(start).toMatchObject({ ok: true });
    // the lesson's processes are real: the kernel lists them
    const roles = (start.ok ? (start.data as { roles: Record<string, number> }).roles : {}) ?? {};
    const parent = roles.parent!;
    expect(parent).toBeGreaterThan(0);
    expect(comm(parent)).not.toBe('');

    await waitFor('window 2 told window 1 started it', () => peerActions(b).length > 0, 10_000);
    expect(peerActions(b)).toEqual([{ type: 'peer-action', client: one, action: { command: 'lesson.start', lesson: 'pipe-parent-child' } }]);
    // a bad command changes nothing: not announced; a step from window 2 is announced to window 1 only
    expect(await sendCommand(b, { type: 'lesson.start', lesson: 'no-such-lesson' })).toMatchObject({ ok: false });
    expect(await sendCommand(b, { type: 'step' })).toMatchObject({ ok: true });
    await waitFor('window 1 told window 2 stepped', () => peerActions(a).length > 0, 10_000);
    expect(peerActions(a)).toEqual([{ type: 'peer-action', client: two, action: { command: 'step' } }]);
    expect(peerActions(b)).toHaveLength(1);

    b.ws.close();
    await waitFor('window 1 told it is alone again', () => lastClients(a)?.count === 1, 10_000);
    expect(lastClients(a)!.you).toBe(one);
  });
});
