import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { waitFor } from '../cli/wait-for';
import type { CommandResult } from '../model/commands';
import { createSession, type Session } from '../session/session';
import { startWebServer } from './web-server';
import type { WebServer } from './web-server';
import { framesOf } from './web-test-helpers';
import type { ServerMessage } from './wire-protocol';

/*
 * The browser-mode server in front of the real engine: commands from several
 * clients, sent without waiting for answers, are applied in order, and the
 * engine samples only while a client watches. The kernel is read in /proc.
 */

let dir: string;
let session: Session | null = null;
let server: WebServer | null = null;
const sockets: WebSocket[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ipcscope-web-engine-'));
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

/** Sends a command without waiting; the promise is its result. */
function send(client: Client, command: unknown): Promise<CommandResult> {
  const id = client.nextId++;
  client.ws.send(JSON.stringify({ id, command }));
  return waitFor(
    `result ${id}`,
    () => client.messages.flatMap((m) => (m.type === 'result' && m.id === id ? [m.result] : []))[0],
    30_000,
  );
}

const text = (path: string): string => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
};

function stepIndex(result: CommandResult): number {
  if (!result.ok) throw new Error(`step failed: ${result.error}`);
  return (result.data as { index: number }).index;
}

describe('browser-mode server on the real engine', () => {
  it('several clients sending start and steps without waiting: every step applied, in order; the child asleep in anon_pipe_read', async () => {
    session = await createSession();
    server = await startWebServer({ session, staticRoot: join(dir, 'dist'), port: 0 });
    const [a, b, c, d] = await Promise.all([connect(server), connect(server), connect(server), connect(server)]);

    const [start, first] = await Promise.all([send(a!, { type: 'lesson.start', lesson: 'pipe-parent-child' }), send(a!, { type: 'step' })]);
    expect(start).toMatchObject({ ok: true });
    expect(stepIndex(first!)).toBe(0);
    const parent = (start!.ok ? (start!.data as { roles: Record<string, number> }).roles.parent : -1) ?? -1;

    const perClient = await Promise.all(
      [[a!], [b!, b!], [c!, c!], [d!, d!]].map((clients) => Promise.all(clients.map((client) => send(client, { type: 'step' })))),
    );
    for (const results of perClient) {
      const indices = results.map(stepIndex);
      expect([...indices].sort((x, y) => x - y), 'a client sees its own steps in the order it sent them').toEqual(indices);
    }
    expect(perClient.flat().map(stepIndex).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    /* step 7 is the child's second read of the empty pipe */
    const child = Number(text(`/proc/${parent}/task/${parent}/children`).split(/\s+/)[0]);
    expect(child).toBeGreaterThan(0);
    await waitFor('the child asleep in read', () => text(`/proc/${child}/wchan`) === 'anon_pipe_read' && text(`/proc/${child}/syscall`).startsWith('0 '), 10_000);
  });

  it('the engine samples only while a client is connected', async () => {
    session = await createSession();
    const s = session;
    const web = await startWebServer({ session: s, staticRoot: join(dir, 'dist'), port: 0 });
    server = web;
    expect(s.sampling).toBe(false);
    expect(web.watching()).toBe(false);

    const client = await connect(web);
    await waitFor('frames', () => framesOf(client.messages).length >= 3, 10_000);
    expect(s.sampling).toBe(true);

    client.ws.close();
    await waitFor('no client', () => web.clientCount() === 0);
    expect(web.watching()).toBe(false);
    expect(s.sampling).toBe(false);
  });
});
