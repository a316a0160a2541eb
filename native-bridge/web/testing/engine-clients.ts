/**
 * Test support for the browser-mode server in front of a real engine: a
 * static root holding only an index.html, and WebSocket clients that keep
 * every message they are sent and match each command to its result.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { WebSocket } from 'ws';
import { waitFor } from '../../cli/wait-for';
import type { CommandResult } from '../../model/commands';
import type { WebServer } from '../web-server';
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
