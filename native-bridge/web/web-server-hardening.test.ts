import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { waitFor } from '../cli/wait-for';
import { startWebServer } from './web-server';
import type { WebServer, WebServerOptions } from './web-server';
import type { ServerMessage } from './wire-protocol';
import { rawConnect, rawExchange, statusOf, tcpState, TestSession, testFrame } from './web-test-helpers';

/*
 * A local user must not be able to stop or starve the browser-mode server:
 * malformed requests, connections that never speak, clients that never read.
 * Every test talks to a real server over real sockets and asks the kernel
 * (/proc/net/tcp) what became of the connections.
 */

let dir: string;
let root: string;
let server: WebServer | null = null;
let session: TestSession;
const sockets: (WebSocket | Socket)[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ipcscope-web-hardening-'));
  root = join(dir, 'dist');
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>ipcscope</title>');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(async () => {
  for (const socket of sockets.splice(0)) {
    if (socket instanceof WebSocket) socket.terminate();
    else socket.destroy();
  }
  await server?.close();
  server = null;
});

async function start(extra: Partial<WebServerOptions> = {}): Promise<WebServer> {
  session = new TestSession();
  server = await startWebServer({ session, staticRoot: root, port: 0, ...extra });
  return server;
}

function upgradeRequest(web: WebServer, target: string): string {
  return [
    `GET ${target} HTTP/1.1`,
    `Host: 127.0.0.1:${web.port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    `Origin: http://127.0.0.1:${web.port}`,
    '',
    '',
  ].join('\r\n');
}

interface Client {
  ws: WebSocket;
  messages: ServerMessage[];
}

function connect(web: WebServer): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/ws?token=${web.token}`, { origin: `http://127.0.0.1:${web.port}` });
    sockets.push(ws);
    const messages: ServerMessage[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('error', reject);
  });
}

/** A good client still gets a WebSocket and an answer to a command. */
async function stillServes(web: WebServer): Promise<void> {
  expect(statusOf(await rawExchange(web.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nConnection: close\r\n\r\n`))).toBe(200);
  const client = await connect(web);
  client.ws.send(JSON.stringify({ id: 'alive', command: { type: 'pause' } }));
  const result = await waitFor('a result', () => client.messages.find((m) => m.type === 'result'));
  expect(result).toEqual({ type: 'result', id: 'alive', result: { ok: true, data: 'pause' } });
}

const MALFORMED_TARGETS = ['//[', '//a:b:c/ws', '//%zz/ws', 'http://[', `//[/ws?token=x`, '*'];

describe('malformed requests', () => {
  it('a malformed WebSocket upgrade gets a 4xx and the server serves the next client', async () => {
    const web = await start();
    for (const target of MALFORMED_TARGETS) {
      const status = statusOf(await rawExchange(web.port, upgradeRequest(web, target)));
      expect(status, target).toBeGreaterThanOrEqual(400);
      expect(status, target).toBeLessThan(500);
    }
    /* an absolute-form target naming us with the right token is refused too: only origin-form is taken */
    expect(statusOf(await rawExchange(web.port, upgradeRequest(web, `http://127.0.0.1:${web.port}/ws?token=${web.token}`)))).toBe(400);
    await stillServes(web);
  });

  it('the same targets as plain HTTP requests get a 4xx', async () => {
    const web = await start();
    for (const target of MALFORMED_TARGETS) {
      const status = statusOf(await rawExchange(web.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nConnection: close\r\n\r\n`));
      expect(status, target).toBeGreaterThanOrEqual(400);
      expect(status, target).toBeLessThan(500);
    }
    expect(statusOf(await rawExchange(web.port, 'NOT-HTTP\r\n\r\n'))).toBe(400);
    await stillServes(web);
  });

  it('a client that resets its connection right after a refused upgrade does not end the server', async () => {
    const web = await start();
    for (let i = 0; i < 20; i += 1) {
      const socket = await rawConnect(web.port);
      socket.on('error', () => undefined);
      socket.write(upgradeRequest(web, '/ws?token=wrong'));
      socket.resetAndDestroy();
    }
    await stillServes(web);
  });

  it('without renderer/dist every page gets a 503 naming the problem, and the WebSocket still works', async () => {
    const web = await start({ staticRoot: join(dir, 'not-built') });
    for (const target of ['/', '/index.html', '/assets/app.js', '/favicon.ico']) {
      const answer = await rawExchange(web.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nConnection: close\r\n\r\n`);
      expect(statusOf(answer), target).toBe(503);
    }
    const client = await connect(web);
    client.ws.send(JSON.stringify({ id: 1, command: { type: 'pause' } }));
    await waitFor('a result', () => client.messages.find((m) => m.type === 'result'));
  });
});

describe('connections that never complete a request', () => {
  it('are closed after the idle bound; a good client is unaffected', async () => {
    const web = await start({ idleTimeoutMs: 300 });
    const good = await connect(web);
    const idle: Socket[] = [];
    for (let i = 0; i < 5; i += 1) idle.push(await rawConnect(web.port));
    /* one sends half a request line and stalls */
    const partial = await rawConnect(web.port);
    partial.write('GET / HTTP/1.1\r\nHost: 127.0.0');
    idle.push(partial);
    sockets.push(...idle);
    const ended = idle.map((socket) => new Promise<void>((resolve) => socket.once('end', resolve).once('close', () => resolve())));
    for (const socket of idle) expect(tcpState(socket.localPort ?? 0, web.port)).toBe('ESTABLISHED');

    await Promise.all(ended);
    /* the kernel agrees: the server's end of each is gone or closing, no longer ESTABLISHED */
    for (const socket of idle) expect(tcpState(web.port, socket.localPort ?? 0)).not.toBe('ESTABLISHED');

    /* the upgraded client was not cut off, long after the bound */
    expect(good.ws.readyState).toBe(WebSocket.OPEN);
    expect(tcpState(web.port, (good.ws as unknown as { _socket: Socket })._socket.localPort ?? 0)).toBe('ESTABLISHED');
    session.emit(testFrame(1));
    await waitFor('a frame', () => good.messages.find((m) => m.type === 'frame'));
    await stillServes(web);
  });
});

describe('connections held open', () => {
  it('past maxPendingConnections a new connection is closed at once; upgraded clients do not count', async () => {
    const web = await start({ maxPendingConnections: 4 });
    const watcher = await connect(web); /* upgraded: not pending */
    const held: Socket[] = [];
    for (let i = 0; i < 10; i += 1) {
      const socket = await rawConnect(web.port);
      socket.on('error', () => undefined);
      held.push(socket);
    }
    sockets.push(...held);
    /* the kernel: the server keeps 4 of them, the others it closed */
    const ports = held.map((socket) => socket.localPort ?? 0);
    const kept = (): number => ports.filter((port) => tcpState(web.port, port) === 'ESTABLISHED').length;
    await waitFor('the server to close the extra connections', () => kept() === 4, 10_000);
    expect(watcher.ws.readyState).toBe(WebSocket.OPEN);
    watcher.ws.send(JSON.stringify({ id: 'w', command: { type: 'pause' } }));
    await waitFor('the watcher answered', () => watcher.messages.find((m) => m.type === 'result'));
    /* once they go, new clients are served again */
    for (const socket of held) socket.destroy();
    /* the server has closed its ends (gone, or TIME_WAIT where it closed first) */
    await waitFor('the held connections closed', () => ports.every((port) => !['ESTABLISHED', 'CLOSE_WAIT'].includes(tcpState(web.port, port) ?? '')));
    await stillServes(web);
  });
});

describe('a client that never reads', () => {
  it('pipelining HTTP requests without reading the answers: the server closes the connection after the bound', async () => {
    /* larger than the kernel's loopback buffers, so the first answer can never be fully handed over */
    writeFileSync(join(root, 'big.js'), 'x'.repeat(32 * 1024 * 1024));
    const web = await start({ idleTimeoutMs: 500 });
    const socket = await rawConnect(web.port);
    sockets.push(socket);
    socket.pause(); /* never reads: the kernel's buffers fill, then the server's answers stall */
    const port = socket.localPort ?? 0;
    socket.write(`GET /big.js HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\n\r\n`.repeat(4));
    expect(tcpState(web.port, port)).toBe('ESTABLISHED');
    /* the kernel: the server's end leaves ESTABLISHED (closed, or FIN_WAIT while the client's window is shut) */
    await waitFor('the server to close its end', () => tcpState(web.port, port) !== 'ESTABLISHED', 20_000);
    await stillServes(web);
  });


  it('is dropped once its unread replies pass the bound; its buffer never grows past it; others are unaffected', async () => {
    const maxBufferedBytes = 256 * 1024;
    const web = await start({ maxBufferedBytes });
    /* large replies, so the kernel's socket buffers (megabytes on loopback) fill fast */
    session.listPadding = 'x'.repeat(32 * 1024);
    const other = await connect(web);
    const slow = await connect(web);
    await waitFor('two clients', () => web.clientCount() === 2);
    const slowSocket = (slow.ws as unknown as { _socket: Socket })._socket;
    const slowPort = slowSocket.localPort ?? 0;
    slow.ws.pause(); /* never reads again: the TCP window closes, replies pile up in the server */

    let largest = 0;
    let sampling = true;
    const sample = (): void => {
      for (const bytes of web.clientBufferedBytes()) largest = Math.max(largest, bytes);
      if (sampling) setImmediate(sample);
    };
    sample();
    const request = JSON.stringify({ id: 1, command: { type: 'lessons.list' } });
    for (let i = 0; i < 2000 && web.clientCount() === 2; i += 1) {
      slow.ws.send(request);
      if (i % 50 === 49) await new Promise((r) => setImmediate(r));
    }
    await waitFor('the slow client dropped', () => web.clientCount() === 1, 20_000);
    sampling = false;
    /* the kernel: the server closed its end of the slow client's connection */
    await waitFor('server end closed', () => tcpState(web.port, slowPort) !== 'ESTABLISHED', 10_000);
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThanOrEqual(maxBufferedBytes + 64 * 1024);

    /* the other client still gets answers and frames */
    other.ws.send(JSON.stringify({ id: 'other', command: { type: 'pause' } }));
    await waitFor('the other client answered', () => other.messages.find((m) => m.type === 'result' && m.id === 'other'));
    session.emit(testFrame(7));
    await waitFor('a frame', () => other.messages.find((m) => m.type === 'frame' || m.type === 'delta'));
  });
});

describe('sampling only while someone watches', () => {
  it('the server takes no frames from the session until a client is connected, and stops when the last leaves', async () => {
    const web = await start();
    expect(session.listenerCount()).toBe(0);
    expect(web.watching()).toBe(false);
    /* a refused WebSocket and a page load are not watchers */
    expect(statusOf(await rawExchange(web.port, upgradeRequest(web, '/ws?token=wrong')))).toBe(401);
    expect(statusOf(await rawExchange(web.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nConnection: close\r\n\r\n`))).toBe(200);
    expect(session.listenerCount()).toBe(0);

    const a = await connect(web);
    await waitFor('watching', () => session.listenerCount() === 1);
    const b = await connect(web);
    await waitFor('two clients', () => web.clientCount() === 2);
    expect(session.listenerCount()).toBe(1);
    a.ws.close();
    await waitFor('one client', () => web.clientCount() === 1);
    expect(session.listenerCount()).toBe(1);
    b.ws.terminate();
    await waitFor('no listener', () => session.listenerCount() === 0);
    expect(web.watching()).toBe(false);

    /* a client coming back is watched again */
    const c = await connect(web);
    await waitFor('watching again', () => session.listenerCount() === 1);
    session.emit(testFrame(3));
    await waitFor('a frame', () => c.messages.find((m) => m.type === 'frame'));
  });
});
