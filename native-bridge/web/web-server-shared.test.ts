import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { waitFor } from '../cli/wait-for';
import type { CommandResult } from '../model/commands';
import { createSession, type Session } from '../session/session';
import { startWebServer, type WebServer } from './web-server';
import type { ClientsMessage, PeerActionMessage, ServerMessage } from './wire-protocol';

/*
 * Two windows on one `ipcscope web` share its one session. Two real WebSocket
 * clients: each is told how many windows are connected and its own number;
 * a lesson one of them starts (real processes, read in /proc) is announced to
 * the other with the number of the window that started it, never echoed to
 * itself; read-only commands are not announced; a window that leaves lowers
 * the count the others see.
 */

let dir: string;
let session: Session | null = null;
let server: WebServer | null = null;
const sockets: WebSocket[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ipcscope-web-shared-'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>ipcscope</title>');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await server?.close();
  await session?.dispose();
  server = null;
  session = null;
});

interface Client {
  ws: WebSocket;
  messages: ServerMessage[];
  nextId: number;
}

function connect(web: WebServer): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/ws?token=${web.token}`, { origin: `http://127.0.0.1:${web.port}` });
    sockets.push(ws);
    const client: Client = { ws, messages: [], nextId: 1 };
    ws.on('message', (data) => client.messages.push(JSON.parse(String(data)) as ServerMessage));
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

function send(client: Client, command: unknown): Promise<CommandResult> {
  const id = client.nextId++;
  client.ws.send(JSON.stringify({ id, command }));
  return waitFor(`result ${id}`, () => client.messages.flatMap((m) => (m.type === 'result' && m.id === id ? [m.result] : []))[0], 30_000);
}

const lastClients = (c: Client): ClientsMessage | undefined => c.messages.filter((m): m is ClientsMessage => m.type === 'clients').at(-1);
const peerActions = (c: Client): PeerActionMessage[] => c.messages.filter((m): m is PeerActionMessage => m.type === 'peer-action');
const comm = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

describe('two windows on one engine', () => {
  it('each knows how many share it and its own number; a lesson one starts is announced to the other, by number', async () => {
    session = await createSession();
    server = await startWebServer({ session, staticRoot: join(dir, 'dist'), port: 0 });
    const a = await connect(server);
    await waitFor('window 1 told it is alone', () => lastClients(a)?.count === 1, 10_000);
    const b = await connect(server);
    await waitFor('both told there are two', () => lastClients(a)?.count === 2 && lastClients(b)?.count === 2, 10_000);
    const one = lastClients(a)!.you;
    const two = lastClients(b)!.you;
    expect(one).not.toBe(two);

    // read-only: not announced
    expect(await send(b, { type: 'lessons.list' })).toMatchObject({ ok: true });
    const start = await send(a, { type: 'lesson.start', lesson: 'pipe-parent-child' });
    expect(start).toMatchObject({ ok: true });
    // the lesson's processes are real: the kernel lists them
    const roles = (start.ok ? (start.data as { roles: Record<string, number> }).roles : {}) ?? {};
    const parent = roles.parent!;
    expect(parent).toBeGreaterThan(0);
    expect(comm(parent)).not.toBe('');

    await waitFor('window 2 told window 1 started it', () => peerActions(b).length > 0, 10_000);
    expect(peerActions(b)).toEqual([{ type: 'peer-action', client: one, action: { command: 'lesson.start', lesson: 'pipe-parent-child' } }]);
    // a bad command changes nothing: not announced; a step from window 2 is announced to window 1 only
    expect(await send(b, { type: 'lesson.start', lesson: 'no-such-lesson' })).toMatchObject({ ok: false });
    expect(await send(b, { type: 'step' })).toMatchObject({ ok: true });
    await waitFor('window 1 told window 2 stepped', () => peerActions(a).length > 0, 10_000);
    expect(peerActions(a)).toEqual([{ type: 'peer-action', client: two, action: { command: 'step' } }]);
    expect(peerActions(b)).toHaveLength(1);

    b.ws.close();
    await waitFor('window 1 told it is alone again', () => lastClients(a)?.count === 1, 10_000);
    expect(lastClients(a)!.you).toBe(one);
  });
});
