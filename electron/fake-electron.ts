/**
 * Stand-in for the `electron` module in tests (`vi.mock('electron', ...)`):
 * the Electron binary cannot be downloaded here, and this is the ONE mock the
 * project allows. It records what the shell asks of Electron and lets a test
 * play the parts Electron would (frames sending IPC, the utility process
 * answering or dying, the app quitting). It fakes no kernel object.
 */
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export class FakeFrame {
  constructor(
    public url: string,
    public readonly parent: FakeFrame | null,
    public readonly processId: number,
    public readonly routingId: number,
  ) {}
}

let nextContentsId = 1;
let nextRoutingId = 100;

/** An event as Electron passes it to navigation and before-quit listeners. */
export class FakeEvent {
  defaultPrevented = false;
  constructor(public readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame = new FakeFrame('about:blank', null, 1, nextRoutingId++);
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  /** A frame inside the page, e.g. an iframe the page (or an attacker) added. */
  subframe(url: string): FakeFrame {
    return new FakeFrame(url, this.mainFrame, this.mainFrame.processId, nextRoutingId++);
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly all: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  shown = false;
  private destroyed = false;
  constructor(public readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.all.push(this);
    app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export class FakeUtilityProcess extends EventEmitter {
  static readonly all: FakeUtilityProcess[] = [];
  readonly posted: unknown[] = [];
  killed = false;
  constructor(
    public readonly modulePath: string,
    public readonly options: Record<string, unknown>,
    public pid: number | undefined = 4_000_000 + FakeUtilityProcess.all.length,
  ) {
    super();
    FakeUtilityProcess.all.push(this);
  }
  postMessage(message: unknown): void {
    this.posted.push(message);
    this.emit('posted', message);
  }
  /** Plays the engine: a message as it would arrive from process.parentPort. */
  reply(message: unknown): void {
    this.emit('message', message);
  }
  exit(code: number): void {
    this.pid = undefined;
    this.emit('exit', code);
  }
  kill(): boolean {
    this.killed = true;
    setImmediate(() => this.exit(15));
    return true;
  }
}

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What Electron does when a page calls ipcRenderer.invoke(channel, ...args). */
  async invoke(channel: string, event: { sender: FakeWebContents; senderFrame: FakeFrame | null }, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

class FakeIpcRenderer extends EventEmitter {
  readonly invoked: Array<{ channel: string; args: unknown[] }> = [];
  answer: unknown = { ok: true };
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return Promise.resolve(this.answer);
  }
}

class FakeContextBridge {
  readonly exposed = new Map<string, unknown>();
  exposeInMainWorld(key: string, api: unknown): void {
    this.exposed.set(key, api);
  }
}

type Listener = (...args: never[]) => unknown;

class FakeSession {
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  beforeRequest: Listener | null = null;
  headersReceived: Listener | null = null;
  readonly webRequest = {
    onBeforeRequest: (listener: Listener) => {
      this.beforeRequest = listener;
    },
    onHeadersReceived: (listener: Listener) => {
      this.headersReceived = listener;
    },
  };
  setPermissionRequestHandler(handler: Listener): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Listener): void {
    this.permissionCheckHandler = handler;
  }
}

class FakeApp extends EventEmitter {
  quitCalls = 0;
  sandboxEnabled = false;
  exitCode: number | null = null;
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  quit(): void {
    this.quitCalls += 1;
    const event = new FakeEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.emit('will-quit');
  }
  exit(code: number): void {
    this.exitCode = code;
  }
}

class FakeProtocol {
  readonly privileged: unknown[] = [];
  readonly handlers = new Map<string, (request: Request) => Promise<Response>>();
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    this.handlers.set(scheme, handler);
  }
}

export const app = new FakeApp();
export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();
export const contextBridge = new FakeContextBridge();
export const session = { defaultSession: new FakeSession() };
export const protocol = new FakeProtocol();
export const BrowserWindow = FakeBrowserWindow;
export const utilityProcess = {
  fork(modulePath: string, _args: string[], options: Record<string, unknown>): FakeUtilityProcess {
    return new FakeUtilityProcess(modulePath, options);
  },
};
/** net.fetch as the app:// handler uses it: file: URLs only. */
export const net = {
  async fetch(url: string): Promise<Response> {
    try {
      return new Response(await readFile(fileURLToPath(url)), { status: 200, headers: { 'Content-Type': 'text/html' } });
    } catch {
      return new Response('missing', { status: 404 });
    }
  },
};

/** Forgets every window, handler and listener, between tests. */
export function resetFakeElectron(): void {
  app.removeAllListeners();
  app.quitCalls = 0;
  app.sandboxEnabled = false;
  app.exitCode = null;
  ipcMain.handlers.clear();
  ipcRenderer.removeAllListeners();
  ipcRenderer.invoked.length = 0;
  contextBridge.exposed.clear();
  session.defaultSession = new FakeSession();
  protocol.handlers.clear();
  protocol.privileged.length = 0;
  FakeBrowserWindow.all.length = 0;
  FakeUtilityProcess.all.length = 0;
}
