import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import type { EngineSession } from '../model/session-api';
import { FrameSender } from './frame-sender';
import { FrameMessages } from './frame-messages';
import { wireFrame } from '../model/wire-frame';
import { checkUpgrade, isAllowedHost } from './request-guard';
import { peerAction, SharedClients } from './shared-session';
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
  /**
   * A connection that completes neither an HTTP request nor a WebSocket
   * upgrade within this time is closed, so idle sockets cannot pile up until
   * the process runs out of descriptors (default 5000 ms). An HTTP answer
   * must be taken by the client within the same time.
   */
  idleTimeoutMs?: number;
  /**
   * Bytes a client may leave unread (ws bufferedAmount) before it is dropped.
   * Frames are state, so a client that reconnects gets the current one
   * (default 4 MiB).
   */
  maxBufferedBytes?: number;
  /**
   * Connections not (yet) upgraded to a WebSocket held at once; past this a
   * new connection is closed at once, so no one can take every descriptor the
   * engine needs for its lessons (default 64).
   */
  maxPendingConnections?: number;
}

const MAX_REFUSALS_REPORTED = 50;
const DEFAULT_IDLE_TIMEOUT_MS = 5000;
const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_PENDING_CONNECTIONS = 64;
/** Commands of one client in the session's queue; past this its socket is not read (TCP pushes back). */
const MAX_PENDING_COMMANDS = 32;

export interface WebServer {
  port: number;
  token: string;
  /** Page URL including the token, e.g. http://127.0.0.1:7420/?token=... */
  url: string;
  clientCount(): number;
  /** Unsent bytes held for each connected client (ws bufferedAmount). */
  clientBufferedBytes(): number[];
  /** True while the server listens to the session's frames: only while a client is connected. */
  watching(): boolean;
  /** Closes every client and the listening socket. Does not dispose the session. */
  close(): Promise<void>;
}

const LISTEN_HOST = '127.0.0.1';

function newToken(): string {
  return randomBytes(32).toString('base64url');
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
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const maxPendingConnections = options.maxPendingConnections ?? DEFAULT_MAX_PENDING_CONNECTIONS;
  let port = 0;

  /* connection -> the timer that closes it unless a request or an upgrade completes first */
  const idleTimers = new Map<Duplex, NodeJS.Timeout>();
  const armIdle = (socket: Duplex): void => {
    disarmIdle(socket);
    if (socket.destroyed) return;
    idleTimers.set(socket, setTimeout(() => socket.destroy(), idleTimeoutMs).unref());
  };
  const disarmIdle = (socket: Duplex): void => {
    const timer = idleTimers.get(socket);
    if (timer !== undefined) clearTimeout(timer);
    idleTimers.delete(socket);
  };

  const server = createServer((req, res) => {
    /*
     * The answer must be taken within the bound too (a client that pipelines
     * requests and never reads would otherwise hold the connection forever),
     * and so must the next request on a kept-alive connection.
     */
    armIdle(req.socket);
    res.once('finish', () => armIdle(req.socket));
    try {
      if (!isAllowedHost(req.headers.host, port)) {
        sendPlain(res, 421, 'unexpected Host header', port);
        return;
      }
      serveStatic(staticRoot, req, res, port);
    } catch (err) {
      // No request may end the server: whatever slipped through is answered, not thrown.
      if (!res.headersSent) sendPlain(res, 400, `bad request: ${(err as Error).message}`, port);
      else res.destroy();
    }
  });
  server.on('connection', (socket: Duplex) => {
    /* every connection not upgraded holds an idle timer until it closes */
    if (idleTimers.size >= maxPendingConnections) {
      socket.destroy();
      return;
    }
    armIdle(socket);
    socket.once('close', () => disarmIdle(socket));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false });
  const senders = new Map<WebSocket, FrameSender>();
  /* every window shares the one session: each is told how many there are and what the others did */
  const clients = new SharedClients<WebSocket>();
  const tellClientCount = (): void => {
    for (const [ws, you] of clients.entries()) send(ws, { type: 'clients', count: clients.count, you });
  };
  let refusals = 0;

  const refuse = (socket: Duplex, status: number, reason: string): void => {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    /* node removes its own error listener from an upgraded socket: a reset must not become an uncaught 'error' */
    socket.on('error', () => socket.destroy());
    try {
      const verdict = checkUpgrade(req, port, token, WS_PATH);
      if (!verdict.ok) {
        if (refusals++ < MAX_REFUSALS_REPORTED) {
          const origin = JSON.stringify(req.headers.origin ?? null);
          options.onRefused?.(`refused a WebSocket (${verdict.status} ${verdict.reason}) from origin ${origin}, host ${JSON.stringify(req.headers.host ?? null)}`);
        }
        refuse(socket, verdict.status, verdict.reason);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        disarmIdle(socket);
        onConnection(ws);
      });
    } catch (err) {
      options.onRefused?.(`refused a WebSocket (400 ${(err as Error).message})`);
      refuse(socket, 400, 'Bad Request');
    }
  });

  /* the server listens to frames only while someone watches: no client, no sampling */
  let stopFrames: (() => void) | null = null;
  const watch = (): void => {
    stopFrames ??= session.onFrame((full) => {
      if (senders.size === 0) return;
      // Encoded once for every client that keeps up: in full for a client's first, else what changed since its last.
      const messages = new FrameMessages(wireFrame(full));
      for (const sender of senders.values()) sender.offer(messages);
    });
  };
  const unwatch = (): void => {
    stopFrames?.();
    stopFrames = null;
  };

  /** Sends one message; a client that has fallen too far behind is dropped instead. */
  function send(ws: WebSocket, message: ServerMessage): void {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(message));
    if (ws.bufferedAmount > maxBufferedBytes) ws.terminate();
  }

  function onConnection(ws: WebSocket): void {
    senders.set(ws, new FrameSender(ws, options.highWaterBytes, () => ws.close(1013, 'too far behind; reconnect')));
    let pending = 0;
    ws.on('message', (data, isBinary) => {
      const request = parseClientMessage(data, isBinary);
      if (typeof request === 'string') {
        send(ws, { type: 'error', error: request });
        return;
      }
      pending += 1;
      if (pending >= MAX_PENDING_COMMANDS) ws.pause();
      void session
        .handle(request.command)
        .catch((err: unknown): { ok: false; error: string } => ({ ok: false, error: `engine error: ${String(err)}` }))
        .then((result) => {
          pending -= 1;
          if (pending < MAX_PENDING_COMMANDS && ws.isPaused && ws.readyState === ws.OPEN) ws.resume();
          send(ws, { type: 'result', id: request.id, result });
          const action = result.ok ? peerAction(request.command) : null;
          const client = clients.numberOf(ws);
          if (action && client !== undefined) for (const [other] of clients.entries()) if (other !== ws) send(other, { type: 'peer-action', client, action });
        });
    });
    ws.on('close', () => {
      senders.get(ws)?.close();
      senders.delete(ws);
      clients.remove(ws);
      tellClientCount();
      if (senders.size === 0) unwatch();
    });
    ws.on('error', () => ws.terminate());
    send(ws, { type: 'status', status: 'open', lessons: session.lessons() });
    clients.add(ws);
    tellClientCount();
    if (ws.readyState === ws.OPEN) watch();
  }

  port = await listen(server, options.port);
  let closing: Promise<void> | null = null;

  return {
    port,
    token,
    url: `http://${LISTEN_HOST}:${port}/?token=${token}`,
    clientCount: () => senders.size,
    clientBufferedBytes: () => [...senders.keys()].map((ws) => ws.bufferedAmount),
    watching: () => stopFrames !== null,
    close(): Promise<void> {
      closing ??= new Promise<void>((done) => {
        unwatch();
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
          for (const timer of idleTimers.values()) clearTimeout(timer);
          idleTimers.clear();
          done();
        });
        server.closeAllConnections();
        /* refused upgrades and idle connections are no longer the http server's to close */
        for (const socket of idleTimers.keys()) socket.destroy();
      });
      return closing;
    },
  };
}
