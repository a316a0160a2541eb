import { FrameDeltaReceiver } from '../../native-bridge/model/frame-delta-receiver';
import type { ServerMessage } from '../../native-bridge/web/wire-protocol';
import { STATUS_CLOSED, STATUS_CONNECTING, STATUS_OPEN } from './transport';
import type { Command, CommandResult, Frame, SharedEngineApi, SharedEngineMessage, ViewApi } from './transport';

/**
 * The browser-mode door: one WebSocket to `ipcscope web`, authenticated by
 * the token of the page URL (`?token=`), reconnecting with backoff. Commands
 * sent while (re)connecting wait for the socket; commands in flight when it
 * drops are answered { ok: false } rather than left hanging. The server
 * sends a full frame first, then what changed (`delta`): the frame is
 * rebuilt here, so listeners get full frames. A delta that does not fit the
 * frame held is refused: the socket is closed and reconnected, and the first
 * message of a connection is a full frame.
 */

/** The WebSocket constructor (the browser's, or one given by a test). */
export type WebSocketConstructor = new (url: string) => WebSocket;

export interface WebSocketTransportOptions {
  /** Defaults to ws://<page host>/ws. */
  url?: string;
  /** Defaults to `token` in location.search. */
  token?: string | null;
  WebSocketImpl?: WebSocketConstructor;
  /** First reconnect delay; doubles up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A command not answered within this time resolves { ok: false }. */
  requestTimeoutMs?: number;
}

export interface WebSocketTransport extends ViewApi, SharedEngineApi {
  /** Closes for good: no reconnect. */
  close(): void;
}

const WS_PATH = '/ws'; /* native-bridge/web/wire-protocol.ts WS_PATH; the renderer imports only types */
const MAX_WAITING_COMMANDS = 64;
const OPEN = 1; /* WebSocket.OPEN */

interface Pending {
  resolve(result: CommandResult): void;
  timer: ReturnType<typeof setTimeout>;
}

export function tokenFromLocation(search: string): string | null {
  const token = new URLSearchParams(search).get('token');
  return token === null || token === '' ? null : token;
}

export function createWebSocketTransport(options: WebSocketTransportOptions = {}): WebSocketTransport {
  const Impl = options.WebSocketImpl ?? WebSocket;
  const token = options.token !== undefined ? options.token : tokenFromLocation(location.search);
  const base = options.url ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`;
  const initialBackoff = options.initialBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 5000;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;

  const frameListeners = new Set<(frame: Frame) => void>();
  const statusListeners = new Set<(status: string) => void>();
  const sharedListeners = new Set<(message: SharedEngineMessage) => void>();
  const pending = new Map<number, Pending>();
  let waiting: string[] = [];
  let socket: WebSocket | null = null;
  let status = STATUS_CONNECTING;
  let attempt = 0;
  let nextId = 1;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let closedForGood = false;
  const receiver = new FrameDeltaReceiver();
  let refused: WebSocket | null = null;

  function setStatus(next: string): void {
    if (next === status) return;
    status = next;
    for (const listener of statusListeners) listener(next);
  }

  function answer(id: number, result: CommandResult): void {
    const entry = pending.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    pending.delete(id);
    entry.resolve(result);
  }

  function onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: ServerMessage;
    try {
      message = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'frame':
      case 'delta': {
        let frame: Frame;
        try {
          frame = receiver.receive(message);
        } catch (error) {
          console.error(`ipcscope: ${error instanceof Error ? error.message : String(error)}; reconnecting for a full frame`);
          /* nothing more is taken from this socket; its close reconnects */
          refused = socket;
          socket?.close();
          return;
        }
        for (const listener of frameListeners) listener(frame);
        break;
      }
      case 'result':
        if (typeof message.id === 'number') answer(message.id, message.result);
        break;
      case 'status':
        if (message.status === 'closing') setStatus(`${STATUS_CLOSED}: ipcscope web was stopped`);
        break;
      case 'error':
        console.warn(`ipcscope server: ${message.error}`);
        break;
      case 'clients':
      case 'peer-action':
        for (const listener of sharedListeners) listener(message);
        break;
    }
  }

  function connect(): void {
    reconnectTimer = null;
    if (closedForGood) return;
    setStatus(STATUS_CONNECTING);
    const ws = new Impl(`${base}?token=${encodeURIComponent(token ?? '')}`);
    socket = ws;
    receiver.reset();
    ws.onopen = () => {
      attempt = 0;
      setStatus(STATUS_OPEN);
      const queued = waiting;
      waiting = [];
      for (const text of queued) ws.send(text);
    };
    ws.onmessage = (event: MessageEvent) => {
      if (socket === ws && refused !== ws) onMessage(event.data);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      for (const id of [...pending.keys()]) answer(id, { ok: false, error: 'connection to ipcscope lost' });
      if (!status.startsWith(STATUS_CLOSED)) setStatus(STATUS_CLOSED);
      if (closedForGood) return;
      // 250 ms, 500 ms, 1 s ... up to 5 s, with jitter so many tabs do not knock in step.
      const delay = Math.min(maxBackoff, initialBackoff * 2 ** attempt) * (0.75 + Math.random() * 0.5);
      attempt += 1;
      reconnectTimer = setTimeout(connect, delay);
    };
  }

  if (token === null) {
    status = 'error: no token in the page URL; open the URL printed by `npm run web`';
  } else {
    connect();
  }

  return {
    send(command: Command): Promise<CommandResult> {
      if (token === null) return Promise.resolve({ ok: false, error: status });
      if (closedForGood) return Promise.resolve({ ok: false, error: 'transport closed' });
      const id = nextId++;
      const text = JSON.stringify({ id, command });
      return new Promise<CommandResult>((resolve) => {
        if (socket !== null && socket.readyState === OPEN) {
          socket.send(text);
        } else if (waiting.length < MAX_WAITING_COMMANDS) {
          waiting.push(text);
        } else {
          resolve({ ok: false, error: 'not connected to ipcscope (too many commands waiting)' });
          return;
        }
        const timer = setTimeout(() => {
          waiting = waiting.filter((t) => t !== text);
          answer(id, { ok: false, error: 'ipcscope did not answer in time' });
        }, requestTimeout);
        pending.set(id, { resolve, timer });
      });
    },
    onFrame(listener: (frame: Frame) => void): () => void {
      frameListeners.add(listener);
      return () => frameListeners.delete(listener);
    },
    onStatus(listener: (status: string) => void): () => void {
      statusListeners.add(listener);
      listener(status);
      return () => statusListeners.delete(listener);
    },
    onSharedEngine(listener: (message: SharedEngineMessage) => void): () => void {
      sharedListeners.add(listener);
      return () => sharedListeners.delete(listener);
    },
    close(): void {
      closedForGood = true;
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      const ws = socket;
      socket = null;
      for (const id of [...pending.keys()]) answer(id, { ok: false, error: 'transport closed' });
      waiting = [];
      ws?.close();
      setStatus(STATUS_CLOSED);
    },
  };
}
