/**
 * Test support for the browser-mode server in front of a real engine: a
 * static root holding only an index.html, and WebSocket clients that keep
 * every message they are sent and match each command to its result.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { WebSocket } from 'ws';
import { waitFor } from '../../cli/wait-for';
import type { CommandResult } from '../../model/commands';
import { createSession, type Session } from '../../session/session';
import { startWebServer, type WebServer } from '../web-server';
import type { ServerMessage } from '../wire-protocol';

/**
 * Makes a temporary folder with `dist/index.html` before the file's tests and
 * removes it after them; the returned function gives the `dist` folder to
 * serve as the static root.
 */
export function useStaticRoot(prefix: string): () => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>ipcscope</title>');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return () => join(dir, 'dist');
}

export interface EngineClient {
  ws: WebSocket;
  messages: ServerMessage[];
  nextId: number;
}

/** Opens a WebSocket with the server's token and Origin; the socket is pushed on `opened` for the test's afterEach to terminate. */
export function connectClient(web: WebServer, opened: WebSocket[]): Promise<EngineClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/ws?token=${web.token}`, { origin: `http://127.0.0.1:${web.port}` });
    opened.push(ws);
    const client: EngineClient = { ws, messages: [], nextId: 1 };
    ws.on('message', (data) => client.messages.push(JSON.parse(String(data)) as ServerMessage));
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

/** Sends a command without waiting; the promise is its result. */
export function sendCommand(client: EngineClient, command: unknown): Promise<CommandResult> {
  const id = client.nextId++;
  client.ws.send(JSON.stringify({ id, command }));
  return waitFor(
    `result ${id}`,
    () => client.messages.flatMap((m) => (m.type === 'result' && m.id === id ? [m.result] : []))[0],
    30_000,
  );
}

export interface ServedEngine {
  /** A real session behind a web server on an ephemeral port; both closed after the test. */
  start(): Promise<{ session: Session; server: WebServer }>;
  /** A client of `web`, terminated after the test. */
  connect(web: WebServer): Promise<EngineClient>;
}

/**
 * Real sessions served in front of a static root holding only index.html,
 * and their clients: after each test the clients are terminated, then the
 * servers closed, then the sessions disposed (their processes with them).
 */
export function useServedEngine(prefix: string): ServedEngine {
  const staticRoot = useStaticRoot(prefix);
  const sockets: WebSocket[] = [];
  const started: { session: Session; server: WebServer }[] = [];
  afterEach(async () => {
    for (const ws of sockets.splice(0)) ws.terminate();
    for (const { session, server } of started.splice(0)) {
      await server.close();
      await session.dispose();
    }
  });
  return {
    start: async () => {
      const session = await createSession();
      const server = await startWebServer({ session, staticRoot: staticRoot(), port: 0 }).catch(async (error: unknown) => {
        await session.dispose();
        throw error;
      });
      started.push({ session, server });
      return { session, server };
    },
    connect: (web) => connectClient(web, sockets),
  };
}
