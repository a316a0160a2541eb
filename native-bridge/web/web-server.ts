import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import type { EngineSession } from '../model/session-api';
import { FrameSender } from './frame-sender';
import { checkUpgrade, isAllowedHost } from './request-guard';
import { sendPlain, serveStatic } from './static-files';
import { MAX_CLIENT_MESSAGE_BYTES, WS_PATH } from './wire-protocol';
import type { ClientRequest, ServerMessage } from './wire-protocol';

/**
 * The browser-mode server: static renderer files plus one WebSocket endpoint,
 * on 127.0.0.1 only, guarded by a per-run token, Host and Origin checks.
 */

export interface WebServerOptions {
  session: EngineSession;
  /** Directory of the built renderer (renderer/dist). */
  staticRoot: string;
  /** 0 asks the kernel for a free port. */
  port: number;
  /** Defaults to 32 random bytes, base64url. */
  token?: string;
  /** bufferedAmount above which frames to a client are held back. */
  highWaterBytes?: number;
  /** Told about each refused WebSocket (the first 50), e.g. to print on stderr. */
  onRefused?: (line: string) => void;
}

const MAX_REFUSALS_REPORTED = 50;

export interface WebServer {
  port: number;
  token: string;
  /** Page URL including the token, e.g. http://127.0.0.1:7420/?token=... */
  url: string;
  clientCount(): number;
  /** Closes every client and the listening socket. Does not dispose the session. */
  close(): Promise<void>;
}

const LISTEN_HOST = '127.0.0.1';

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function send(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

function isRequestId(value: unknown): value is number | string {
  return (typeof value === 'number' && Number.isSafeInteger(value)) || (typeof value === 'string' && value.length <= 64);
}

/** Parses one client message, or says in plain words why it cannot. */
function parseClientMessage(data: RawData, isBinary: boolean): ClientRequest | string {
  if (isBinary) return 'binary messages are not accepted; send JSON text';
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return `malformed JSON: ${(err as Error).message}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return 'a message must be a JSON object {"id": ..., "command": {...}}';
  }
  const record = parsed as Record<string, unknown>;
  if (!isRequestId(record.id)) return 'a message needs an "id" (integer, or string of at most 64 characters)';
  if (!('command' in record)) return 'a message needs a "command"';
  return { id: record.id, command: record.command };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ port, host: LISTEN_HOST, exclusive: true }, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('server has no TCP address'));
      else resolvePort(address.port);
    });
  });
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { session, staticRoot } = options;
  const token = options.token ?? newToken();
  let port = 0;

  const server = createServer((req, res) => {
    if (!isAllowedHost(req.headers.host, port)) {
      sendPlain(res, 421, 'unexpected Host header', port);
      return;
    }
    serveStatic(staticRoot, req, res, port);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false });
  const senders = new Map<WebSocket, FrameSender>();
  let refusals = 0;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = checkUpgrade(req, port, token, WS_PATH);
    if (!verdict.ok) {
      if (refusals++ < MAX_REFUSALS_REPORTED) {
        const origin = JSON.stringify(req.headers.origin ?? null);
        options.onRefused?.(`refused a WebSocket (${verdict.status} ${verdict.reason}) from origin ${origin}, host ${JSON.stringify(req.headers.host ?? null)}`);
      }
      socket.end(`HTTP/1.1 ${verdict.status} ${verdict.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  function onConnection(ws: WebSocket): void {
    senders.set(ws, new FrameSender(ws, options.highWaterBytes, () => ws.close(1013, 'too far behind; reconnect')));
    ws.on('message', (data, isBinary) => {
      const request = parseClientMessage(data, isBinary);
      if (typeof request === 'string') {
        send(ws, { type: 'error', error: request });
        return;
      }
      void session
        .handle(request.command)
        .catch((err: unknown): { ok: false; error: string } => ({ ok: false, error: `engine error: ${String(err)}` }))
        .then((result) => send(ws, { type: 'result', id: request.id, result }));
    });
    ws.on('close', () => {
      senders.get(ws)?.close();
      senders.delete(ws);
    });
    ws.on('error', () => ws.terminate());
    send(ws, { type: 'status', status: 'open', lessons: session.lessons() });
  }

  const stopFrames = session.onFrame((frame) => {
    if (senders.size === 0) return;
    // One JSON encoding shared by every client that keeps up.
    const encoded = JSON.stringify({ type: 'frame', frame } satisfies ServerMessage);
    for (const sender of senders.values()) sender.offer(frame, encoded);
  });

  port = await listen(server, options.port);
  let closing: Promise<void> | null = null;

  return {
    port,
    token,
    url: `http://${LISTEN_HOST}:${port}/?token=${token}`,
    clientCount: () => senders.size,
    close(): Promise<void> {
      closing ??= new Promise<void>((done) => {
        stopFrames();
        for (const [ws, sender] of senders) {
          sender.close();
          send(ws, { type: 'status', status: 'closing' });
          ws.close(1001, 'server shutting down');
        }
        // Clients that do not answer the close handshake are cut off.
        const cut = setTimeout(() => {
          for (const ws of senders.keys()) ws.terminate();
        }, 500);
        wss.close();
        server.close(() => {
          clearTimeout(cut);
          done();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
