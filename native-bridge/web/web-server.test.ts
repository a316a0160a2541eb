import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startWebServer } from './web-server';
import type { WebServer } from './web-server';
import type { ServerMessage } from './wire-protocol';
import { waitFor } from '../cli/wait-for';
import { framesOf, TestSession, testFrame } from './web-test-helpers';

/*
 * A real server on 127.0.0.1 with a minimal session: these tests are about the
 * door (token, Host, Origin, JSON, static root), not the kernel; the kernel is
 * asserted end to end in e2e/pipe-lesson.e2e.ts with the real engine.
 */

const frame = testFrame;

let dir: string;
let root: string;
let server: WebServer;
let session: TestSession;
const sockets: WebSocket[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ipcscope-web-test-'));
  root = join(dir, 'dist');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>ipcscope</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the root');
  symlinkSync(join(dir, 'secret.txt'), join(root, 'escape.txt'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(highWaterBytes?: number): Promise<void> {
  session = new TestSession();
  server = await startWebServer({ session, staticRoot: root, port: 0, ...(highWaterBytes === undefined ? {} : { highWaterBytes }) });
}

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await server?.close();
});

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(path: string, host = `127.0.0.1:${server.port}`, method = 'GET'): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function wsUrl(token: string | null): string {
  return `ws://127.0.0.1:${server.port}/ws${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
}

/** Opens a WebSocket; resolves with the socket, or the HTTP status that refused it. */
function connect(token: string | null, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; messages: ServerMessage[] } | number> {
  return new Promise((resolve, reject) => {
    const origin = headers.origin ?? `http://127.0.0.1:${server.port}`;
    const ws = new WebSocket(wsUrl(token), { headers: { ...headers }, origin: origin === '-' ? undefined : origin });
    sockets.push(ws);
    const messages: ServerMessage[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', (err) => reject(err));
  });
}

/**
 * Local addresses the kernel has a listening TCP socket on for `port`, in
 * /proc/net/tcp's hex notation ("0100007F" is 127.0.0.1, "00000000" any);
 * tcp6 is included so that a dual-stack "::" bind would show up too.
 */
function listeningAddresses(port: number): string[] {
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  const addresses: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'latin1').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [address, localPort] = (local ?? '').split(':');
      if (state === '0A' && localPort === portHex && address !== undefined) addresses.push(address);
    }
  }
  return addresses;
}

describe('static files', () => {
  it('serves index.html with a strict CSP, nosniff and no referrer', async () => {
    await start();
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>ipcscope</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect((await get('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('never leaves the root: .., encoded dots and slashes, symlinks, NUL', async () => {
    await start();
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/escape.txt', '/index.html%00', '/%5c..%5csecret.txt', '/%']) {
      const answer = await get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.body).not.toContain('outside the root');
    }
    expect((await get('/', undefined, 'POST')).status).toBe(405);
    expect((await get('/favicon.ico')).status).toBe(204);
    expect((await get('/nothing-here.js')).status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    await start();
    expect((await get('/', 'evil.example:80')).status).toBe(421);
    expect((await get('/', `evil.example:${server.port}`)).status).toBe(421);
    expect((await get('/', `localhost:${server.port}`)).status).toBe(200);
  });
});

describe('WebSocket door', () => {
  it('listens on 127.0.0.1 only and prints a URL with the token', async () => {
    await start();
    expect(listeningAddresses(server.port)).toEqual(['0100007F']);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(40);
  });

  it('requires the token', async () => {
    await start();
    expect(await connect(null)).toBe(401);
    expect(await connect('wrong')).toBe(401);
    expect(await connect(server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A'))).toBe(401);
    expect(server.clientCount()).toBe(0);
  });

  it('refuses a wrong Host or a cross-site or missing Origin', async () => {
    await start();
    expect(await connect(server.token, { host: 'attacker.example' })).toBe(421);
    expect(await connect(server.token, { origin: 'http://attacker.example' })).toBe(403);
    expect(await connect(server.token, { origin: `http://localhost:${server.port}` })).toBe(403);
    expect(await connect(server.token, { origin: '-' })).toBe(403);
    expect(server.clientCount()).toBe(0);
  });

  it('greets with the lessons, answers commands, rejects bad JSON and bad commands', async () => {
    await start();
    const client = await connect(server.token);
    if (typeof client === 'number') throw new Error(`refused with ${client}`);
    const { ws, messages } = client;
    await waitFor('greeting', () => messages.find((m) => m.type === 'status'));
    expect(messages[0]).toMatchObject({ type: 'status', status: 'open', lessons: [{ id: 'pipe-basics' }] });

    ws.send('{"id": 1, "command": ');
    const error = await waitFor('error', () => messages.find((m) => m.type === 'error'));
    expect(error).toMatchObject({ type: 'error', error: expect.stringMatching(/^malformed JSON/) });
    ws.send(JSON.stringify({ command: { type: 'play' } }));
    await waitFor('second error', () => messages.filter((m) => m.type === 'error').length === 2);

    ws.send(JSON.stringify({ id: 2, command: { type: 'rm -rf' } }));
    ws.send(JSON.stringify({ id: 3, command: { type: 'speed', value: 1e9 } }));
    ws.send(JSON.stringify({ id: 'four', command: { type: 'play' } }));
    const results = await waitFor('three results', () => {
      const found = messages.filter((m) => m.type === 'result');
      return found.length === 3 ? found : undefined;
    });
    const byId = new Map(results.map((m) => (m.type === 'result' ? [m.id, m.result] : [null, null])));
    expect(byId.get(2)).toMatchObject({ ok: false, error: expect.stringContaining('unknown command') });
    expect(byId.get(3)).toMatchObject({ ok: false, error: expect.stringContaining('out of range') });
    expect(byId.get('four')).toEqual({ ok: true, data: 'play' });
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes a client whose message is too large (1009)', async () => {
    await start();
    const client = await connect(server.token);
    if (typeof client === 'number') throw new Error(`refused with ${client}`);
    const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)));
    client.ws.send(JSON.stringify({ id: 1, command: { type: 'play', pad: 'x'.repeat(100_000) } }));
    expect(await closed).toBe(1009);
  });

  it('a client that stops reading gets fewer frames but every event, in order', async () => {
    await start(256 * 1024);
    const client = await connect(server.token);
    if (typeof client === 'number') throw new Error(`refused with ${client}`);
    await waitFor('greeting', () => client.messages.find((m) => m.type === 'status'));
    client.ws.pause(); /* stop reading: the TCP window closes, the server's buffer fills */
    const padding = 'x'.repeat(100_000);
    const total = 300;
    for (let seq = 1; seq <= total; seq += 1) {
      const f = frame(seq);
      f.events = [{ seq, time: 0, pid: 1, role: 'parent', step: 0, syscall: 'write', phase: 'return', fd: 4, bytes: 1, result: 1, errno: null, data: null, text: padding }];
      session.emit(f);
      await new Promise((r) => setImmediate(r));
    }
    client.ws.resume();
    const frames = await waitFor('the last frame', () => {
      const got = framesOf(client.messages);
      return got.at(-1)?.seq === total ? got : undefined;
    }, 10_000);
    const events = frames.flatMap((f) => f.events.map((e) => e.seq));
    expect(events).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(frames.length).toBeLessThan(total);
  });

  it('streams frames to every client and stops when closed', async () => {
    await start();
    const a = await connect(server.token);
    const b = await connect(server.token);
    if (typeof a === 'number' || typeof b === 'number') throw new Error('refused');
    await waitFor('two clients', () => server.clientCount() === 2);
    for (let seq = 1; seq <= 5; seq += 1) session.emit(frame(seq));
    for (const client of [a, b]) {
      const seqs = await waitFor('five frames', () => {
        const got = framesOf(client.messages).map((f) => f.seq);
        return got.length === 5 ? got : undefined;
      });
      expect(seqs).toEqual([1, 2, 3, 4, 5]);
    }
    const closed = new Promise<number>((resolve) => a.ws.once('close', (code) => resolve(code)));
    await server.close();
    expect(await closed).toBe(1001);
    expect(session.listenerCount()).toBe(0);
    expect(session.disposed).toBe(false);
  });
});
